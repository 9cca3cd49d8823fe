"""What the check-answers and done pages show, built from answers or a claim."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from kiosk.claims import eligibility
from kiosk.claims.benefits import TERMS, PolicyTerms, hospital_allowance
from kiosk.claims.case_numbers import format_case_number
from kiosk.claims.masking import mask_bank_account, mask_id_number, mask_name, mask_phone
from kiosk.claims.sla import review_due
from kiosk.claims.types import ClaimType, required_documents
from kiosk.platform.i18n import format_date, format_money
from kiosk.platform.i18n import lazy_gettext as _l
from kiosk.platform.models import Claim, DocumentStatus
from kiosk.services import roster
from kiosk.services.submission import estimated_amount, hospital_stay
from kiosk.words import claimant as m

OUTCOME_LABEL = {
    ClaimType.DEATH: _l("去世日期"),
    ClaimType.TRANSPORT_DEATH: _l("去世日期"),
    ClaimType.DISABILITY: _l("伤残鉴定日期"),
}


def terms_on(ctx: Any, day: str | None) -> PolicyTerms:
    """The terms of the policy in force on `day` (the accident date, ISO) for the step
    context `ctx`, else the default ones (kiosk.claims.benefits.TERMS)."""
    policy = ctx.policies.in_force(date.fromisoformat(day)) if ctx.policies and day else None
    return policy.terms if policy else TERMS


def outside_every_policy(ctx: Any, day: str) -> bool:
    """An accident on a day no loaded policy of the district covers (a gap, or past the end
    before the renewal is loaded): said plainly, and left to staff."""
    return ctx.policies is not None and ctx.policies.in_force(date.fromisoformat(day)) is None


def _day(iso: str) -> str:
    return format_date(date.fromisoformat(iso), "long")


def check_rows(answers: dict[str, Any]) -> list[dict[str, Any]]:
    """Every answer, masked where sensitive, with the step that changes it."""
    claim_type = ClaimType(answers["claim_type"])
    rows = [
        (_l("谁来办理"), m.WHO[answers["who"]][0], "who"),
        (_l("老人姓名"), answers["name"], "identity"),
        (_l("身份证号码"), mask_id_number(answers["id_number"]), "identity"),
    ]
    if answers.get("who") == "family":
        rows.append(
            (
                _l("报案人"),
                f"{answers['reporter_name']}（{m.RELATIONSHIPS[answers['reporter_relationship']]}）"
                f" {mask_phone(answers['reporter_phone'])}",
                "reporter",
            )
        )
    rows.append(
        (
            _l("老人的电话"),
            mask_phone(answers["phone"]) if answers.get("phone") else _l("没有填写"),
            "phone",
        )
    )
    rows.append((_l("出了什么事"), m.CLAIM_TYPES[claim_type][0], "claim_type"))
    if answers.get("transport_mode"):
        rows.append((_l("交通工具"), m.TRANSPORT[answers["transport_mode"]], "transport"))
    rows.append((_l("意外日期"), _day(answers["accident_date"]), "accident_date"))
    if answers.get("admission_date"):
        rows.append((_l("住院日期"), _day(answers["admission_date"]), "admission_date"))
        rows.append(
            (
                _l("出院日期"),
                _day(answers["discharge_date"])
                if answers.get("discharge_date")
                else _l("还在住院"),
                "discharge_date",
            )
        )
    if claim_type in OUTCOME_LABEL:
        rows.append((OUTCOME_LABEL[claim_type], _day(answers["outcome_date"]), "outcome_date"))
    rows.append((_l("在哪里"), m.PLACES[answers["place"]], "place"))
    rows.append((_l("怎么发生的"), m.CAUSES[answers["cause"]], "place"))
    if answers.get("description"):
        rows.append((_l("经过"), answers["description"], "place"))
    if answers.get("receipt_amounts"):
        total = sum(Decimal(a) for a in answers["receipt_amounts"].values())
        rows.append((m.RECEIPTS_TOTAL, format_money(total), "receipts"))
    bank = answers["bank_other"] if answers["bank"] == "other" else m.BANKS[answers["bank"]]
    rows.append((_l("收款银行"), bank, "payment"))
    rows.append((_l("收款人"), answers["holder"], "payment"))
    rows.append((_l("卡号"), mask_bank_account(answers["account"]), "payment"))
    return [{"label": label, "value": value, "step": step} for label, value, step in rows]


def allowance_view(answers: dict[str, Any], terms: PolicyTerms = TERMS) -> dict[str, Any] | None:
    """预计可领 30元 × 12天 = 360元, with the caps that applied, for the hospital allowance,
    under `terms` (the policy in force on the accident date)."""
    if (
        answers.get("claim_type") != ClaimType.HOSPITAL_ALLOWANCE.value
        or "discharge_date" not in answers
    ):
        return None
    numbers = {
        "per_day": f"{terms.allowance_per_day:,.0f}",
        "stay": terms.allowance_days_per_stay,
        "year": terms.allowance_days_per_year,
    }
    rules = str(m.ALLOWANCE_RULES) % numbers
    stay = hospital_stay(answers)
    if stay is None:
        return {"figure": None, "notes": [str(m.ALLOWANCE_STILL_IN) % numbers, rules]}
    estimate = hospital_allowance([stay], terms=terms)
    notes = [rules]
    if estimate.stays[0].capped_by == "stay":
        notes.insert(0, str(m.ALLOWANCE_CAPPED_STAY) % numbers)
    figure = str(m.ALLOWANCE_FIGURE) % {
        "per_day": numbers["per_day"],
        "days": estimate.days_paid,
        "amount": f"{estimate.amount:,.0f}",
    }
    return {"figure": figure, "notes": notes}


def check_view(answers: dict[str, Any], ctx: Any) -> dict[str, Any]:
    claim_type = ClaimType(answers["claim_type"])
    kinds = required_documents(claim_type, claimant_is_insured=answers.get("who") != "family")
    terms = terms_on(ctx, answers["accident_date"])
    amount = estimated_amount(answers, terms)
    notices = check_notices(answers, today=ctx.today, policy_start=ctx.policy_start)
    if outside_every_policy(ctx, answers["accident_date"]):
        notices.insert(0, str(m.OUTSIDE_EVERY_POLICY))
    return {
        "rows": check_rows(answers),
        "notices": notices,
        "missing": [
            m.DOCUMENTS[kind][0] for kind in kinds if not answers.get("photos", {}).get(kind.value)
        ],
        "amount": format_money(amount) if amount is not None else None,
        "allowance": allowance_view(answers, terms),
    }


def weekday_names() -> list[str]:
    """Monday first, in the page's language: 一 二 三 ... or Mon Tue ..."""
    monday = date(2024, 1, 1)
    return [format_date(monday + timedelta(days=i), "EEEEE") for i in range(7)]


def check_notices(answers: dict[str, Any], *, today: date, policy_start: date) -> list[str]:
    """Things staff will look at that the person should know now, said kindly."""
    notices = []
    if answers.get("in_district") is False:
        notices.append(str(m.NOT_IN_DISTRICT))
    result = eligibility.check_eligibility(
        born=date.fromisoformat(answers["birth_date"]),
        claim_type=ClaimType(answers["claim_type"]),
        accident_date=date.fromisoformat(answers["accident_date"]),
        today=today,
        policy_start=policy_start,
        consequence_date=(
            date.fromisoformat(answers["outcome_date"]) if answers.get("outcome_date") else None
        ),
    )
    if eligibility.EligibilityProblem.COVER_NOT_STARTED in result.problems:
        notices.append(str(m.COVER_NOT_STARTED))
    if eligibility.EligibilityProblem.CONSEQUENCE_AFTER_180_DAYS in result.problems:
        notices.append(str(m.AFTER_180_DAYS))
    standing = roster.standing_of(
        answers["id_number"], date.fromisoformat(answers["accident_date"])
    )
    if standing in m.ROSTER_NOTICES:
        notices.append(str(m.ROSTER_NOTICES[standing]))
    return notices


def done_view(claim: Claim) -> dict[str, Any]:
    missing = [d for d in claim.documents if d.status is not DocumentStatus.RECEIVED]
    return {
        "claim": claim,
        "case_number": format_case_number(claim.case_number),
        "insured_name": mask_name(claim.insured.name),
        "claim_type_label": m.CLAIM_TYPES[claim.claim_type][0],
        "missing": [m.DOCUMENTS[d.kind][0] for d in missing],
        "review_by": None if missing else format_date(review_due(claim.reported_on), "long"),
        "reported_on": format_date(claim.reported_on, "long"),
    }
