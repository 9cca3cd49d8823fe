"""Behind a proxy (KIOSK_TRUSTED_PROXIES, issue 15): the audit trail and the rate limits see
the client's address, and an X-Forwarded-For sent by anyone else changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.test import Client
from werkzeug.wrappers import Request, Response

from kiosk import create_app
from kiosk.platform.config import ConfigError, from_environment
from kiosk.platform.extensions import db
from kiosk.platform.models import AuditEvent, StaffRole
from kiosk.platform.proxies import TrustedProxies, parse_networks
from tests.conftest import make_config
from tests.integration.desk import Desk, make_staff

PROXIES = parse_networks(["10.0.0.0/24", "::1"])


@Request.application
def seen(request: Request) -> Response:
    return Response(f"{request.remote_addr} {request.scheme}")


def ask(peer: str, forwarded: str | None = None, proto: str | None = None) -> str:
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    if proto:
        headers["X-Forwarded-Proto"] = proto
    client = Client(TrustedProxies(seen, PROXIES))
    return client.get("/", headers=headers, environ_base={"REMOTE_ADDR": peer}).get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("peer", "forwarded", "proto", "client"),
    [
        ("10.0.0.5", "203.0.113.7", "https", "203.0.113.7 https"),  # through our proxy
        ("10.0.0.5", "6.6.6.6, 203.0.113.7", None, "203.0.113.7 http"),  # a spoofed first hop
        ("10.0.0.5", "203.0.113.7, 10.0.0.9", None, "203.0.113.7 http"),  # two of our proxies
        ("10.0.0.5", "10.0.0.8, 10.0.0.9", None, "10.0.0.8 http"),  # from inside: the farthest
        ("10.0.0.5", "not-an-ip, 10.0.0.9", None, "10.0.0.9 http"),  # garbage stops the walk
        ("10.0.0.5", None, None, "10.0.0.5 http"),  # a proxy asking on its own behalf
        ("198.51.100.9", "203.0.113.7", "https", "198.51.100.9 http"),  # not our proxy
        ("::1", "2001:db8::7", None, "2001:db8::7 http"),
    ],
)
def test_the_client_is_the_nearest_hop_that_is_not_ours(
    peer: str, forwarded: str | None, proto: str | None, client: str
) -> None:
    assert ask(peer, forwarded, proto) == client


def test_a_bad_proxy_setting_stops_the_start_with_its_name(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"KIOSK_TRUSTED_PROXIES: '10\.0\.0\.300' is not an IP"):
        from_environment(
            {"KIOSK_DATA_DIR": str(tmp_path), "KIOSK_TRUSTED_PROXIES": "10.0.0.1, 10.0.0.300"}
        )


def test_the_audit_trail_records_the_client_behind_the_proxy(
    database_url: str, tmp_path: Path
) -> None:
    app = create_app(make_config(tmp_path, database_url, TRUSTED_PROXIES=("10.0.0.5",)))
    with app.app_context():
        make_staff("handler", StaffRole.HANDLER)
        db.session.remove()
    for peer, forwarded in (("10.0.0.5", "6.6.6.6, 203.0.113.7"), ("198.51.100.9", "6.6.6.6")):
        desk = Desk(app.test_client())
        desk.client.environ_base.update(REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
        assert desk.login("handler").status_code == 303
    with app.app_context():
        logins = db.session.scalars(
            sa.select(AuditEvent.ip)
            .where(AuditEvent.action == "staff.login")
            .order_by(AuditEvent.id)
        )
        assert list(logins) == ["203.0.113.7", "198.51.100.9"]
        db.session.remove()
