"""enrolled devices: tablets enrolled to a branch by a one-time code

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 13:40:00

Every draft, claim and audit row records the device it came from (issue 15). Those columns
are plain numbers, not foreign keys: SQLite adds a foreign key only by rebuilding the table,
and rebuilding the audit log would drop its append-only triggers (ADR 0042).
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('device',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('printer', sa.String(length=128), nullable=False),
    sa.Column('enrolled_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('enrolled_by_id', sa.Integer(), nullable=True),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_device_branch_id_branch')),
    sa.ForeignKeyConstraint(['enrolled_by_id'], ['staff_user.id'], name=op.f('fk_device_enrolled_by_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_device')),
    sa.UniqueConstraint('secret_hash', name=op.f('uq_device_secret_hash'))
    )
    op.create_index(op.f('ix_device_branch_id'), 'device', ['branch_id'], unique=False)
    op.create_table('enrol_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('device_name', sa.String(length=64), nullable=False),
    sa.Column('made_by_id', sa.Integer(), nullable=True),
    sa.Column('made_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('device_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_enrol_code_branch_id_branch')),
    sa.ForeignKeyConstraint(['device_id'], ['device.id'], name=op.f('fk_enrol_code_device_id_device')),
    sa.ForeignKeyConstraint(['made_by_id'], ['staff_user.id'], name=op.f('fk_enrol_code_made_by_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrol_code')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_enrol_code_code_hash'))
    )
    # ADD COLUMN, no table rebuilt: the audit log keeps its triggers.
    op.add_column('claim', sa.Column('device_id', sa.Integer(), nullable=True))
    op.create_index(op.f('ix_claim_device_id'), 'claim', ['device_id'], unique=False)
    op.add_column('draft', sa.Column('device_id', sa.Integer(), nullable=True))
    op.add_column('audit_event', sa.Column('device_id', sa.Integer(), nullable=True))


def downgrade():
    # SQLite (3.35 and later) and PostgreSQL drop a column in place, triggers kept.
    op.execute('ALTER TABLE audit_event DROP COLUMN device_id')
    op.execute('ALTER TABLE draft DROP COLUMN device_id')
    op.drop_index(op.f('ix_claim_device_id'), table_name='claim')
    op.execute('ALTER TABLE claim DROP COLUMN device_id')
    op.drop_table('enrol_code')
    op.drop_table('device')
