"""branches: the district's service points as data

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 10:00:00

Until now the branch's name and phone were settings of a process (KIOSK_BRANCH_NAME,
KIOSK_BRANCH_PHONE), the same on every receipt behind one central server (issue 15).
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('branch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('address', sa.String(length=128), nullable=False),
    sa.Column('opening_hours', sa.String(length=64), nullable=False),
    sa.Column('district', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_branch')),
    sa.UniqueConstraint('name', name=op.f('uq_branch_name'))
    )


def downgrade():
    op.drop_table('branch')
