"""Error pages in the layout of the side the user is on; never a stack trace."""

from __future__ import annotations

import math
import time

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.extensions import db, limiter


def _supplier_side() -> bool:
    if request.path.startswith(("/s/", "/link")):
        return True
    try:
        return current_user.is_authenticated and current_user.is_supplier
    except Exception:  # the user could not be loaded: the database may be the problem
        return False


def _messages(code: int) -> tuple[str, str]:
    titles = {
        400: (
            _("Something was wrong with that request"),
            _("Please go back, reload the page and try again."),
        ),
        403: (
            _("This page is not for you"),
            _(
                "Your account cannot open this page. Check that you are signed in as the "
                "right person."
            ),
        ),
        404: (_("Page not found"), _("This page does not exist, or it is not yours to see.")),
        405: (
            _("Something was wrong with that request"),
            _("Please go back, reload the page and try again."),
        ),
        410: (_("This link no longer works"), _("Ask for a new link below.")),
        413: (_("That file is too large"), _("Please choose a smaller file and try again.")),
        500: (
            _("Something went wrong on our side"),
            _("Nothing you did caused this. Please try again in a few minutes."),
        ),
    }
    return titles.get(code, titles[500] if code >= 500 else titles[400])


def _retry_minutes() -> int:
    limit = limiter.current_limit
    if limit is None:
        return 1
    return max(1, math.ceil((limit.reset_at - time.time()) / 60))


def render_error(code: int, error: Exception | None = None):
    """Render the error page for `code` in the user's language and layout."""
    if code == 429:
        minutes = _retry_minutes()
        title = _("Too many attempts")
        text = ngettext(
            "For your security, please wait. Try again in %(num)d minute.",
            "For your security, please wait. Try again in %(num)d minutes.",
            minutes,
        )
    else:
        title, text = _messages(code)
    layout = "base_supplier.html" if _supplier_side() else "base_buyer.html"
    return render_template(
        "errors/error.html", layout=layout, code=code, title=title, text=text
    ), code


def register_error_handlers(app: Flask) -> None:
    """Route every HTTP error and every unexpected exception to a friendly page."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        body, code = render_error(error.code, error)
        allowed = getattr(error, "valid_methods", None)  # a 405 must say what is allowed
        return body, code, {"Allow": ", ".join(allowed)} if allowed else {}

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(500, InternalServerError())
