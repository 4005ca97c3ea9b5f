"""The rows of each export, in a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Subquery, and_, func, select
from sqlalchemy.orm import joinedload, selectinload

from portal.assessments.display import display_answer
from portal.assessments.models import Assessment, Revision
from portal.assessments.status import status_label
from portal.extensions import db
from portal.questionnaires.models import QuestionnaireVersion, preload_definitions
from portal.suppliers.logic import country_name
from portal.suppliers.models import Supplier, SupplierContact

Cell = str | int | float | date | datetime | None


@dataclass(frozen=True)
class Table:
    """One export: a title (the sheet's name), a header row and the data rows."""

    title: str
    header: list[str]
    rows: list[list[Cell]]


def _latest_revisions() -> Subquery:
    """Each assessment's newest revision number."""
    return (
        select(Revision.assessment_id, func.max(Revision.number).label("number"))
        .group_by(Revision.assessment_id)
        .subquery()
    )


def _is_latest(latest: Subquery):
    return and_(
        Revision.assessment_id == latest.c.assessment_id, Revision.number == latest.c.number
    )


def supplier_table(locale: str) -> Table:
    """One row per supplier: its details, contacts, assessment count and latest status."""
    suppliers = db.session.scalars(
        select(Supplier)
        .options(selectinload(Supplier.contact_links).joinedload(SupplierContact.user))
        .order_by(func.lower(Supplier.name), Supplier.id)
    ).all()
    counts = (
        select(
            Assessment.supplier_id,
            func.count(Assessment.id).label("n"),
            func.max(Assessment.id).label("last_id"),
        )
        .group_by(Assessment.supplier_id)
        .subquery()
    )
    assessed = {
        supplier_id: (n, status)
        for supplier_id, n, status in db.session.execute(
            select(counts.c.supplier_id, counts.c.n, Assessment.status).join(
                Assessment, Assessment.id == counts.c.last_id
            )
        )
    }
    rows: list[list[Cell]] = []
    for supplier in suppliers:
        n, status = assessed.get(supplier.id, (0, None))
        contacts = "; ".join(
            f"{c.name} <{c.email}>" if c.name else c.email for c in supplier.contact_links
        )
        rows.append(
            [
                supplier.name,
                supplier.country,
                country_name(supplier.country, locale),
                supplier.category,
                contacts,
                n,
                status_label(status) if status else None,
            ]
        )
    header = [
        _("Name"),
        _("Country code"),
        _("Country"),
        _("Category"),
        _("Contacts"),
        _("Assessments"),
        _("Latest assessment status"),
    ]
    return Table(_("Suppliers"), header, rows)


def assessment_table(locale: str) -> Table:
    """One row per assessment, with the score and red flags of its latest revision."""
    assessments = db.session.scalars(
        select(Assessment)
        .join(Assessment.supplier)
        .options(joinedload(Assessment.supplier), joinedload(Assessment.questionnaire))
        .order_by(func.lower(Supplier.name), Supplier.id, Assessment.id)
    ).all()
    preload_definitions(a.questionnaire for a in assessments)
    latest = _latest_revisions()
    scored = {
        assessment_id: (score, flags)
        for assessment_id, score, flags in db.session.execute(
            select(Revision.assessment_id, Revision.score, Revision.red_flags).join(
                latest, _is_latest(latest)
            )
        )
    }
    rows: list[list[Cell]] = []
    for a in assessments:
        submitted = a.id in scored
        score, flags = scored.get(a.id, (None, None))
        rows.append(
            [
                a.id,
                a.supplier.name,
                a.questionnaire.title_in(locale),
                a.questionnaire.version,
                status_label(a.status),
                a.due_date,
                a.submitted_at,
                (score or {}).get("overall"),
                len(flags or []) if submitted else None,
            ]
        )
    header = [
        _("Assessment ID"),
        _("Supplier"),
        _("Questionnaire"),
        _("Version"),
        _("Status"),
        _("Due date"),
        _("Submitted at (UTC)"),
        _("Overall score (%)"),
        _("Red flags"),
    ]
    return Table(_("Assessments"), header, rows)


def raw_value(value: Any) -> Cell:
    """A stored answer as plain data: text and numbers as they are, lists as JSON."""
    if value is None or isinstance(value, str | int | float):
        return value
    return json.dumps(value, ensure_ascii=False)


def answer_table(locale: str) -> Table:
    """One row per answer of each assessment's latest revision, in questionnaire order."""
    latest = _latest_revisions()
    revisions = db.session.execute(
        select(
            Revision.assessment_id,
            Revision.number,
            Revision.answers,
            Supplier.name,
            Assessment.questionnaire_id,
        )
        .join(latest, _is_latest(latest))
        .join(Assessment, Assessment.id == Revision.assessment_id)
        .join(Supplier, Supplier.id == Assessment.supplier_id)
        .order_by(func.lower(Supplier.name), Supplier.id, Assessment.id)
    ).all()
    version_ids = {r.questionnaire_id for r in revisions}
    versions = {
        v.id: v
        for v in db.session.scalars(
            select(QuestionnaireVersion).where(QuestionnaireVersion.id.in_(version_ids))
        )
    }
    preload_definitions(versions.values())
    rows: list[list[Cell]] = []
    for assessment_id, number, answers, supplier_name, version_id in revisions:
        version = versions[version_id]
        definition = version.definition
        title = definition.text(definition.title, locale)
        for section in definition.sections:
            section_title = definition.text(section.title, locale)
            for question in section.questions:
                value = answers.get(question.key)
                if value in (None, "", []):
                    continue
                rows.append(
                    [
                        supplier_name,
                        assessment_id,
                        title,
                        version.version,
                        number,
                        section_title,
                        definition.text(question.label, locale),
                        display_answer(definition, question, value, locale),
                        raw_value(value),
                    ]
                )
    header = [
        _("Supplier"),
        _("Assessment ID"),
        _("Questionnaire"),
        _("Version"),
        _("Revision"),
        _("Section"),
        _("Question"),
        _("Answer"),
        _("Raw value"),
    ]
    return Table(_("Answers"), header, rows)


TABLES: dict[str, Callable[[str], Table]] = {
    "suppliers": supplier_table,
    "assessments": assessment_table,
    "answers": answer_table,
}


def build_table(kind: str, locale: str) -> Table:
    """The export `kind` (a key of TABLES) with its labels in `locale`."""
    return TABLES[kind](locale)
