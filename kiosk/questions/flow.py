"""Which intake steps apply, in what order, given the answers so far. No Flask here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kiosk.claims.types import ClaimType

# Every step the intake can show, in order. A step whose condition fails is skipped.
ALL_STEPS = (
    "who",  # 本人 / 家人代报 / 志愿者协助
    "identity",  # the insured's ID number and name
    "reporter",  # the family member reporting: name, relationship, phone
    "phone",  # the insured's own phone
    "claim_type",  # 住院了 / 看了门诊 / 伤残 / 去世 / 公共交通
    "transport",  # which conveyance (transport death only)
    "accident_date",
    "admission_date",  # hospital allowance: the stay gives the estimate
    "discharge_date",
    "outcome_date",  # date of death or of the disability assessment
    "place",  # where and how
    "documents",
    "receipts",  # medical: the total of each receipt photographed, added up on screen
    "payment",
    "check",  # check answers, consent, submit
)


def _claim_type(answers: Mapping[str, Any]) -> ClaimType | None:
    value = answers.get("claim_type")
    return (
        ClaimType(value)
        if isinstance(value, str) and value in ClaimType._value2member_map_
        else None
    )


def applies(step: str, answers: Mapping[str, Any]) -> bool:
    """Whether `step` is part of this person's intake."""
    claim_type = _claim_type(answers)
    if step == "reporter":
        return answers.get("who") == "family"
    if step == "transport":
        return claim_type is ClaimType.TRANSPORT_DEATH
    if step == "receipts":
        photos = answers.get("photos", {}).get("medical_receipt", [])
        return claim_type is ClaimType.MEDICAL and bool(photos)
    if step in ("admission_date", "discharge_date"):
        return claim_type is ClaimType.HOSPITAL_ALLOWANCE
    if step == "outcome_date":
        return claim_type in (ClaimType.DEATH, ClaimType.TRANSPORT_DEATH, ClaimType.DISABILITY)
    return step in ALL_STEPS


def steps_for(answers: Mapping[str, Any]) -> list[str]:
    return [step for step in ALL_STEPS if applies(step, answers)]


def step_number(step: str, answers: Mapping[str, Any]) -> tuple[int, int]:
    """(n, of): "第 n 步，共 of 步"."""
    steps = steps_for(answers)
    return steps.index(step) + 1, len(steps)


def previous_step(step: str, answers: Mapping[str, Any]) -> str | None:
    steps = steps_for(answers)
    index = steps.index(step)
    return steps[index - 1] if index else None


def first_unanswered(answers: Mapping[str, Any]) -> str:
    """The first applicable step not yet answered; "check" when all are."""
    done = set(answers.get("_done", []))
    for step in steps_for(answers):
        if step not in done:
            return step
    return "check"


def step_to_ask(step: str, answers: Mapping[str, Any]) -> str:
    """`step` if it may be asked now; else the first unanswered one (a step that does not
    apply, or one beyond the first unanswered, is not skipped to)."""
    steps, pending = steps_for(answers), first_unanswered(answers)
    if step not in steps or steps.index(step) > steps.index(pending):
        return pending
    return step


def next_step(step: str, answers: Mapping[str, Any], *, returning_to_check: bool = False) -> str:
    """The step after `step`; when the person came from check answers, back there, unless
    the change opened a step still to answer (say, a family member's details)."""
    if returning_to_check:
        return first_unanswered(answers)
    steps = steps_for(answers)
    index = steps.index(step)
    return steps[index + 1] if index + 1 < len(steps) else "check"
