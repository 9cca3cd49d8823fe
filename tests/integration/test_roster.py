"""The insured roster (issue 15): `flask --app kiosk roster import FILE`, UTF-8 or GBK, a
report of added, updated, removed and refused rows, nothing imported while a row is refused."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from kiosk.demo import demo_id_number
from kiosk.platform.extensions import db
from kiosk.platform.models import RosterEntry
from kiosk.services.roster import CONCURRENT_IMPORT, RosterReport, import_roster
from tests.integration.desk import desk
from tests.integration.test_intake import soup
from tests.integration.test_models import raw_row

HEADER = "身份证号码,姓名,户籍地址,列入日期"
A = demo_id_number(date(1948, 3, 1), 11)
B = demo_id_number(date(1950, 7, 9), 13)
C = demo_id_number(date(1939, 12, 30), 15)
D = demo_id_number(date(1944, 1, 2), 17)


def roster_file(tmp_path: Path, *lines: str, encoding: str = "utf-8") -> str:
    path = tmp_path / f"名册{len(list(tmp_path.iterdir()))}.csv"  # a new file each time
    path.write_bytes("\n".join(lines).encode(encoding))
    return str(path)


def imported(runner, path: str, *options: str):
    return runner.invoke(args=["roster", "import", path, *options])


def listed(app: Flask) -> dict[str, tuple[str, date | None]]:
    with app.app_context():
        rows = db.session.scalars(sa.select(RosterEntry)).all()
        return {r.id_number: (r.name, r.removed_on) for r in rows}


def test_a_first_list_then_a_monthly_update(app: Flask, runner, tmp_path: Path) -> None:
    first = roster_file(
        tmp_path,
        HEADER,
        f"{A},陈美华,汕头市潮南区峡山街道东山社区3栋201,2026-01-05",
        "",  # a blank line
        f"{B},林阿婆,汕头市潮南区两英镇,2026/02/01",
        f"{C},郑鮀生,汕头市潮南区陈店镇,2026年3月1日",
    )
    result = imported(runner, first)
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith(
        "3 rows: 3 added, 0 updated, 0 unchanged, 0 removed, 0 refused; imported"
    )
    with app.app_context():
        row = raw_row("roster_entry", 1)
        assert A.encode() not in bytes(row["id_number"]) and "峡山".encode() not in bytes(
            row["address"]
        )
    second = roster_file(
        tmp_path,
        "公民身份号码,姓名,户籍所在地,参保日期",  # the other headings the bureau uses
        f"{A},陈美华,汕头市潮南区峡山街道东山社区3栋201,2026-01-05",
        f"{C},郑鮀生,汕头市潮南区陈店镇新址,2026-03-01",
        f"{D},黄老伯,汕头市潮南区司马浦镇,2026-11-20",
    )
    result = imported(runner, second)
    assert (
        "3 rows: 1 added, 1 updated, 1 unchanged, 1 removed, 0 refused; imported" in result.output
    )
    people = listed(app)
    assert people[A] == ("陈美华", None) and people[D] == ("黄老伯", None)
    assert people[B][1] is not None  # kept, marked removed
    assert imported(runner, first).exit_code == 0  # B listed again, D left out
    people = listed(app)
    assert people[B][1] is None and people[D][1] is not None


def test_a_gbk_file_reads_as_well(app: Flask, runner, tmp_path: Path) -> None:
    path = roster_file(tmp_path, HEADER, f"{A},郑鮀生,汕头市潮南区,2026-01-05", encoding="gb18030")
    assert imported(runner, path).exit_code == 0
    assert listed(app) == {A: ("郑鮀生", None)}


def test_every_refused_row_is_named_and_nothing_is_imported(
    app: Flask, runner, tmp_path: Path
) -> None:
    bad_checksum = A[:-1] + ("0" if A[-1] != "0" else "1")
    path = roster_file(
        tmp_path,
        HEADER,
        f"{A},陈美华,汕头市潮南区,2026-01-05",
        f"{bad_checksum},林阿婆,汕头市潮南区,2026-01-05",
        f"{A},陈美华,汕头市潮南区,2026-01-05",
        f"{B},林阿婆,汕头市潮南区,2026-13-01",
        f"{C},,汕头市潮南区,2026-01-05",
        "44051419,郑生,汕头市潮南区,2026-01-05",
        f"{D},黄老伯,汕头市潮南区,2099-01-01",
    )
    result = imported(runner, path)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    masked = bad_checksum[:4] + "*" * 10 + bad_checksum[-4:]
    assert lines[:-1] == [
        f"row 3: ID number {masked}: its last character does not match (a typo?)",
        f"row 4: ID number {A[:4]}{'*' * 10}{A[-4:]} is on row 2 already",
        "row 5: date listed '2026-13-01': not a date up to today",
        "row 6: name '': empty",
        "row 7: ID number '4405…': not 18 characters",
        "row 8: date listed '2099-01-01': not a date up to today",
    ]
    assert lines[-1].endswith("6 refused; nothing imported")
    assert bad_checksum not in result.output and A not in result.output
    assert listed(app) == {}


def test_a_file_that_is_not_a_roster_is_refused_whole(app: Flask, runner, tmp_path: Path) -> None:
    unreadable = tmp_path / "x.csv"
    unreadable.write_bytes(b"\xff\xfe\x00\xd8broken")
    assert (
        "file: the file is neither UTF-8 nor GBK text" in imported(runner, str(unreadable)).output
    )
    no_column = roster_file(tmp_path, "身份证号码,姓名,列入日期", f"{A},陈美华,2026-01-05")
    result = imported(runner, no_column)
    assert result.exit_code == 1 and "row 1: no 户籍地址 (address) column" in result.output
    assert "file: empty" in imported(runner, roster_file(tmp_path, "", "")).output


def test_a_dry_run_reports_and_changes_nothing(app: Flask, runner, tmp_path: Path) -> None:
    path = roster_file(tmp_path, HEADER, f"{A},陈美华,汕头市潮南区,2026-01-05")
    result = imported(runner, path, "--dry-run")
    assert (
        result.exit_code == 0 and "1 added" in result.output and "nothing imported" in result.output
    )
    assert listed(app) == {}


def notices_at_check(kiosk) -> list[str]:
    from tests.integration.test_intake import SELF_MEDICAL, soup

    kiosk.through(*SELF_MEDICAL)
    return [n.get_text(" ", strip=True) for n in soup(kiosk.get("/claim/check")).select(".notice")]


def test_the_kiosk_says_kindly_when_the_roster_does_not_name_the_person(
    app: Flask, runner, kiosk, tmp_path: Path
) -> None:
    from tests.integration.test_intake import ID_NUMBER

    assert not any("参保名单" in n for n in notices_at_check(kiosk))  # no roster: as before
    assert (
        imported(runner, roster_file(tmp_path, HEADER, f"{A},陈美华,汕头,2026-01-05")).exit_code
        == 0
    )
    notices = notices_at_check(kiosk)
    assert any("没有找到老人的名字" in n and "可以继续办理" in n for n in notices), notices
    listing = roster_file(tmp_path, HEADER, f"{ID_NUMBER},陈美华,汕头,2025-06-05")
    assert imported(runner, listing).exit_code == 0
    assert not any("参保名单" in n for n in notices_at_check(kiosk))


def test_the_case_page_shows_what_the_roster_says(app: Flask, runner, tmp_path: Path) -> None:
    from kiosk.claims.states import CaseState
    from kiosk.platform.models import Claim
    from tests.integration.desk import desk
    from tests.integration.test_intake import soup

    with app.app_context():
        from kiosk.claims.calendar import today_in_china
        from kiosk.demo import seed_demo
        from kiosk.platform.models import StaffRole
        from tests.integration.desk import make_staff

        claims = seed_demo(today_in_china())
        make_staff("handler", StaffRole.HANDLER)
        claim = next(c for c in claims if c.state is CaseState.UNDER_REVIEW)
        claim_id, insured = claim.id, claim.insured.id_number
        db.session.remove()
    handler = desk(app, "handler")

    def roster_line() -> str:
        page = soup(handler.get(f"/staff/case/{claim_id}"))
        return page.select_one("[data-qa=roster]").get_text(strip=True)

    assert roster_line() == "还没有导入参保名册"
    imported(runner, roster_file(tmp_path, HEADER, f"{A},陈美华,汕头,2025-06-05"))
    assert roster_line() == "名册上没有，请核实户籍和年龄"
    imported(runner, roster_file(tmp_path, HEADER, f"{insured},某某,汕头,2025-06-05"))
    assert roster_line() == "在名册上，意外当天在保"
    with app.app_context():
        assert db.session.get(Claim, claim_id) is not None


def test_two_imports_at_the_same_moment_end_plainly(app: Flask, tmp_path: Path) -> None:
    """Both from the same file, in two threads: each is whole or told it ran beside the
    other; never a traceback, never half a roster."""
    people = [demo_id_number(date(1940, 1, 1) + timedelta(days=i), 11) for i in range(400)]
    content = "\n".join(
        [HEADER, *(f"{n},张三,东山社区{i}号,2026-01-05" for i, n in enumerate(people))]
    ).encode()
    start = threading.Barrier(2)

    def one_import(_: int) -> RosterReport:
        with app.app_context():
            start.wait()
            report = import_roster(content, date(2026, 2, 1))
            db.session.remove()
            return report

    with ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(one_import, range(2)))
    assert any(r.imported for r in reports), [r.refused[:2] for r in reports]
    for report in reports:
        assert report.imported or report.refused == [CONCURRENT_IMPORT], report.refused
    assert len(listed(app)) == 400


def test_an_admin_imports_the_roster_in_the_back_office(app: Flask, demo, tmp_path: Path) -> None:
    admin = desk(app, "admin")
    good = Path(roster_file(tmp_path, HEADER, f"{A},陈美华,东山社区1号,2026-01-05"))
    token = soup(admin.get("/staff/roster")).select_one("input[name=csrf_token]")["value"]

    def send(path: Path, **extra: str):
        with path.open("rb") as f:
            form = {"csrf_token": token, "file": (f, path.name), **extra}
            return admin.client.post("/staff/roster", data=form)

    checked = soup(send(good, dry="1")).select_one("[data-qa=roster-report]").get_text()
    assert "新增 1" in checked and "没有导入任何内容" in checked and listed(app) == {}
    done = soup(send(good)).select_one("[data-qa=roster-report]").get_text()
    assert "新增 1" in done and "已导入" in done and list(listed(app)) == [A]
    bad = Path(roster_file(tmp_path, HEADER, "12345,陈美华,东山社区1号,2026-01-05"))
    refused = send(bad)
    assert refused.status_code == 422 and "row 2" in refused.text
    assert list(listed(app)) == [A]  # nothing changed
    assert admin.client.post("/staff/roster", data={"csrf_token": token}).status_code == 422
