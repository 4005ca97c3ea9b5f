"""Assigning one questionnaire, with one due date, to many suppliers at once."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from portal.assessments.logic import assign
from portal.assessments.models import OPEN_STATUSES, Assessment
from portal.auth.models import User
from portal.dashboard.query import Filters, matching_supplier_ids
from portal.extensions import db
from portal.questionnaires.models import QuestionnaireVersion
from portal.refusals import Refused
from portal.suppliers.models import Supplier

MAX_AT_ONCE = 10_000


class BulkRefused(Refused):
    """A bulk assignment that cannot be made; `message` says why, for the user."""


def _due(text: str, today: date) -> date:
    try:
        due = date.fromisoformat(text)
    except ValueError:
        raise BulkRefused(_("Choose a due date.")) from None
    if due < today:
        raise BulkRefused(_("The due date cannot be in the past."))
    return due


def assign_many(
    *,
    filters: Filters,
    selected: list[int],
    everyone: bool,
    questionnaire_id: int | None,
    due: str,
    today: date,
    by: User,
) -> tuple[int, int]:
    """Assign to the selected suppliers (or all that match the filters); return (done, skipped).

    Suppliers that already have this questionnaire open are skipped, not given a second one.
    """
    version = db.session.get(QuestionnaireVersion, questionnaire_id) if questionnaire_id else None
    if version is None:
        raise BulkRefused(_("Choose a questionnaire."))
    due_date = _due(due, today)
    if everyone:
        ids = matching_supplier_ids(filters, today)
    else:
        ids = list(db.session.scalars(select(Supplier.id).where(Supplier.id.in_(selected))))
    if not ids:
        raise BulkRefused(_("Select at least one supplier."))
    if len(ids) > MAX_AT_ONCE:
        raise BulkRefused(_("At most %(max)d suppliers at once.", max=MAX_AT_ONCE))
    busy = set(
        db.session.scalars(
            select(Assessment.supplier_id)
            .join(QuestionnaireVersion)
            .where(
                Assessment.supplier_id.in_(ids),
                QuestionnaireVersion.key == version.key,
                Assessment.status.in_(OPEN_STATUSES),
            )
        )
    )
    suppliers = db.session.scalars(
        select(Supplier).where(Supplier.id.in_([i for i in ids if i not in busy]))
    ).all()
    for supplier in suppliers:
        assign(supplier, version, due_date, by=by, today=today)
    return len(suppliers), len(busy)
