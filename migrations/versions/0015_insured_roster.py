"""insured roster: the civil-affairs bureau's list of insured residents

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 10:10:00

Imported with `flask --app kiosk roster import FILE` (kiosk.services.roster); the ID number
and the address encrypted, found by the ID number's keyed hash (issue 15).
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('roster_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('id_number', sa.LargeBinary(), nullable=False),
    sa.Column('id_number_hash', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('address', sa.LargeBinary(), nullable=False),
    sa.Column('listed_on', sa.Date(), nullable=False),
    sa.Column('removed_on', sa.Date(), nullable=True),
    sa.Column('row_hash', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roster_entry')),
    sa.UniqueConstraint('id_number_hash', name=op.f('uq_roster_entry_id_number_hash'))
    )


def downgrade():
    op.drop_table('roster_entry')
