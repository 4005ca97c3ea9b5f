"""The language switcher, and formatting helpers for templates."""

from __future__ import annotations

from urllib.parse import urlsplit

from babel.numbers import format_percent
from flask import Blueprint, Flask, abort, redirect, request, session, url_for
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_login import current_user

from portal.i18n.logic import supported

bp = Blueprint("i18n", __name__)


def safe_next(target: str | None, fallback: str) -> str:
    """Return `target` only when it is a path on this site, else `fallback`."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


@bp.get("/lang/<code>")
def switch_language(code: str):
    if not supported(code):
        abort(404)
    session["lang"] = code
    if current_user.is_authenticated:
        current_user.locale = code
    return redirect(safe_next(request.args.get("next"), url_for("auth.home")))


def init_template_helpers(app: Flask) -> None:
    """Expose locale-aware formatters and the current language to every template."""

    @app.context_processor
    def helpers():
        locale = get_locale()
        language = locale.language if locale else "en"
        return {
            "format_date": format_date,
            "format_datetime": format_datetime,
            "format_decimal": format_decimal,
            "format_percent": lambda value: format_percent(
                round(value, 3), locale=locale, decimal_quantization=False
            ),
            "current_language": language,
            "text_direction": locale.character_order == "right-to-left" and "rtl" or "ltr",
            "languages": app.config["LANGUAGES"],
        }
