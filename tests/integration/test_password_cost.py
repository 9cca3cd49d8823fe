"""Passwords are hashed at argon2's standard cost everywhere but in the tests, whatever the
settings say: the tests' cheap cost needs both TESTING and PASSWORD_HASH_COST="test"."""

from __future__ import annotations

import pytest
from flask import Flask

from kiosk.platform.models import StaffRole
from kiosk.services.accounts import authenticate, create_staff

STANDARD = "$m=65536,t=3,p=4$"  # argon2-cffi's defaults (RFC 9106, second recommendation)
CHEAP = "$m=8,t=1,p=1$"


@pytest.mark.parametrize(
    ("testing", "cost", "expected"),
    [(False, "standard", STANDARD), (False, "test", STANDARD), (True, "test", CHEAP)],
)
def test_the_cheap_cost_is_chosen_only_inside_the_tests(
    app: Flask, testing: bool, cost: str, expected: str
) -> None:
    app.config.update(TESTING=testing, PASSWORD_HASH_COST=cost)
    with app.app_context():
        staff, _ = create_staff("cost-check", StaffRole.HANDLER, password="a-long-pass-phrase")
        assert expected in staff.password_hash
        assert authenticate("cost-check", "a-long-pass-phrase", "192.0.2.1").staff == staff
