"""Branches as data (issue 15): `flask --app kiosk branch add / edit / list`, each refusal
a line naming the field and the problem, nothing half changed."""

from __future__ import annotations

import pytest
from flask import Flask

from kiosk.platform.extensions import db
from kiosk.platform.models import Branch
from tests.integration.desk import desk
from tests.integration.test_intake import soup


def branch(runner, *args: str):
    return runner.invoke(args=["branch", *args])


def rows(app: Flask) -> list[tuple[str, str, str]]:
    with app.app_context():
        return [(b.name, b.phone, b.district) for b in db.session.query(Branch).order_by("id")]


def test_add_list_and_edit_branches(app: Flask, runner) -> None:
    added = branch(runner, "add", "峡山服务点", "--phone", "0754 8700 0001", "--district", "潮南区")
    assert added.exit_code == 0, added.output
    assert added.output.strip().endswith("峡山服务点 added")
    assert (
        branch(runner, "add", "两英服务点", "--phone", "95511", "--hours", "8:30-17:30").exit_code
        == 0
    )
    listed = branch(runner, "list").output.splitlines()
    assert [line.split("\t")[1:3] for line in listed] == [
        ["两英服务点", "95511"],
        ["峡山服务点", "0754 8700 0001"],
    ]
    edited = branch(
        runner, "edit", "峡山服务点", "--phone", "138 0013 8000", "--name", "峡山街道服务点"
    )
    assert edited.exit_code == 0, edited.output
    assert rows(app) == [("峡山街道服务点", "138 0013 8000", "潮南区"), ("两英服务点", "95511", "")]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["add", "峡山服务点"], "a branch needs a name and a phone"),
        (["add", "  ", "--phone", "0754-87000000"], "name: empty"),
        (["add", "峡山服务点", "--phone", "12"], "phone: '12' is not a phone number"),
        (["add", "峡山服务点", "--phone", "0754-8700000x"], "phone: '0754-8700000x' is not"),
        (["add", "峡" * 65, "--phone", "95511"], "name: at most 64 characters (65)"),
        (["add", "老服务点", "--phone", "95511"], "name: '老服务点' is another branch's already"),
        (["edit", "没有的服务点", "--phone", "95511"], "no branch named '没有的服务点'"),
        (["edit", "老服务点", "--phone", "abc"], "phone: 'abc' is not a phone number"),
        (["edit", "老服务点", "--name", ""], "name: empty"),
    ],
)
def test_each_refusal_names_the_field_and_changes_nothing(
    app: Flask, runner, args: list[str], said: str
) -> None:
    assert branch(runner, "add", "老服务点", "--phone", "0754-87000000").exit_code == 0
    refused = branch(runner, *args)
    assert refused.exit_code == 1
    assert said in refused.output
    assert rows(app) == [("老服务点", "0754-87000000", "")]


def test_admins_add_and_edit_branches_in_the_back_office(app: Flask, demo) -> None:
    admin = desk(app, "admin")
    assert desk(app, "handler").get("/staff/branches").status_code == 403
    form = {"name": "峡山服务点", "phone": "0754-8700 0001", "district": "潮南区"}
    assert admin.post("/staff/branches", form).status_code == 303
    refused = admin.post("/staff/branches", {**form, "name": "峡山二点", "phone": "12"})
    page = soup(refused)
    assert refused.status_code == 422
    assert page.select_one("[data-qa=branch-problem]").get_text().startswith("没有保存：电话")
    assert page.select_one("#new-name")["value"] == "峡山二点"  # what was typed stays
    edited = {**form, "name": "峡山街道服务点", "phone": "0754-87000009"}
    assert admin.post("/staff/branches/峡山服务点", edited).status_code == 303
    assert ("峡山街道服务点", "0754-87000009", "潮南区") in rows(app)
    assert admin.post("/staff/branches/没有这个点", edited).status_code == 422
