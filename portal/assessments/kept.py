"""Keeping what a supplier typed when their sign-in ended before they pressed Save.

A browser may hold kept answers for several sections (two tabs saved after the cookie
was lost): the session maps each assessment's section to the token that claims it.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import delete, select
from werkzeug.datastructures import MultiDict

from portal.assessments.models import Assessment, KeptAnswers
from portal.auth.access import of_suppliers
from portal.auth.logic import hash_token
from portal.db import utcnow
from portal.extensions import db

KEEP_FOR = timedelta(days=7)
MAX_BYTES = 256 * 1024


def section_key(assessment_id: int, number: int) -> str:
    return f"{assessment_id}/{number}"


def held_tokens(value: object) -> dict[str, str]:
    """The session's kept-answers tokens by section (an older session held one token)."""
    if isinstance(value, dict):
        return {str(k): v for k, v in value.items() if isinstance(v, str)}
    return {"": value} if isinstance(value, str) else {}


def keep_typed_answers(assessment_id: int, number: int, form: MultiDict) -> str | None:
    """Store a section's typed answers for later; return the token that claims them."""
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None or not assessment.is_open:
        return None
    if not 1 <= number <= len(assessment.questionnaire.definition.sections):
        return None
    values = {name: form.getlist(name) for name in form if name.startswith("q-")}
    if not values or len(json.dumps(values)) > MAX_BYTES:
        return None
    db.session.execute(delete(KeptAnswers).where(KeptAnswers.created_at < utcnow() - KEEP_FOR))
    token = secrets.token_urlsafe(32)
    db.session.add(
        KeptAnswers(
            token_hash=hash_token(token),
            assessment_id=assessment.id,
            section=number,
            values=values,
            stamps=form.get("stamps") or None,
        )
    )
    return token


def claim(token: str | None, supplier_ids: Sequence[int]) -> KeptAnswers | None:
    """The kept answers this token names, if they belong to one of `supplier_ids` and are
    recent."""
    if not token:
        return None
    return db.session.scalar(
        select(KeptAnswers)
        .join(Assessment)
        .where(
            KeptAnswers.token_hash == hash_token(token),
            of_suppliers(Assessment.supplier_id, supplier_ids),
            KeptAnswers.created_at >= utcnow() - KEEP_FOR,
        )
    )


def claim_all(tokens: dict[str, str], supplier_ids: Sequence[int]) -> list[KeptAnswers]:
    """Every kept draft these tokens name that is still the supplier's to see."""
    found = (claim(token, supplier_ids) for token in tokens.values())
    return sorted((kept for kept in found if kept), key=lambda k: (k.assessment_id, k.section))


def forget(kept: KeptAnswers) -> None:
    """Drop kept answers once they have been saved."""
    db.session.delete(kept)


def forget_token(token: str) -> None:
    """Drop the kept answers a token names (replaced by newer ones for the same section)."""
    db.session.execute(delete(KeptAnswers).where(KeptAnswers.token_hash == hash_token(token)))
