"""Template filters for kiosk pages."""

from __future__ import annotations

from datetime import date

from flask_babel import format_currency
from flask_babel import format_date as babel_format_date

from kiosk.claims.masking import mask_name
from kiosk.claims.validation import digits_only
from kiosk.intake.blueprint import bp


@bp.app_template_global("choice_parts")
def choice_parts(label: object) -> tuple[object, object | None]:
    """A choice is shown as (title, one-line explanation) or just a title."""
    return (label[0], label[1]) if isinstance(label, tuple) else (label, None)


@bp.app_template_filter("mask_name")
def mask_name_filter(name: str) -> str:
    return mask_name(name or "")


@bp.app_template_filter("format_date")
def format_date_filter(day: date, pattern: str = "long") -> str:
    """In the language's long form, or a pattern; yyyy-MM-dd (the staff lists') is the ISO
    date in every language, written without asking Babel for the locale's rules."""
    return day.isoformat() if pattern == "yyyy-MM-dd" else babel_format_date(day, pattern)


@bp.app_template_filter("iso_date")
def iso_date_filter(iso: str) -> str:
    return babel_format_date(date.fromisoformat(iso), "long")


@bp.app_template_filter("money")
def money_filter(amount: object) -> str:
    return format_currency(amount, "CNY")


@bp.app_template_filter("digits")
def digits_filter(raw: str) -> str:
    return digits_only(raw or "")
