"""Writing draft answers."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.assessments.models import Answer, Assessment
from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db


@cache
def _upsert(dialect: str):
    """INSERT … ON CONFLICT DO UPDATE of one answer, built once so that it compiles once
    (a multi-row VALUES statement is compiled anew for every save)."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(Answer.__table__)
    return statement.on_conflict_do_update(
        index_elements=["assessment_id", "question_key"],
        set_={
            "value": statement.excluded.value,
            "updated_at": statement.excluded.updated_at,
            "updated_by_id": statement.excluded.updated_by_id,
        },
    )


def store_answers(assessment: Assessment, answers: Mapping[str, Any], *, by: User | None) -> None:
    """Insert or update draft answers in one batch (safe when two saves race)."""
    if not answers:
        return
    now = utcnow()
    rows = [
        {
            "assessment_id": assessment.id,
            "question_key": key,
            "value": value,
            "updated_at": now,
            "updated_by_id": by.id if by else None,
        }
        for key, value in answers.items()
    ]
    db.session.execute(_upsert(db.engine.dialect.name), rows)
