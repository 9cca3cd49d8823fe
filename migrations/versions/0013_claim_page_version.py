"""claim page version: bumped when anything the family's page shows of a case changes

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 09:30:00

The tracking page is kept rendered per case, and shown again while the case's version and
this page version are what they were (kiosk.platform.page_version). The claim's own version
counts changes to its row; this one counts changes to the rows around it (documents and
their pages, events, complaints, visits, the satisfaction answer, the people), without
taking part in the optimistic locking of staff's case actions.
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.add_column(sa.Column('page_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.drop_column('page_version')
