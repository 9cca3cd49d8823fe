"""A member of staff at a browser, through the test client: shared by the back-office tests."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from kiosk.platform.models import StaffRole, StaffUser
from kiosk.services.accounts import create_staff
from tests.integration.test_intake import soup

PASSWORD = "long enough password"


class Desk:
    """A member of staff at a browser, through the test client, with real CSRF tokens."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def token(self) -> str:
        page = soup(self.client.get("/staff/login"))
        return page.select_one("input[name=csrf_token]")["value"]

    def login(self, username: str, password: str = PASSWORD):
        return self.client.post(
            "/staff/login",
            data={"csrf_token": self.token(), "username": username, "password": password},
        )

    def get(self, path: str):
        return self.client.get(path)

    def post(self, path: str, data: dict | None = None):
        return self.client.post(path, data={"csrf_token": self.token(), **(data or {})})

    def act(self, claim_id: int, action: str, data: dict):
        """An action with the version and audit mark of the case page as it is now."""
        page = soup(self.get(f"/staff/case/{claim_id}"))
        form = page.select_one(f"form[action='/staff/case/{claim_id}/{action}']")
        assert form is not None, f"no {action} form on the page"
        lock = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
        return self.client.post(f"/staff/case/{claim_id}/{action}", data={**lock, **data})


def make_staff(username: str, role: StaffRole, **kwargs) -> StaffUser:
    staff, _ = create_staff(username, role, password=PASSWORD, display_name=username, **kwargs)
    return staff


def desk(app: Flask, username: str | None) -> Desk:
    d = Desk(app.test_client())
    if username:
        assert d.login(username).status_code == 303
    return d
