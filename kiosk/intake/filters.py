"""Template filters for kiosk pages."""

from __future__ import annotations

from datetime import date

from kiosk.claims.masking import mask_name
from kiosk.claims.validation import digits_only
from kiosk.intake.blueprint import bp
from kiosk.platform.i18n import format_date, format_money


@bp.app_template_global("choice_parts")
def choice_parts(label: object) -> tuple[object, object | None]:
    """A choice is shown as (title, one-line explanation) or just a title."""
    return (label[0], label[1]) if isinstance(label, tuple) else (label, None)


@bp.app_template_filter("mask_name")
def mask_name_filter(name: str) -> str:
    return mask_name(name or "")


# In this request's language: a date "long" unless a pattern is given; yuan to the fen.
bp.add_app_template_filter(format_date, "format_date")
bp.add_app_template_filter(format_money, "money")


@bp.app_template_filter("iso_date")
def iso_date_filter(iso: str) -> str:
    return format_date(date.fromisoformat(iso))


@bp.app_template_filter("digits")
def digits_filter(raw: str) -> str:
    return digits_only(raw or "")
