"""Reading the complaint, satisfaction and home-visit forms: clean values or plain-words
errors keyed by field, and what was typed kept to show again."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from kiosk.claims.validation import InvalidInput, check_name, check_phone
from kiosk.services.feedback import (
    ADDRESS_MAX,
    ADDRESS_MIN,
    COMPLAINT_MAX,
    COMPLAINT_MIN,
    VisitSlot,
    check_comment,
    check_text,
)
from kiosk.words import claimant as m
from kiosk.words import family as w


@dataclass
class Form:
    values: dict[str, str]
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def check(self, name: str, check: Any, messages: dict) -> None:
        try:
            self.answers[name] = check(self.values.get(name, ""))
        except InvalidInput as exc:
            text = str(messages[exc.problem])
            self.errors[name] = text % exc.numbers if exc.numbers else text


def _form(form: MultiDict, names: tuple[str, ...]) -> Form:
    return Form({name: form.get(name, "") for name in names})


def read_complaint(form: MultiDict, phone_on_file: bool) -> Form:
    """The complaint's text, and a callback phone: optional when the case has one."""
    f = _form(form, ("text", "phone"))
    f.check("text", lambda raw: check_text(raw, COMPLAINT_MIN, COMPLAINT_MAX), w.COMPLAINT_ERRORS)
    if f.values["phone"].strip() or not phone_on_file:
        f.check("phone", check_phone, m.PHONE_ERRORS)
    else:
        f.answers["phone"] = None
    return f


def read_satisfaction(form: MultiDict) -> Form:
    f = _form(form, ("score", "comment"))
    f.check("comment", check_comment, w.COMMENT_ERRORS)
    score = f.values["score"]
    if score not in {str(s) for s in w.FACES}:
        f.errors["score"] = str(m.CHOOSE_ONE)
    else:
        f.answers["score"] = int(score)
    return f


def read_visit(form: MultiDict, slots: list[VisitSlot], ask_name: bool) -> Form:
    """Who (at the kiosk only: the link's case knows), a phone, the address, a half-day."""
    f = _form(form, ("name", "phone", "address", "slot"))
    if ask_name:
        f.check("name", check_name, m.NAME_ERRORS)
    f.check("phone", check_phone, m.PHONE_ERRORS)
    f.check(
        "address",
        lambda raw: check_text(raw, ADDRESS_MIN, ADDRESS_MAX, prose=False),
        w.ADDRESS_ERRORS,
    )
    chosen = next((s for s in slots if s.value == f.values["slot"]), None)
    if chosen is None:
        f.errors["slot"] = str(w.VISIT_SLOT_EMPTY)
    else:
        f.answers["slot"] = chosen
    return f
