"""The language switcher, and formatting helpers for templates."""

from __future__ import annotations

from urllib.parse import urlsplit

from babel.numbers import format_percent
from flask import Blueprint, Flask, abort, current_app, flash, redirect, request, session, url_for
from flask_babel import force_locale, format_date, format_datetime, format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.access import buyer_required, supplier_required
from portal.i18n.forms import MailLanguageForm
from portal.i18n.logic import UnknownLanguage, choose_mail_language, supported

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
    # The page language of this browser only: a GET never changes stored data (another
    # site could trigger it with a link). Contacts choose their mail language by a POST.
    session["lang"] = code
    return redirect(safe_next(request.args.get("next"), url_for("auth.home")))


@bp.post("/s/mail-language")
@supplier_required
def choose_mail_language_view():
    """A contact chooses, on its home page, the language its mails are written in."""
    return _choose_mail_language(back=url_for("supplier.home"))


@bp.post("/b/mail-language")
@buyer_required
def choose_buyer_mail_language():
    """A buyer or admin chooses, on its notifications page, the language of its mails."""
    return _choose_mail_language(back=url_for("notifications.settings"))


def _choose_mail_language(*, back: str):
    form = MailLanguageForm()  # its CSRF token is checked by CSRFProtect before this runs
    try:
        choose_mail_language(current_user, form.language.data or "", by=current_user)
    except UnknownLanguage:
        flash(_("We do not offer that language. Please choose one from the list."), "error")
        return redirect(back)
    session["lang"] = current_user.locale  # the pages follow the choice too
    language = current_app.config["LANGUAGES"][current_user.locale]
    with force_locale(current_user.locale):
        flash(_("Your mails will now be written in %(language)s.", language=language), "success")
    return redirect(back)


def init_template_helpers(app: Flask) -> None:
    """Expose locale-aware formatters and the current language to every template."""

    @app.context_processor
    def helpers():
        locale = get_locale()
        language = str(locale) if locale else "en"  # a shipped code: "fr", "zh_Hans"
        return {
            "format_date": format_date,
            "format_datetime": format_datetime,
            "format_decimal": format_decimal,
            "format_percent": lambda value: format_percent(
                round(value, 3), locale=locale, decimal_quantization=False
            ),
            "current_language": language,
            "html_language": language.replace("_", "-"),  # BCP 47, for lang="…"
            "text_direction": locale.character_order == "right-to-left" and "rtl" or "ltr",
            "languages": app.config["LANGUAGES"],
        }
