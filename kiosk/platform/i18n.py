"""Language (中文 / English) and text size (大 / 特大), kept for the kiosk session.

Both switches are plain links, so they work without JavaScript; an unknown value falls
back to the default rather than failing.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from babel.support import NullTranslations
from flask import Blueprint, Flask, has_request_context, redirect, request, session
from flask_babel import force_locale, get_translations
from flask_babel.speaklater import LazyString
from werkzeug.wrappers import Response

from kiosk.platform.extensions import babel

LANGUAGES = {"zh_CN": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"
TEXT_SIZES = ("normal", "xl")  # 大 / 特大
DEFAULT_TEXT_SIZE = "normal"

bp = Blueprint("prefs", __name__, url_prefix="/prefs")


def current_language() -> str:
    lang = session.get("lang")
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def current_text_size() -> str:
    size = session.get("text_size")
    return size if size in TEXT_SIZES else DEFAULT_TEXT_SIZE


# Each language's catalogue, as Flask-Babel loaded it: its own look-up walks the request's
# contexts again for every string (about 40 µs, a tenth of a staff page), though the
# language is the session's and the catalogue never changes while the process runs.
_catalogues: dict[str, NullTranslations] = {}


def translations() -> NullTranslations:
    """The catalogue of this request's language (Flask-Babel's own outside a request)."""
    if not has_request_context():
        return get_translations()
    language = current_language()
    found = _catalogues.get(language)
    if found is None:
        with force_locale(language):  # not the locale this request may have looked up before
            found = _catalogues[language] = get_translations()
    return found


def gettext(message: str, **variables: Any) -> str:
    """Flask-Babel's gettext, with the catalogue looked up once per language."""
    text: str = translations().ugettext(message)
    return text % variables if variables else text


def lazy_gettext(message: str, **variables: Any) -> LazyString:
    """Translated when shown, in the language of the request showing it."""
    return LazyString(gettext, message, **variables)


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
