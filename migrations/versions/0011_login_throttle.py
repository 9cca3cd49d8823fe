"""login throttle: failed logins counted per address and per address at one username

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 09:00:00

Replaces the lockout of an account after 10 failures from anywhere (which let a stranger
lock every approver out) with waits for the addresses that fail (kiosk.services.accounts). The
audit log stays as it is: it cannot be changed, so it cannot hold a count that a good
login resets, nor be updated atomically by two tries at once.
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_throttle',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('wait_until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('forget_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle'))
    )
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_throttle_forget_at'), ['forget_at'], unique=False)


def downgrade():
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_throttle_forget_at'))

    op.drop_table('login_throttle')
