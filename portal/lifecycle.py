"""What happens around every request: one commit, security headers, mail hand-off."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from flask import Flask, Response, g, request
from sqlalchemy import event

from portal.extensions import db
from portal.refusals import forget_refusal, was_refused

# Sign-in links (/link/) and password links (/password/) carry their token in the path.
_TOKEN_IN_PATH = re.compile(r"(/link/|/password/)[A-Za-z0-9_\-]{16,}")


class RedactTokens(logging.Filter):
    """Hide sign-in link tokens from access logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, Mapping):  # gunicorn's access log: atoms by name
            record.args = {key: _redacted(value) for key, value in record.args.items()}
        elif record.args:
            record.args = tuple(_redacted(value) for value in record.args)
        if isinstance(record.msg, str):
            record.msg = _TOKEN_IN_PATH.sub(r"\1[redacted]", record.msg)
        return True


def _redacted(value: object) -> object:
    return _TOKEN_IN_PATH.sub(r"\1[redacted]", value) if isinstance(value, str) else value


def redact(text: str) -> str:
    """Return `text` with any sign-in token replaced by a placeholder."""
    return _TOKEN_IN_PATH.sub(r"\1[redacted]", text)


def init_app(app: Flask) -> None:
    """Commit once per successful request, roll back otherwise, and harden responses.

    A request succeeds when it answers below 400 and nothing in it was refused (a refusal
    followed by a redirect rolls back too). Flask runs after-request functions
    last-registered first: the commit is registered last so that it runs before the mail
    hand-off.
    """
    for name in ("werkzeug", "gunicorn.access", "gunicorn.error"):
        logging.getLogger(name).addFilter(RedactTokens())
    _forget_refusals_when_work_ends()

    @app.before_request
    def start_unrefused():
        forget_refusal(db.session)

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
        if request.is_secure:  # behind HTTPS (directly, or a trusted proxy saying so)
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

    @app.after_request
    def after_commit(response: Response) -> Response:
        from portal.jobs import start_jobs_after_commit
        from portal.notifications.logic import deliver_pending_soon

        deliver_pending_soon()
        if g.pop("request_committed", False):
            start_jobs_after_commit()
        return response

    @app.after_request
    def commit_or_roll_back(response: Response) -> Response:
        if response.status_code < 400 and not was_refused():
            db.session.commit()
            g.request_committed = True
        else:
            db.session.rollback()
            forget_refusal(db.session)  # even when nothing had begun to roll back
        return response


def _forget_refusals_when_work_ends() -> None:
    """Clear the refusal mark when a unit of work commits or rolls back as a whole."""
    if event.contains(db.session, "after_commit", _forget_after_commit):
        return
    event.listen(db.session, "after_commit", _forget_after_commit)
    event.listen(db.session, "after_soft_rollback", _forget_after_rollback)


def _forget_after_commit(session) -> None:
    if not session.in_nested_transaction():  # a savepoint is not the end of the work
        forget_refusal(session)


def _forget_after_rollback(session, previous_transaction) -> None:
    if not previous_transaction.nested:  # a savepoint rolled back: the request still fails
        forget_refusal(session)
