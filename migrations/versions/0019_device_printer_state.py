"""device printer state: how each tablet's receipt printer last answered

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 15:10:00

Shown on the back office's device list (paper out, off), written by every receipt and by
the back office's test print (issue 16).
"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('device', sa.Column('printer_problem', sa.String(length=16), server_default='', nullable=False))
    op.add_column('device', sa.Column('printer_checked_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.execute('ALTER TABLE device DROP COLUMN printer_checked_at')
    op.execute('ALTER TABLE device DROP COLUMN printer_problem')
