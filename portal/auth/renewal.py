"""A signed-in session slides: it lasts SESSION_DAYS from the last visit, not from sign-in.

Flask would re-sign and re-send the session cookie on every response to slide it; once a
day is enough for a lifetime counted in days, and spares every page that work.
"""

from __future__ import annotations

from datetime import date

from flask import Flask, request, session
from flask.sessions import SecureCookieSessionInterface

RENEWED = "renewed"  # the day (ordinal) the session cookie was last written
# The same bytes for everyone (hashed CSS and JS, the service worker): neither a
# `Vary: Cookie` (Flask adds it once anything, even Flask-Login, reads the session) nor a
# Set-Cookie on files that caches are meant to keep as they are.
SESSIONLESS = frozenset({"asset", "service_worker", "static"})


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, left out of the responses of SESSIONLESS endpoints."""

    def save_session(self, app, session, response) -> None:
        if request.endpoint in SESSIONLESS:
            return
        super().save_session(app, session, response)


def renew_daily() -> None:
    """Mark the session changed, so that its cookie is sent again, once a day."""
    if request.endpoint in SESSIONLESS:
        return
    if session.permanent and session.get(RENEWED) != (today := date.today().toordinal()):
        session[RENEWED] = today


def init_app(app: Flask) -> None:
    """Send the session cookie when it changed or a day has passed, not on every response."""
    app.config["SESSION_REFRESH_EACH_REQUEST"] = False
    app.session_interface = SessionInterface()
    app.before_request(renew_daily)
