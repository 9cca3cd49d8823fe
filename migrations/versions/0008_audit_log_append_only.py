"""audit log append-only: triggers refuse to change or remove audit rows

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 15:10:00

The SQL lives here, frozen, rather than imported from the app: a migration must mean the
same thing in five years. See doc/decisions/0012-append-only-audit-log.md.
"""
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

MESSAGE = 'audit_event is append-only'

POSTGRESQL_UP = [
    f"""
    CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
    END $$
    """,
    """
    CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
    """,
    """
    CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()
    """,
]
POSTGRESQL_DOWN = [
    "DROP TRIGGER audit_event_no_truncate ON audit_event",
    "DROP TRIGGER audit_event_no_change ON audit_event",
    "DROP FUNCTION audit_event_append_only()",
]
SQLITE_UP = [
    f"""
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
]
SQLITE_DOWN = [
    "DROP TRIGGER audit_event_no_delete",
    "DROP TRIGGER audit_event_no_update",
]


def _run(statements):
    for statement in statements:
        op.execute(statement)


def upgrade():
    postgresql = op.get_bind().dialect.name == 'postgresql'
    _run(POSTGRESQL_UP if postgresql else SQLITE_UP)


def downgrade():
    postgresql = op.get_bind().dialect.name == 'postgresql'
    _run(POSTGRESQL_DOWN if postgresql else SQLITE_DOWN)
