"""policies by year: a district's policy for a period, versioned, and the claim's policy

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 14:00:00

Loaded with `flask --app kiosk policy load FILE` (kiosk.services.policies); a claim records
the version it is judged under, a plain number like its device (ADR 0042, ADR 0043).
"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('policy_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district', sa.String(length=64), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('region_codes', sa.JSON(), nullable=False),
    sa.Column('premium_per_person', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('insured', sa.Integer(), nullable=False),
    sa.Column('terms', sa.JSON(), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('loaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['loaded_by_id'], ['staff_user.id'], name=op.f('fk_policy_version_loaded_by_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policy_version')),
    sa.UniqueConstraint('district', 'starts_on', 'version', name=op.f('uq_policy_version_district'))
    )
    op.add_column('claim', sa.Column('policy_id', sa.Integer(), nullable=True))
    op.create_index(op.f('ix_claim_policy_id'), 'claim', ['policy_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_claim_policy_id'), table_name='claim')
    op.execute('ALTER TABLE claim DROP COLUMN policy_id')
    op.drop_table('policy_version')
