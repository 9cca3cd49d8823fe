"""The claims kiosk: a Flask + htmx app for elderly people reporting accident-insurance claims."""

from __future__ import annotations

from flask import Flask

from kiosk.platform.compression import setup_compression
from kiosk.platform.config import Config, ConfigError, from_environment
from kiosk.platform.logs import setup_logging, setup_request_ids
from kiosk.platform.request_bodies import KioskRequest


def create_app(config: Config | None = None, *, migrations: bool = True) -> Flask:
    """Build the app from `config`, or from KIOSK_* environment variables when None;
    `migrations=False` leaves out `flask db` (Alembic), which the web and worker never run.

    A bad setting or an unreachable database stops here with one line naming the cause.
    """
    try:
        config = config.finish() if config is not None else from_environment()
    except ConfigError as exc:
        raise SystemExit(f"kiosk: configuration error: {exc}") from None

    app = Flask(__name__, instance_path=str(config.DATA_DIR))
    app.request_class = KioskRequest
    app.config.from_mapping(config.to_flask())
    setup_compression(app)  # first: its after_request runs last, on the finished page
    setup_logging(config.LOG_LEVEL, config.LOG_FORMAT)
    setup_request_ids(app)
    from kiosk.platform.metrics import setup_metrics

    setup_metrics(app)

    from kiosk.cli import register_cli
    from kiosk.intake import bp as intake_bp
    from kiosk.operations import bp as operations_bp
    from kiosk.platform import assets, database, errors, i18n, queue, security, storage
    from kiosk.platform.proxies import TrustedProxies, parse_networks
    from kiosk.staff import bp as staff_bp
    from kiosk.tracking import bp as tracking_bp

    database.setup_db(app, migrations=migrations)
    storage.setup_storage(app)
    queue.setup_queue(app)
    i18n.setup_i18n(app)
    security.setup_security(app)
    errors.setup_errors(app)
    assets.setup_assets(app)
    app.register_blueprint(intake_bp)
    app.register_blueprint(tracking_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(operations_bp)
    register_cli(app)
    if config.TRUSTED_PROXIES:  # behind nginx or HAProxy: the client's address, not theirs
        app.wsgi_app = TrustedProxies(app.wsgi_app, parse_networks(config.TRUSTED_PROXIES))  # type: ignore[method-assign]  # the WSGI middleware pattern Flask documents
    return app
