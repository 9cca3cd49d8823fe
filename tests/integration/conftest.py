import pytest
from flask.testing import FlaskClient

from tests.integration.test_intake import Kiosk


@pytest.fixture
def kiosk(client: FlaskClient) -> Kiosk:
    """A person at the kiosk, through the test client with real CSRF tokens."""
    return Kiosk(client)
