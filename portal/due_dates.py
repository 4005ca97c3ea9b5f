"""The one rule for a due date that a person chooses: there is one, and it is not past."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from portal.refusals import Refused


def check_due_date(due: date | None, *, today: date | None, refused: type[Refused]) -> date:
    """Return `due`, or raise `refused` (the caller's kind of refusal) saying what is wrong."""
    if due is None:
        raise refused(_("Choose a due date."))
    if due < (today or date.today()):
        raise refused(_("The due date cannot be in the past."))
    return due
