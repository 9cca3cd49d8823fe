"""手工受理: a claim written on the paper form (when the kiosk is down, or at a home visit),
typed in by staff. Every answer goes through the kiosk's own steps (kiosk.questions.steps), so a
paper claim is checked exactly as a kiosk one, as of the form's date; it is then stored and
submitted the same way (kiosk.services.paper)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from werkzeug.datastructures import MultiDict

from kiosk.claims.types import ClaimType, DocumentKind
from kiosk.claims.validation import InvalidInput, check_amount
from kiosk.questions.flow import ALL_STEPS, applies
from kiosk.questions.steps import STEPS, Context, Outcome
from kiosk.words import claimant as m
from kiosk.words import staff as w

DATE_STEPS = ("accident_date", "admission_date", "discharge_date", "outcome_date")
NOT_ON_PAPER = ("documents", "receipts", "check")  # photos; the consent is the signature


def read_paper_form(form: MultiDict, ctx: Context) -> Outcome:
    """All the form's answers, through each step that applies, in the kiosk's order."""
    result = Outcome()
    for name in ALL_STEPS:
        if name in NOT_ON_PAPER or not applies(name, result.answers):
            continue
        fields: Any = form
        if name in DATE_STEPS:
            day = "still" if name == "discharge_date" and form.get("still_in_hospital") else None
            fields = MultiDict({"day": day or form.get(name, "")})
        try:
            outcome = STEPS[name].read(fields, result.answers, ctx)
        except KeyError:  # it needs an earlier answer that has an error of its own
            continue
        result.answers.update(outcome.answers)
        result.errors.update(outcome.errors)
        result.warnings.update(outcome.warnings)
    if result.answers.get("claim_type") == ClaimType.MEDICAL.value:
        raw = form.get("receipts_total", "")
        if raw.strip():
            try:
                result.answers["receipt_amounts"] = {"paper": str(check_amount(raw))}
            except InvalidInput as exc:
                text = str(m.AMOUNT_ERRORS[exc.problem])
                result.errors["receipts_total"] = text % exc.numbers if exc.numbers else text
    kinds = {k.value for k in DocumentKind}
    result.answers["paper_received"] = [k for k in form.getlist("received") if k in kinds]
    if form.get("signed") != "yes":
        result.errors["signed"] = str(m.CONSENT_MISSING)
    return result


@dataclass
class PaperForm(Outcome):
    """A paper form read: the answers, errors and warnings, and the form's date (the report
    date; None when it is missing, not a day, or outside the policy's start and today)."""

    form_date: date | None = None


def form_date_of(raw: str, ctx: Context) -> date | None:
    """The day written on the form, if it lies between the policy's start and today."""
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return None
    return day if ctx.policy_start <= day <= ctx.today else None


def check_paper_form(form: MultiDict, ctx: Context) -> PaperForm:
    """The form's date, then every answer checked as at the kiosk on the day of the form."""
    form_date = form_date_of(form.get("reported_on", ""), ctx)
    outcome = read_paper_form(form, replace(ctx, today=form_date or ctx.today))
    errors = {} if form_date is not None else {"reported_on": str(w.FORM_DATE_BAD)}
    return PaperForm(
        outcome.answers, {**errors, **outcome.errors}, outcome.warnings, form_date=form_date
    )
