import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kiosk.claims.calendar import today_in_china
from kiosk.claims.states import CaseState
from kiosk.demo import seed_demo
from kiosk.platform.extensions import db
from kiosk.platform.models import Claim, StaffRole
from tests.integration.desk import make_staff
from tests.integration.test_intake import SELF_MEDICAL, Kiosk


@pytest.fixture
def kiosk(client: FlaskClient) -> Kiosk:
    """A person at the kiosk, through the test client with real CSRF tokens."""
    return Kiosk(client)


@pytest.fixture
def claim(app: Flask, kiosk: Kiosk):
    """A medical claim submitted at the kiosk with its documents left for later."""
    kiosk.through(*SELF_MEDICAL, ("check", {"consent": "yes"}))
    with app.app_context():
        yield db.session.scalars(sa.select(Claim)).one()
        db.session.remove()


@pytest.fixture
def demo(app: Flask) -> dict[CaseState, int]:
    """Demo claims in every state, and a handler, two approvers and an admin."""
    with app.app_context():
        claims = seed_demo(today_in_china())
        for name, role in (
            ("handler", StaffRole.HANDLER),
            ("boss", StaffRole.APPROVER),
            ("boss2", StaffRole.APPROVER),
            ("admin", StaffRole.ADMIN),
        ):
            make_staff(name, role)
        return {c.state: c.id for c in claims}
