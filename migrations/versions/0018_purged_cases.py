"""purged cases: what is kept of a case after its retention period

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 14:45:00

The anonymised statistical row kiosk.services.retention leaves when it purges a case's
personal data and documents, 5 years after closing (10 for major cases).
"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('purged_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_type', sa.Enum('death', 'disability', 'hospital_allowance', 'medical', 'transport_death', name='claimtype', native_enum=False, length=32), nullable=False),
    sa.Column('final_state', sa.Enum('submitted', 'under_review', 'documents_needed', 'awaiting_approval', 'approved', 'paid', 'declined', name='casestate', native_enum=False, length=32), nullable=False),
    sa.Column('branch', sa.String(length=64), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=True),
    sa.Column('reported_month', sa.String(length=7), nullable=False),
    sa.Column('closed_year', sa.Integer(), nullable=False),
    sa.Column('paid_amount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('purged_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purged_case'))
    )


def downgrade():
    op.drop_table('purged_case')
