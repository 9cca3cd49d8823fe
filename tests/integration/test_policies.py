"""Policies as data (issue 15): `flask --app kiosk policy load FILE`, versioned, every claim
judged under the policy in force on its accident date, across a renewal."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from kiosk.claims.policies import PolicyFileProblem
from kiosk.claims.states import CaseState
from kiosk.platform.extensions import db
from kiosk.platform.models import AuditEvent, Claim, PolicyVersion
from kiosk.services import policies
from tests.integration.desk import desk
from tests.integration.test_intake import SELF_MEDICAL, Kiosk, soup

EXAMPLE = Path(__file__).parents[2] / "doc" / "policies" / "chaonan-2026.toml"


def policy_file(tmp_path: Path, name: str, **changes: str) -> Path:
    """The shipped example with lines replaced: key -> the new right-hand side ("" drops it)."""
    lines = []
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        key = line.split("=")[0].strip()
        if key in changes:
            if changes[key]:
                lines.append(f"{key} = {changes[key]}")
            continue
        lines.append(line)
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def load(runner, path: Path):
    return runner.invoke(args=["policy", "load", str(path)])


def test_the_shipped_example_loads_and_loading_it_again_changes_nothing(app: Flask, runner) -> None:
    first = load(runner, EXAMPLE)
    assert first.exit_code == 0, first.output
    assert first.output.strip() == "policy 潮南区 2026-01-01..2026-12-31 version 1: added"
    assert load(runner, EXAMPLE).output.strip().endswith("version 1: unchanged")
    listed = runner.invoke(args=["policy", "list"]).output.strip().split("\t")
    assert listed == ["潮南区", "2026-01-01", "2026-12-31", "1", "216000", "10.00"]
    with app.app_context():
        policy = policies.newest_versions()[0]
        assert policy.premium == Decimal("2160000.00") and policy.floor == Decimal("1296000.00")


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"death_sum": ""}, "terms.death_sum: missing"),
        ({"insured": ""}, "insured: missing"),
        ({"road": ""}, "terms.transport_sums.road: missing"),
        ({"region_codes": '["44051"]'}, "region_codes: '44051' is not a 6-digit region code"),
        ({"medical_ratio": '"1.5"'}, "terms.medical_ratio: '1.5' is not a share"),
        ({"death_sum": '"3000.001"'}, "terms.death_sum: '3000.001' has more than two decimals"),
        ({"ends_on": "2025-12-31"}, "ends_on: 2025-12-31 is before starts_on 2026-01-01"),
        ({"exclusions": '["gambling"]'}, "terms.exclusions: 'gambling' is not one of"),
        ({"insured": '"many"'}, "insured: 'many' is not a whole number"),
        ({"starts_on": "2026-02-30"}, "not a TOML file"),
        ({"bonus": '"1"'}, "bonus: not a key of a policy file"),
    ],
)
def test_a_wrong_policy_file_is_refused_naming_the_key(
    app: Flask, runner, tmp_path: Path, changes: dict[str, str], said: str
) -> None:
    path = policy_file(tmp_path, "wrong.toml", **changes)
    if "bonus" in changes:
        path.write_text(path.read_text(encoding="utf-8").replace("[terms]", 'bonus = "1"\n[terms]'))
    result = load(runner, path)
    assert result.exit_code != 0 and said in result.output, result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PolicyVersion.id))) == 0


def test_overlapping_periods_of_one_district_are_refused(
    app: Flask, runner, tmp_path: Path
) -> None:
    assert load(runner, EXAMPLE).exit_code == 0
    overlapping = policy_file(tmp_path, "o.toml", starts_on="2026-07-01", ends_on="2027-06-30")
    result = load(runner, overlapping)
    assert "overlaps the district's policy 2026-01-01..2026-12-31" in result.output
    # another district may have the same period
    other = policy_file(tmp_path, "x.toml", district='"潮阳区"', region_codes='["440513"]')
    assert load(runner, other).exit_code == 0


def accident_in_hospital(kiosk: Kiosk, accident: date) -> str:
    """A hospital-allowance claim: 12 days in hospital from the accident; the estimate."""
    kiosk.through(
        *SELF_MEDICAL[:3],
        ("claim_type", {"claim_type": "hospital_allowance"}),
        ("accident_date", {"day": accident.isoformat()}),
        ("admission_date", {"day": accident.isoformat()}),
        ("discharge_date", {"day": (accident + timedelta(days=12)).isoformat()}),
        ("place", {"place": "home", "cause": "fall"}),
        ("documents", {}),
        SELF_MEDICAL[-1],
    )
    check = soup(kiosk.get("/claim/check"))
    estimate = check.select_one(".estimate").get_text(" ", strip=True)
    kiosk.answer("check", {"consent": "yes"})
    return estimate


def test_claims_follow_the_policy_of_their_accident_date_across_a_renewal(
    app: Flask, runner, tmp_path: Path
) -> None:
    old = policy_file(
        tmp_path,
        "2025.toml",
        starts_on="2025-01-01",
        ends_on="2025-12-31",
        allowance_per_day='"20"',
        allowance_days_per_stay="60",
    )
    assert load(runner, old).exit_code == 0 and load(runner, EXAMPLE).exit_code == 0
    on_new_years_eve = accident_in_hospital(Kiosk(app.test_client()), date(2025, 12, 31))
    on_new_years_day = accident_in_hospital(Kiosk(app.test_client()), date(2026, 1, 1))
    assert "20元 × 12天 = 240元" in on_new_years_eve and "最多算60天" in on_new_years_eve
    assert "30元 × 12天 = 360元" in on_new_years_day and "最多算90天" in on_new_years_day
    with app.app_context():
        claims = db.session.scalars(sa.select(Claim).order_by(Claim.accident_date)).all()
        versions = {p.id: p.starts_on.year for p in policies.newest_versions()}
        assert [(versions[c.policy_id], str(c.estimated_amount)) for c in claims] == [
            (2025, "240.00"),
            (2026, "360.00"),
        ]


def test_a_correction_is_a_new_version_and_judged_claims_keep_theirs(
    app: Flask, runner, tmp_path: Path
) -> None:
    assert load(runner, EXAMPLE).exit_code == 0
    accident_in_hospital(Kiosk(app.test_client()), date(2026, 3, 1))
    corrected = policy_file(tmp_path, "fix.toml", death_sum='"5000"', insured="216500")
    result = load(runner, corrected)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "policy 潮南区 2026-01-01..2026-12-31 version 2: corrected; "
        "1 claims keep the version they were judged under"
    )
    with app.app_context():
        claim = db.session.scalars(sa.select(Claim)).one()
        assert policies.terms_of(claim).death_sum == Decimal("3000.00")  # its version 1
        newest = policies.newest_versions()[0]
        assert (newest.version, newest.terms.death_sum) == (2, Decimal("5000.00"))
        assert policies.policy_on(claim.branch, claim.accident_date) == newest
        audit = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "policy.correct")
        ).one()
        assert audit.detail["changed"] == ["death_sum", "insured"]


def test_an_accident_outside_every_policy_is_told_plainly(app: Flask, runner, tmp_path: Path):
    # the 2026 policy only till the end of June; no renewal loaded yet
    assert load(runner, policy_file(tmp_path, "half.toml", ends_on="2026-06-30")).exit_code == 0
    kiosk = Kiosk(app.test_client())
    kiosk.through(
        *SELF_MEDICAL[:4],
        ("accident_date", {"day": "2026-07-02"}),
        *SELF_MEDICAL[5:],
    )
    notices = (
        soup(kiosk.get("/claim/check")).select_one(".notices, .check-notices, main").get_text()
    )
    assert "不在已登记的任何一期保险的保障期内" in notices
    before = kiosk.answer("accident_date", {"day": "2025-12-31"})
    assert before.status_code == 200 and "2026年1月1日" in before.text  # before every policy


def test_the_loss_ratio_is_on_the_dashboard(app: Flask, runner, demo) -> None:
    assert load(runner, EXAMPLE).exit_code == 0
    with app.app_context():
        policy_id = policies.newest_versions()[0].id
        claims = db.session.scalars(sa.select(Claim).order_by(Claim.id)).all()
        paid, approved = claims[0], claims[1]
        paid.paid_amount = Decimal("216000")
        approved.state, approved.approved_amount = CaseState.APPROVED, Decimal("21600")
        for claim in claims:
            claim.policy_id = policy_id
        db.session.commit()
        paid_sum = sum((c.paid_amount or 0 for c in claims), Decimal(0))
        approved_sum = sum(
            (c.approved_amount for c in claims if c.state is CaseState.APPROVED), Decimal(0)
        )
        open_estimates = sum(
            (c.estimated_amount or 0 for c in claims if c.state.is_open), Decimal(0)
        )
        assert paid_sum >= 216000 and approved_sum >= 21600
    page = soup(desk(app, "boss").get("/staff/dashboard"))
    section = page.select_one("[data-qa=loss-ratio]")
    row = [td.get_text(strip=True) for td in section.select("[data-qa=loss-row] td")]
    figures = [f"{x:,.2f}" for x in (paid_sum, approved_sum, open_estimates)]
    assert row[:5] == ["2,160,000.00", "1,296,000.00", *figures]
    assert row[5] == f"{paid_sum / 21600:.1f}%"  # of the premium, 2,160,000
    assert section.select("figure.chart svg[role=img]"), "the chart beside the table"


def test_two_loads_of_one_file_at_the_same_moment_end_plainly(app: Flask) -> None:
    """Two admins load the reviewed file at once: one version, and the other load either
    finds it (unchanged) or is told it ran beside the first; never a traceback."""
    content = EXAMPLE.read_bytes()
    start = threading.Barrier(2)

    def one_load(_: int) -> str:
        with app.app_context():
            start.wait()
            try:
                return policies.load_policy(content).outcome
            except PolicyFileProblem as problem:
                return str(problem)
            finally:
                db.session.remove()

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(one_load, range(2)))
    assert outcomes[0] == "added", outcomes
    assert outcomes[1] == "unchanged" or "at the same moment" in outcomes[1], outcomes
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PolicyVersion.id))) == 1
