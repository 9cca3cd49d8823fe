"""Language (中文 / English) and text size (大 / 特大), kept for the kiosk session.

Both switches are plain links, so they work without JavaScript; an unknown value falls
back to the default rather than failing.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from babel.support import NullTranslations, Translations
from flask import Blueprint, Flask, has_request_context, redirect, request, session
from flask_babel.speaklater import LazyString
from werkzeug.wrappers import Response

from kiosk.platform import calendar_words
from kiosk.platform.extensions import babel

LANGUAGES = {"zh_CN": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"
TEXT_SIZES = ("normal", "xl")  # 大 / 特大
DEFAULT_TEXT_SIZE = "normal"

bp = Blueprint("prefs", __name__, url_prefix="/prefs")


def current_language() -> str:
    """The session's language; outside a request (the worker), the default."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    lang = session.get("lang")
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def current_text_size() -> str:
    size = session.get("text_size")
    return size if size in TEXT_SIZES else DEFAULT_TEXT_SIZE


CATALOGUES = Path(__file__).resolve().parent.parent / "translations"
# Each language's catalogue, read once per process: the catalogue never changes while the
# process runs. Read straight from its file, not through Flask-Babel, whose look-up walks the
# request's contexts for every string (about 40 µs, a tenth of a staff page) and parses the
# locale against Babel's CLDR tables (2.5 MB a process, ADR 0051).
_catalogues: dict[str, NullTranslations] = {}


def translations() -> NullTranslations:
    """The catalogue of this request's language."""
    language = current_language()
    found = _catalogues.get(language)
    if found is None:
        found = _catalogues[language] = Translations.load(CATALOGUES, [language])
    return found


def gettext(message: str, **variables: Any) -> str:
    """The message in this request's language, its %(name)s variables filled in."""
    text: str = translations().ugettext(message)
    return text % variables if variables else text


def lazy_gettext(message: str, **variables: Any) -> LazyString:
    """Translated when shown, in the language of the request showing it."""
    return LazyString(gettext, message, **variables)


def format_date(day: date, pattern: str = "long") -> str:
    """A day in this request's language: "long" (2026年3月7日, March 7, 2026) or a pattern."""
    if pattern == "yyyy-MM-dd":  # the staff lists': the same in every language
        return day.isoformat()[:10]
    return calendar_words.format_date(day, pattern, current_language())


def format_datetime(moment: datetime, pattern: str) -> str:
    """A moment as its own clock shows it, in this request's language."""
    return calendar_words.format_datetime(moment, pattern, current_language())


def format_money(amount: object) -> str:
    """Yuan to the fen, as this request's language writes them: ¥1,234.50."""
    return calendar_words.format_money(amount, current_language())


def safe_next(target: str | None) -> str:
    """Only a path on this site: never another host (no open redirect)."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target:
        return "/"
    return target


@bp.get("/lang/<code>")
def set_language(code: str) -> Response:
    """Switch the language for this session, then go back to the page the person was on."""
    session["lang"] = code if code in LANGUAGES else DEFAULT_LANGUAGE
    return redirect(safe_next(request.args.get("next")), 303)


@bp.get("/size/<size>")
def set_text_size(size: str) -> Response:
    """Switch between 大 and 特大 text for this session."""
    session["text_size"] = size if size in TEXT_SIZES else DEFAULT_TEXT_SIZE
    return redirect(safe_next(request.args.get("next")), 303)


def setup_i18n(app: Flask) -> None:
    babel.init_app(app, locale_selector=current_language)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # jinja2.ext.i18n adds it
        gettext=gettext,  # Jinja fills the variables itself (newstyle)
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
    )
    app.register_blueprint(bp)

    @app.context_processor
    def language_and_size() -> dict[str, object]:
        here = request.full_path.rstrip("?") if request else "/"
        return {
            "languages": LANGUAGES,
            "current_language": current_language(),
            "html_lang": "zh-CN" if current_language() == "zh_CN" else "en",
            "text_size": current_text_size(),
            "here": here,
        }
