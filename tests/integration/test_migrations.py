"""Every migration runs up and down on SQLite and PostgreSQL, and the head matches the models."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from kiosk import create_app
from kiosk.platform.extensions import db
from tests.conftest import drop_postgres_schema, make_config, new_postgres_schema, postgres_base_url


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    base = postgres_base_url()
    url, schema = new_postgres_schema(base, "kiosk_migrations")
    yield url
    drop_postgres_schema(base, schema)


def test_migrations_up_down_up_and_head_matches_models(empty_database: str, tmp_path: Path) -> None:
    app = create_app(make_config(tmp_path, empty_database))
    with app.app_context():
        upgrade()
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {
            "claim",
            "person",
            "document_page",
            "audit_event",
            "draft",
            "notification",
        } <= tables
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == [], f"models and migrations differ: {differences}"
        db.engine.dispose()
