"""What happens around every request: one commit, security headers, mail hand-off."""

from __future__ import annotations

import logging
import re

from flask import Flask, Response

from portal.extensions import db

# Sign-in links (/link/) and password links (/password/) carry their token in the path.
_TOKEN_IN_PATH = re.compile(r"(/link/|/password/)[A-Za-z0-9_\-]{16,}")


class RedactTokens(logging.Filter):
    """Hide sign-in link tokens from access logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.args = tuple(
                _TOKEN_IN_PATH.sub(r"\1[redacted]", a) if isinstance(a, str) else a
                for a in record.args
            )
        if isinstance(record.msg, str):
            record.msg = _TOKEN_IN_PATH.sub(r"\1[redacted]", record.msg)
        return True


def redact(text: str) -> str:
    """Return `text` with any sign-in token replaced by a placeholder."""
    return _TOKEN_IN_PATH.sub(r"\1[redacted]", text)


def init_app(app: Flask) -> None:
    """Commit once per successful request, roll back otherwise, and harden responses.

    Flask runs after-request functions last-registered first: the commit is registered
    last so that it runs before the mail hand-off.
    """
    for name in ("werkzeug", "gunicorn.access", "gunicorn.error"):
        logging.getLogger(name).addFilter(RedactTokens())

    @app.teardown_request
    def roll_back_on_error(exc):
        if exc is not None:
            db.session.rollback()

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; "
            "script-src 'self'; form-action 'self'; frame-ancestors 'none'",
        )
        return response

    @app.after_request
    def after_commit(response: Response) -> Response:
        from portal.jobs import start_jobs_after_commit
        from portal.notifications.logic import deliver_pending_soon

        deliver_pending_soon()
        if response.status_code < 400:
            start_jobs_after_commit()
        return response

    @app.after_request
    def commit_or_roll_back(response: Response) -> Response:
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        return response
