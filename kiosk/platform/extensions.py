"""Flask extensions, created once here and bound to the app in create_app."""

import sys


def _import_huey_without_unused_drivers() -> None:
    """huey.storage imports redis and psycopg whenever they are installed: 15 MB of a web
    process that may need neither. huey's PostgreSQL storage is never used (the queue is
    SQLite or Redis), and kiosk.platform.queue brings redis in when the queue is Redis;
    SQLAlchemy imports psycopg itself for a PostgreSQL database."""
    hidden = [name for name in ("redis", "psycopg") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # import fails: huey goes without
    try:
        import huey.storage  # noqa: F401
    finally:
        for name in hidden:
            del sys.modules[name]


_import_huey_without_unused_drivers()

from flask_babel import Babel  # noqa: E402
from flask_limiter import Limiter  # noqa: E402
from flask_limiter.util import get_remote_address  # noqa: E402
from flask_sqlalchemy import SQLAlchemy  # noqa: E402
from flask_wtf import CSRFProtect  # noqa: E402
from huey import MemoryHuey  # noqa: E402
from sqlalchemy import MetaData  # noqa: E402
from sqlalchemy.orm import DeclarativeBase  # noqa: E402

# Named constraints, so Alembic migrations can drop and alter them on every database.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
# The queue's storage is chosen from KIOSK_QUEUE_URL in setup_queue (SQLite, Redis, or
# immediate for tests); tasks are declared against this one object.
huey = MemoryHuey("kiosk", immediate=True)
