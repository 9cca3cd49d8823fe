import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kiosk.extensions import db
from kiosk.models import Claim
from tests.integration.test_intake import SELF_MEDICAL, Kiosk


@pytest.fixture
def kiosk(client: FlaskClient) -> Kiosk:
    """A person at the kiosk, through the test client with real CSRF tokens."""
    return Kiosk(client)


@pytest.fixture
def claim(app: Flask, kiosk: Kiosk):  # type: ignore[no-untyped-def]
    """A medical claim submitted at the kiosk with its documents left for later."""
    kiosk.through(*SELF_MEDICAL, ("check", {"consent": "yes"}))
    with app.app_context():
        yield db.session.scalars(sa.select(Claim)).one()
        db.session.remove()
