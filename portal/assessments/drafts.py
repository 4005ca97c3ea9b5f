"""Writing draft answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.assessments.models import Answer, Assessment
from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db


def store_answers(assessment: Assessment, answers: Mapping[str, Any], *, by: User | None) -> None:
    """Insert or update draft answers in one statement (safe when two saves race)."""
    if not answers:
        return
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
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
    statement = insert(Answer).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=["assessment_id", "question_key"],
        set_={
            "value": statement.excluded.value,
            "updated_at": statement.excluded.updated_at,
            "updated_by_id": statement.excluded.updated_by_id,
        },
    )
    db.session.execute(statement)
