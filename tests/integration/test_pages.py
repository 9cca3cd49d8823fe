"""The page frame over HTTP: headers, switches, error pages."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from kiosk.platform.security import CSP


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_home_page_has_the_frame_and_five_choices(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = soup(response)
    assert page.html["lang"] == "zh-CN"
    assert page.select_one("a.skip-link")["href"] == "#main"
    assert len(page.select("h1")) == 1
    assert page.select_one("main#main") and page.select_one("header") and page.select_one("footer")
    choices = [a.select_one(".choice-title").get_text() for a in page.select("a.choice")]
    assert choices == ["申请理赔", "查询进度", "补交材料", "上门服务", "志愿者协助"]
    assert "身份证" in page.select_one(".bring").get_text()


def test_strict_security_headers(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.headers["Content-Security-Policy"] == CSP
    assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert "HX-Request" in response.headers["Vary"]


def test_no_inline_scripts_or_styles(client: FlaskClient) -> None:
    page = soup(client.get("/"))
    assert all(script.get("src") for script in page.select("script"))
    assert not page.select("style") and not page.select("[style]")
    assert not [tag for tag in page.find_all(True) if any(a.startswith("on") for a in tag.attrs)]


def test_text_size_switch_is_remembered_for_the_session(client: FlaskClient) -> None:
    response = client.get("/prefs/size/xl?next=/claim")
    assert response.status_code == 303 and response.headers["Location"] == "/claim"
    assert soup(client.get("/")).html["class"] == ["size-xl"]
    link = soup(client.get("/")).select_one('a[aria-current="true"][href*="/prefs/size/"]')
    assert "xl" in link["href"]


def test_language_switch_to_english_and_back(client: FlaskClient) -> None:
    client.get("/prefs/lang/en")
    page = soup(client.get("/"))
    assert page.html["lang"] == "en"
    assert page.h1.get_text() == "Hello! What would you like to do?"
    client.get("/prefs/lang/zh_CN")
    assert soup(client.get("/")).h1.get_text() == "您好！请问您要办什么？"


@pytest.mark.parametrize("path", ["/prefs/size/huge", "/prefs/lang/fr", "/prefs/lang/%3Cscript%3E"])
def test_unknown_values_fall_back_to_defaults(client: FlaskClient, path: str) -> None:
    client.get("/prefs/size/xl")
    client.get("/prefs/lang/en")
    assert client.get(path).status_code == 303
    page = soup(client.get("/"))
    if "size" in path:
        assert page.html["class"] == ["size-normal"]
    else:
        assert page.html["lang"] == "zh-CN"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", ""],
)
def test_switches_never_redirect_off_site(client: FlaskClient, target: str) -> None:
    response = client.get("/prefs/size/xl", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_unknown_route_gets_kiosk_404_with_a_way_home(client: FlaskClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    page = soup(response)
    assert page.h1.get_text() == "找不到这个页面"
    assert page.select_one("main a.button")["href"] == "/"


def test_server_error_page_never_shows_a_trace(app: Flask, client: FlaskClient) -> None:
    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret internal detail 440514194812311234")

    response = client.get("/boom")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "secret internal detail" not in text
    assert "请找工作人员" in text
    assert soup(response).select_one("main a.button")["href"] == "/"


def test_the_home_page_leads_to_the_progress_lookup(client: FlaskClient) -> None:
    home = soup(client.get("/"))
    assert home.select_one("[data-qa=track]")["href"] == "/track"
    assert soup(client.get("/track")).h1.get_text() == "查询进度"
