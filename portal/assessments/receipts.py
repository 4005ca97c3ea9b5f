"""Saves that carry an id made on the phone: a resent save is stored once.

The section form carries a fresh `save_id`; the autosave script makes one per save. The
server keeps a receipt (the id and a digest of the answers it carried) in the same
transaction as the answers, so a receipt exists exactly when the save was stored, until
the assessment is submitted.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Mapping

from flask_babel import gettext as _
from sqlalchemy import delete, insert, select

from portal.assessments.models import Assessment, SaveReceipt
from portal.extensions import db
from portal.questionnaires.answers import field_name
from portal.questionnaires.definition import Section
from portal.refusals import Refused

_SAVE_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")


class SaveIdReused(Refused):
    """The same save id came back with other answers: not a resend, so not stored."""

    def __init__(self):
        super().__init__(
            _("This save was already received with other answers. Reload the page and try again.")
        )


def new_save_id() -> str:
    return secrets.token_urlsafe(16)


def usable_save_id(value: str | None) -> str | None:
    """The save id a request carried, if it looks like one we make."""
    return value if value and _SAVE_ID.fullmatch(value) else None


def answers_digest(section: Section, form: Mapping[str, list[str]]) -> str:
    """A fingerprint of what a save typed in `section` (not its token or button)."""
    typed = {q.key: list(form.get(field_name(q), [])) for q in section.questions}
    encoded = json.dumps(typed, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def already_stored(assessment: Assessment, save_id: str, digest: str) -> bool:
    """True when this save was stored before; refuse the id reused with other answers."""
    receipt = db.session.scalar(
        select(SaveReceipt).where(
            SaveReceipt.assessment_id == assessment.id, SaveReceipt.save_id == save_id
        )
    )
    if receipt is None:
        return False
    if receipt.digest != digest:
        raise SaveIdReused
    return True


def keep_receipt(assessment: Assessment, save_id: str, digest: str) -> None:
    """Note the save as stored (a plain INSERT: no object for the session to track)."""
    db.session.execute(
        insert(SaveReceipt.__table__).values(
            assessment_id=assessment.id, save_id=save_id, digest=digest
        )
    )


def forget_receipts(assessment: Assessment) -> None:
    """Once submitted, no save can come for an assessment: its receipts can go."""
    db.session.execute(delete(SaveReceipt).where(SaveReceipt.assessment_id == assessment.id))
