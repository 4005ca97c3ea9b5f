"""Which language a page is shown in."""

from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_login import current_user

from portal.auth.logic import record_for_contact
from portal.auth.models import User
from portal.refusals import Refused


def supported(code: str | None) -> str | None:
    """Return `code` when it is a shipped language, else None."""
    if code and code in current_app.config["LANGUAGES"]:
        return code
    return None


def select_locale() -> str:
    """The user's choice (this browser, then their profile), else the browser's languages."""
    if not has_request_context():  # command line, background work: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = supported(session.get("lang"))
    if chosen:
        return chosen
    if current_user and current_user.is_authenticated and supported(current_user.locale):
        return current_user.locale
    return request.accept_languages.best_match(
        list(current_app.config["LANGUAGES"]), default=current_app.config["BABEL_DEFAULT_LOCALE"]
    )


class UnknownLanguage(Refused, ValueError):
    """A language the portal does not ship."""


def choose_mail_language(user: User, code: str, *, by: User) -> None:
    """Store `code` as the language `user`'s mails are written in; UnknownLanguage when the
    portal does not ship it."""
    if not supported(code):
        raise UnknownLanguage(code)
    if user.locale == code:
        return
    record_for_contact("mail_language_chosen", user, by, old=user.locale or "", new=code)
    user.locale = code
