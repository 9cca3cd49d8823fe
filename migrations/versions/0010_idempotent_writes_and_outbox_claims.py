"""idempotent writes and outbox claims

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 01:30:00

Forms carry an idempotency key (submitted_form); one open home visit per case and one copy
of a photo per document are unique in the database; outbox rows are claimed before they
are sent and retried at a time of their own. Rows the old race left doubled are resolved
first: extra open visits of a case are cancelled, extra copies of a page are removed (the
same bytes, so nothing is lost but the copy).
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

OPEN = "status IN ('requested', 'booked')"


def upgrade():
    op.create_table(
        'submitted_form',
        sa.Column('key', sa.String(length=128), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_submitted_form')),
    )
    with op.batch_alter_table('submitted_form', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submitted_form_at'), ['at'], unique=False)

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True))

    op.execute(
        "UPDATE home_visit_request SET status = 'cancelled', note = 'duplicate request'"
        f" WHERE {OPEN} AND claim_id IS NOT NULL AND id NOT IN"
        f" (SELECT MIN(id) FROM home_visit_request WHERE {OPEN} GROUP BY claim_id)"
    )
    op.create_index(
        'uq_home_visit_request_open', 'home_visit_request', ['claim_id'], unique=True,
        sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN),
    )

    op.execute(
        "DELETE FROM document_page WHERE id NOT IN"
        " (SELECT MIN(id) FROM document_page GROUP BY document_id, sha256)"
    )
    with op.batch_alter_table('document_page', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_document_page_photo', ['document_id', 'sha256'])


def downgrade():
    with op.batch_alter_table('document_page', schema=None) as batch_op:
        batch_op.drop_constraint('uq_document_page_photo', type_='unique')
    op.drop_index('uq_home_visit_request_open', table_name='home_visit_request')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_column('claimed_until')
        batch_op.drop_column('next_attempt_at')
    with op.batch_alter_table('submitted_form', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submitted_form_at'))
    op.drop_table('submitted_form')
