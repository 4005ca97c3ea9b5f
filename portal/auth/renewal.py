"""A signed-in session slides: it lasts SESSION_DAYS from the last visit, not from sign-in.

Flask would re-sign and re-send the session cookie on every response to slide it; once a
day is enough for a lifetime counted in days, and spares every page that work.
"""

from __future__ import annotations

from datetime import date

from flask import Flask, session

RENEWED = "renewed"  # the day (ordinal) the session cookie was last written


def renew_daily() -> None:
    """Mark the session changed, so that its cookie is sent again, once a day."""
    if session.permanent and session.get(RENEWED) != (today := date.today().toordinal()):
        session[RENEWED] = today


def init_app(app: Flask) -> None:
    """Send the session cookie when it changed or a day has passed, not on every response."""
    app.config["SESSION_REFRESH_EACH_REQUEST"] = False
    app.before_request(renew_daily)
