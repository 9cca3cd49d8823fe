"""One handler per intake step: what it shows, how it reads the form, what it saves.

A handler's `read` returns the answers to save and the errors to show; nothing is saved
unless there are no errors, and the page is shown again with what the person typed.
"""

from __future__ import annotations

import calendar as month_calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, ClassVar

from werkzeug.datastructures import MultiDict

from kiosk.claims import eligibility
from kiosk.claims.identity import InvalidIdNumber, in_district, parse_id_number
from kiosk.claims.policies import PolicyBook
from kiosk.claims.types import ClaimType, DocumentKind, required_documents
from kiosk.claims.validation import (
    InvalidInput,
    Problem,
    check_amount,
    check_bank_account,
    check_description,
    check_name,
    check_phone,
)
from kiosk.platform.i18n import format_date
from kiosk.questions.confirm import confirmed, is_sure
from kiosk.questions.summary import allowance_view, check_view, terms_on, weekday_names
from kiosk.services import readings
from kiosk.words import claimant as m


@dataclass
class Context:
    """What a step needs to know besides the form: the date at the branch, the policy."""

    today: date
    policy_start: date
    district_codes: tuple[str, ...]
    # The district's policies, to judge a claim under the one of its accident date; None:
    # the default terms (kiosk.claims.benefits.TERMS).
    policies: PolicyBook | None = None
    volunteer_signed_in: bool = False
    month: str | None = None  # a date step's month page (?month=2026-11), when asked for
    photo_problem: str | None = None  # why a photo just taken was refused (?photo=too_small)


@dataclass
class Outcome:
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.warnings


def _message(table: dict, exc: InvalidInput | InvalidIdNumber) -> str:
    problem = exc.problem
    numbers = getattr(exc, "numbers", {})
    return str(table[problem]) % numbers if numbers else str(table[problem]).replace("%%", "%")


def _choice(form: MultiDict, name: str, options: dict, outcome: Outcome) -> str | None:
    """One of the options, saved under `name`, or the 请选择一项 error."""
    value = form.get(name, "")
    if value not in {str(k) for k in options}:
        outcome.errors[name] = str(m.CHOOSE_ONE)
        return None
    outcome.answers[name] = value
    return value


def _checked(form: MultiDict, name: str, check: Any, messages: dict, outcome: Outcome) -> Any:
    """The field run through its validator and saved under `name`, or its error message."""
    try:
        value = check(form.get(name, ""))
    except InvalidInput as exc:
        outcome.errors[name] = _message(messages, exc)
        return None
    outcome.answers[name] = value
    return value


class Step:
    name: ClassVar[str]
    template: ClassVar[str]

    def view(self, answers: dict[str, Any], ctx: Context) -> dict[str, Any]:
        """Extra things the template shows (choices, hints)."""
        return {}

    def values(self, answers: dict[str, Any]) -> dict[str, Any]:
        """The form's values from saved answers, for showing the page again."""
        return dict(answers)

    def read(self, form: MultiDict, answers: dict[str, Any], ctx: Context) -> Outcome:
        raise NotImplementedError


class Who(Step):
    name, template = "who", "intake/steps/who.html"

    def view(self, answers: dict[str, Any], ctx: Context) -> dict[str, Any]:
        options = (
            dict(m.WHO)
            if ctx.volunteer_signed_in
            else {k: v for k, v in m.WHO.items() if k != "volunteer"}
        )
        return {"options": options}

    def read(self, form: MultiDict, answers: dict[str, Any], ctx: Context) -> Outcome:
        outcome = Outcome()
        _choice(form, "who", self.view(answers, ctx)["options"], outcome)
        return outcome


class Identity(Step):
    name, template = "identity", "intake/steps/identity.html"

    def view(self, answers: dict[str, Any], ctx: Context) -> dict[str, Any]:
        problem = m.UPLOAD_PROBLEMS.get(ctx.photo_problem or "")
        return {"photo_error": str(problem) if problem else None}

    def read(self, form: MultiDict, answers: dict[str, Any], ctx: Context) -> Outcome:
        outcome = Outcome()
        raw = form.get("id_number", "")
        if form.get("id_ends_x") == "yes" and len(raw.replace(" ", "")) == 17:
            raw = raw.replace(" ", "") + "X"  # the numeric keypad has no X
        try:
            if not raw.strip():
                raise InvalidInput(Problem.EMPTY)
            parsed = parse_id_number(raw, today=ctx.today)
        except InvalidIdNumber as exc:
            numbers = {"count": len(raw.replace(" ", ""))}
            outcome.errors["id_number"] = str(m.ID_NUMBER_ERRORS[exc.problem]) % numbers
        except InvalidInput:
            outcome.errors["id_number"] = str(m.ID_NUMBER_ERRORS[Problem.EMPTY])
        else:
            outcome.answers.update(
                id_number=parsed.value,
                birth_date=parsed.birth_date.isoformat(),
                sex=parsed.sex,
                in_district=in_district(parsed, ctx.district_codes),
            )
        _checked(form, "name", check_name, m.NAME_ERRORS, outcome)
        return outcome


class Reporter(Step):
    name, template = "reporter", "intake/steps/reporter.html"

    def view(self, answers: dict[str, Any], ctx: Context) -> dict[str, Any]:
        return {"relationships": m.RELATIONSHIPS}

    def read(self, form: MultiDict, answers: dict[str, Any], ctx: Context) -> Outcome:
        outcome = Outcome()
        _checked(form, "reporter_name", check_name, m.NAME_ERRORS, outcome)
        _choice(form, "reporter_relationship", m.RELATIONSHIPS, outcome)
        _checked(form, "reporter_phone", check_phone, m.PHONE_ERRORS, outcome)
        return outcome


class Phone(Step):
    name, template = "phone", "intake/steps/phone.html"

    def view(self, answers: dict[str, Any], ctx: Context) -> dict[str, Any]:
        return {"optional": answers.get("who") == "family"}

    def read(self, form: MultiDict, answers: dict[str, Any], ctx: Context) -> Outcome:
        outcome = Outcome()
        if not form.get("phone", "").strip() and self.view(answers, ctx)["optional"]:
            outcome.answers["phone"] = ""
            return outcome
        _checked(form, "phone", check_phone, m.PHONE_ERRORS, outcome)
        return outcome


class ClaimTypeStep(Step):
    name, template = "claim_type", "intake/steps/claim_type.html"

    def view(self, answers: dict[str, Any], ctx: Context) -> dict[str, Any]:
        return {"options": m.CLAIM_TYPES}

    def read(self, form: MultiDict, answers: dict[str, Any], ctx: Context) -> Outcome:
        outcome = Outcome()
        _choice(form, "claim_type", m.CLAIM_TYPES, outcome)
        return outcome


class Transport(Step):
    name, template = "transport", "intake/steps/transport.html"

    def view(self, answers: dict[str, Any], ctx: Context) -> dict[str, Any]:
        return {"options": m.TRANSPORT}

    def read(self, form: MultiDict, answers: dict[str, Any], ctx: Context) -> Outcome:
        outcome = Outcome()
        _choice(form, "transport_mode", m.TRANSPORT, outcome)
        return outcome


class DateStep(Step):
    """A date chosen by one tap: today, yesterday, the day before, or a day on a month page."""

    template = "intake/steps/date.html"
    answer: ClassVar[str]

    def view(self, answers: dict[str, Any], ctx: Context) -> dict[str, Any]:
        view = {
            "field": self.answer,
            "quick": self.quick_choices(ctx),
            "today": ctx.today,
            "earliest_allowed": self.earliest(answers, ctx),
            "weekday_names": weekday_names(),
        }
        if ctx.month is not None:
            view["month"] = self.month(ctx.month, answers, ctx)
        return view

    def quick_choices(self, ctx: Context) -> list[tuple[str, str, date]]:
        labels = (m.TODAY, m.YESTERDAY, m.DAY_BEFORE)
        return [
            (
                str(label),
                format_date(ctx.today - timedelta(days=i), str(m.SHORT_DAY_PATTERN)),
                ctx.today - timedelta(days=i),
            )
            for i, label in enumerate(labels)
        ]

    def month(self, month_arg: str | None, answers: dict[str, Any], ctx: Context) -> dict[str, Any]:
        """A month page: weeks of days, each a button unless it cannot be chosen."""
        try:
            year, number = (int(p) for p in (month_arg or "").split("-"))
            first = date(year, number, 1)
        except ValueError:
            chosen = answers.get(self.answer)
            first = (date.fromisoformat(chosen) if chosen else ctx.today).replace(day=1)
        earliest = self.earliest(answers, ctx).replace(day=1)
        first = min(max(first, earliest), ctx.today.replace(day=1))
        weeks = month_calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
        previous = (first - timedelta(days=1)).replace(day=1)
        following = (first + timedelta(days=31)).replace(day=1)
        return {
            "first": first,
            "weeks": weeks,
            "previous": previous if previous >= earliest else None,
            "next": following if following <= ctx.today else None,
            "earliest": self.earliest(answers, ctx),
        }

    def earliest(self, answers: dict[str, Any], ctx: Context) -> date:
        return ctx.policy_start

    def read(self, form: MultiDict, answers: dict[str, Any], ctx: Context) -> Outcome:
        outcome = Outcome()
        try:
            chosen = date.fromisoformat(form.get("day", ""))
        except ValueError:
            outcome.errors[self.answer] = str(m.DATE_INVALID)
            return outcome
        problem = self.problem(chosen, answers, ctx)
        if problem:
            outcome.errors[self.answer] = problem
        else:
            outcome.answers[self.answer] = chosen.isoformat()
        return outcome

    def problem(self, chosen: date, answers: dict[str, Any], ctx: Context) -> str | None:
        raise NotImplementedError


class AccidentDate(DateStep):
    name, answer = "accident_date", "accident_date"

    def problem(self, chosen: date, answers: dict[str, Any], ctx: Context) -> str | None:
        born = date.fromisoformat(answers["birth_date"])
        result = eligibility.check_eligibility(
            born=born,
            claim_type=ClaimType(answers.get("claim_type", ClaimType.MEDICAL.value)),
            accident_date=chosen,
            today=ctx.today,
            policy_start=ctx.policy_start,
        )
        if result.blocking is None:
            return None
        return str(m.ACCIDENT_DATE_REFUSED[result.blocking]) % {
            "date": format_date(ctx.policy_start, "long")
        }


class LaterDateStep(DateStep):
    """A date that cannot be before an earlier answer (the accident, the admission)."""

    after: ClassVar[str]  # the answer this date may not precede
    too_early: ClassVar[Any]  # the message, with %(date)s

    def earliest(self, answers: dict[str, Any], ctx: Context) -> date:
        return date.fromisoformat(answers[self.after])

    def problem(self, chosen: date, answers: dict[str, Any], ctx: Context) -> str | None:
        if chosen > ctx.today:
            return str(m.DATE_IN_FUTURE)
        earliest = self.earliest(answers, ctx)
        if chosen < earliest:
            return str(self.too_early) % {"date": format_date(earliest, "long")}
        return None


class OutcomeDate(LaterDateStep):
    name, answer, after = "outcome_date", "outcome_date", "accident_date"
    too_early = m.OUTCOME_BEFORE_ACCIDENT


class AdmissionDate(LaterDateStep):
    name, answer, after = "admission_date", "admission_date", "accident_date"
    too_early = m.ADMISSION_BEFORE_ACCIDENT


class DischargeDate(LaterDateStep):
    """出院日期, or 还在住院: the allowance is then counted when the person is discharged."""

    name, answer, after = "discharge_date", "discharge_date", "admission_date"
    too_early = m.DISCHARGE_BEFORE_ADMISSION

    def read(self, form: MultiDict, answers: dict[str, Any], ctx: Context) -> Outcome:
        if form.get("day") == "still":
            return Outcome(answers={"discharge_date": ""})
        return super().read(form, answers, ctx)


class Place(Step):
    name, template = "place", "intake/steps/place.html"

    def view(self, answers: dict[str, Any], ctx: Context) -> dict[str, Any]:
        return {"places": m.PLACES, "causes": m.CAUSES}

    def read(self, form: MultiDict, answers: dict[str, Any], ctx: Context) -> Outcome:
        outcome = Outcome()
        _choice(form, "place", m.PLACES, outcome)
        _choice(form, "cause", m.CAUSES, outcome)
        _checked(form, "description", check_description, m.DESCRIPTION_ERRORS, outcome)
        return outcome


def documents_needed(answers: dict[str, Any]) -> list[str]:
    """The documents this claim needs, as DocumentKind values, in the order to gather them."""
    claim_type = ClaimType(answers["claim_type"])
    kinds = required_documents(claim_type, claimant_is_insured=answers.get("who") != "family")
    return [kind.value for kind in kinds]


class Documents(Step):
    name, template = "documents", "intake/steps/documents.html"

    def view(self, answers: dict[str, Any], ctx: Context) -> dict[str, Any]:
        return {
            "allowance": allowance_view(answers, terms_on(ctx, answers.get("accident_date"))),
            "documents": [
                {
                    "kind": kind,
                    "title": m.DOCUMENTS[DocumentKind(kind)][0],
                    "detail": m.DOCUMENTS[DocumentKind(kind)][1],
                    "sample": m.SAMPLES.get(kind, "paper"),
                    "photos": answers.get("photos", {}).get(kind, []),
                }
                for kind in documents_needed(answers)
            ],
            "stay_read": stay_read(answers),
        }

    def read(self, form: MultiDict, answers: dict[str, Any], ctx: Context) -> Outcome:
        return Outcome()


def stay_read(answers: dict[str, Any]) -> dict[str, Any] | None:
    """The hospital stay read from the latest discharge summary photo, beside the answers."""
    photos = answers.get("photos", {}).get("discharge_summary", [])
    if not photos or answers.get("claim_type") != "hospital_allowance":
        return None
    photo = photos[-1]
    reading = readings.reading_of(photo["file"])
    admission = readings.field(reading, "admission_date")
    discharge = readings.field(reading, "discharge_date")
    read = {"photo": photo, "state": readings.state(reading)}
    hospital = readings.field(reading, "hospital")
    if hospital and hospital.get("grade") is not None:
        read["hospital"], read["grade"] = hospital["value"], hospital["grade"]
    if admission and discharge:
        read["admission"] = date.fromisoformat(admission["value"])
        read["discharge"] = date.fromisoformat(discharge["value"])
        read["same"] = (admission["value"], discharge["value"]) == (
            answers.get("admission_date"),
            answers.get("discharge_date"),
        )
    return read


class Receipts(Step):
    """每张票据的金额: the total OCR read from each photo, confirmed (对 / 改一下), or typed."""

    name, template = "receipts", "intake/steps/receipts.html"

    def view(self, answers: dict[str, Any], ctx: Context) -> dict[str, Any]:
        receipts = [
            self.item(photo) for photo in answers.get("photos", {}).get("medical_receipt", [])
        ]
        amounts = answers.get("receipt_amounts", {})
        total = sum((Decimal(a) for a in amounts.values()), Decimal(0))
        return {
            "receipts": receipts,
            "waiting": any(r["state"] == "waiting" for r in receipts),
            "receipts_total": total if amounts else None,
        }

    @staticmethod
    def item(photo: dict[str, Any]) -> dict[str, Any]:
        """One receipt photo with the state of its reading and the total read, if any."""
        reading = readings.reading_of(photo["file"])
        total = readings.field(reading, "total")
        return {
            "photo": photo,
            "state": readings.state(reading),
            "total": total,
            "sure": is_sure(total),
        }

    def values(self, answers: dict[str, Any]) -> dict[str, Any]:
        return {f"amount-{k}": v for k, v in answers.get("receipt_amounts", {}).items()}

    def read(self, form: MultiDict, answers: dict[str, Any], ctx: Context) -> Outcome:
        outcome = Outcome()
        amounts = {}
        for photo in answers.get("photos", {}).get("medical_receipt", []):
            name = f"amount-{photo['id']}"
            reading = readings.reading_of(photo["file"])
            total = readings.field(reading, "total")
            value = confirmed(form, name, total, outcome.errors)
            if name in outcome.errors:
                continue
            if total is None and not value.strip() and readings.state(reading) != "waiting":
                continue  # not read, not typed: skipped, staff read it from the photo
            try:
                amounts[photo["id"]] = str(check_amount(value))
            except InvalidInput as exc:
                outcome.errors[name] = _message(m.AMOUNT_ERRORS, exc)
        outcome.answers["receipt_amounts"] = amounts
        return outcome


class Payment(Step):
    name, template = "payment", "intake/steps/payment.html"

    def view(self, answers: dict[str, Any], ctx: Context) -> dict[str, Any]:
        return {"banks": m.BANKS}

    def values(self, answers: dict[str, Any]) -> dict[str, Any]:
        values = dict(answers)
        if not values.get("holder"):
            family_claims = (
                answers.get("who") == "family"
                and ClaimType(answers.get("claim_type", "medical")).is_death
            )
            values["holder"] = (
                answers.get("reporter_name") if family_claims else answers.get("name")
            )
        return values

    def read(self, form: MultiDict, answers: dict[str, Any], ctx: Context) -> Outcome:
        outcome = Outcome()
        bank = _choice(form, "bank", m.BANKS, outcome)
        if bank:
            other = form.get("bank_other", "").strip()[:40]
            if bank == "other" and not other:
                outcome.errors["bank_other"] = str(m.BANK_NAME_EMPTY)
            outcome.answers["bank_other"] = other if bank == "other" else ""
        _checked(form, "holder", check_name, m.HOLDER_ERRORS, outcome)
        try:
            account = check_bank_account(form.get("account", ""))
        except InvalidInput as exc:
            outcome.errors["account"] = _message(m.ACCOUNT_ERRORS, exc)
        else:
            outcome.answers.update(account=account.number, account_luhn_ok=account.luhn_ok)
            # A failing check digit warns once; the same number sent again is accepted.
            if not account.luhn_ok and form.get("account_confirmed") != account.number:
                outcome.warnings["account"] = str(m.ACCOUNT_LUHN_WARNING)
        return outcome


class Check(Step):
    name, template = "check", "intake/check.html"

    def view(self, answers: dict[str, Any], ctx: Context) -> dict[str, Any]:
        return check_view(answers, ctx)

    def read(self, form: MultiDict, answers: dict[str, Any], ctx: Context) -> Outcome:
        outcome = Outcome()
        if form.get("consent") != "yes":
            outcome.errors["consent"] = str(m.CONSENT_MISSING)
        return outcome


STEPS: dict[str, Step] = {
    step.name: step
    for step in (
        Who(),
        Identity(),
        Reporter(),
        Phone(),
        ClaimTypeStep(),
        Transport(),
        AccidentDate(),
        AdmissionDate(),
        DischargeDate(),
        OutcomeDate(),
        Place(),
        Documents(),
        Receipts(),
        Payment(),
        Check(),
    )
}

__all__ = ["STEPS", "Context", "Outcome"]
