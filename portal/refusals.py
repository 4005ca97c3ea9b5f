"""The one kind of exception the domain raises when a move is not allowed.

Every refusal (a transition the rules forbid, bad input, a wrong role) derives from
`Refused`. Creating one marks the current unit of work as refused, so that the request
rolls back whatever the view answers with (a redirect after a flash message included):
a refusal never leaves half of a change behind.
"""

from __future__ import annotations

from flask import has_app_context

REFUSED_KEY = "refused"


class Refused(Exception):  # noqa: N818 - the name says what happened
    """A change the rules do not allow; `message` says why, translated for the user."""

    def __init__(self, message: str = "", *args: object) -> None:
        super().__init__(message, *args)
        self.message = message
        mark_refused()


def mark_refused() -> None:
    """Note that the current unit of work was refused: it must not be committed."""
    if has_app_context():
        from portal.extensions import db

        db.session.info[REFUSED_KEY] = True


def was_refused() -> bool:
    """Whether a refusal happened since the last commit or rollback."""
    from portal.extensions import db

    return bool(db.session.info.get(REFUSED_KEY))


def forget_refusal(session) -> None:
    """Clear the mark once the unit of work has ended (committed or rolled back)."""
    session.info.pop(REFUSED_KEY, None)
