"""major cases: staff may mark a case major (kept 10 years after closing)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 15:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('claim', sa.Column('major', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    op.execute('ALTER TABLE claim DROP COLUMN major')
