"""Assigning, answering and submitting assessments; no request handling here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Select, select

from portal.assessments.drafts import store_answers
from portal.assessments.models import Answer, Assessment, AssessmentStatus, Revision
from portal.assessments.reassessment import (
    confirm_section,
    prefill,
    previous_accepted,
    unconfirmed_sections,
)
from portal.assessments.receipts import (
    already_stored,
    answers_digest,
    forget_receipts,
    keep_receipt,
)
from portal.assessments.scoring import red_flags, score_answers
from portal.assessments.stamps import EditedElsewhere, sort_out
from portal.assessments.status import TransitionRefused, change_status, check_change
from portal.audit.logic import record
from portal.auth.models import User
from portal.due_dates import check_due_date
from portal.extensions import db
from portal.organisations.scoping import OrganisationMismatch
from portal.questionnaires.answers import (
    AnswerInvalid,
    field_name,
    is_question_visible,
    missing_required,
    parse_answer,
)
from portal.questionnaires.definition import Section
from portal.questionnaires.models import QuestionnaireVersion
from portal.refusals import Refused
from portal.suppliers.models import Supplier


class AlreadySubmitted(Refused):
    """The assessment was submitted before (a second tap or a reload)."""


_LOCKED = "locked_assessments"  # session.info: assessment id -> the transaction holding it


def lock_for_update(query: Select) -> Select:
    """`query` (of assessments) holding the rows it reads until the end of the transaction,
    and reading them afresh; pass what it loads to `note_locked`."""
    return query.with_for_update(of=Assessment).execution_options(populate_existing=True)


def note_locked(assessment: Assessment) -> None:
    """Say that this transaction read `assessment` with `lock_for_update`."""
    session = db.session()
    session.info.setdefault(_LOCKED, {})[assessment.id] = session.get_transaction()


def _lock(assessment: Assessment) -> None:
    """Hold the assessment's row until the end of the transaction, and read it afresh: what
    was read before the lock (its status, its confirmed sections) may have changed meanwhile.

    A view that loaded it with `lock_for_update` in this transaction already holds it.
    """
    session = db.session()
    holder = session.info.get(_LOCKED, {}).get(assessment.id)
    if holder is not None and holder is session.get_transaction():
        return
    db.session.scalars(
        lock_for_update(select(Assessment).where(Assessment.id == assessment.id))
    ).all()
    note_locked(assessment)


def assign(
    supplier: Supplier,
    questionnaire: QuestionnaireVersion,
    due: date,
    *,
    by: User | None,
    today: date | None = None,
) -> Assessment:
    """Invite `supplier` to answer this exact questionnaire version by `due` (not in the past)."""
    if questionnaire is None:
        raise TransitionRefused(_("Choose a questionnaire."))
    if questionnaire.organisation_id not in (None, supplier.organisation_id):
        raise OrganisationMismatch("a questionnaire of another organisation")
    check_due_date(due, today=today, refused=TransitionRefused)
    assessment = Assessment(
        supplier=supplier,
        questionnaire=questionnaire,
        due_date=due,
        created_by_id=by.id if by else None,
        status=AssessmentStatus.INVITED,
    )
    db.session.add(assessment)
    db.session.flush()
    previous = previous_accepted(supplier.id, questionnaire.key)
    if previous is not None:
        prefill(assessment, previous, by=by)
    record(
        "assessment_assigned",
        object_type="assessment",
        object_id=assessment.id,
        by=by,
        supplier_id=supplier.id,
        questionnaire=f"{questionnaire.key} v{questionnaire.version}",
        due=due.isoformat(),
        reassesses=previous.id if previous else "",
    )
    return assessment


def current_answers(assessment: Assessment) -> dict[str, Any]:
    """The draft answers of an assessment, by question key."""
    rows = db.session.execute(
        select(Answer.question_key, Answer.value).where(Answer.assessment_id == assessment.id)
    )
    return {key: value for key, value in rows}


def parse_section(section: Section, form: Mapping[str, list[str]]) -> tuple[dict, dict]:
    """Parse a section's submitted values; return (answers, errors) keyed by question key."""
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for question in section.questions:
        try:
            answers[question.key] = parse_answer(question, form.get(field_name(question), []))
        except AnswerInvalid as invalid:
            errors[question.key] = invalid.message
    return answers, errors


@dataclass(frozen=True)
class SavedSection:
    """What a section's save found: refusals by question key (then nothing was stored), and
    the stored answers it started from (read under the lock) and left."""

    errors: dict[str, str]
    before: dict[str, Any]
    after: dict[str, Any]


def save_section(
    assessment: Assessment,
    section: Section,
    form: Mapping[str, list[str]],
    *,
    by: User,
    stamps: str | None = None,
    save_id: str | None = None,
    confirm: bool = True,
) -> dict[str, str]:
    """Validate and store one section's answers as a draft; on any error store nothing.

    Returns the errors by question key; `store_section` tells the answers as well.
    """
    return store_section(
        assessment, section, form, by=by, stamps=stamps, save_id=save_id, confirm=confirm
    ).errors


def store_section(
    assessment: Assessment,
    section: Section,
    form: Mapping[str, list[str]],
    *,
    by: User,
    stamps: str | None = None,
    save_id: str | None = None,
    confirm: bool = True,
) -> SavedSection:
    """Validate and store one section's answers as a draft; on any error store nothing.

    `stamps` (taken when the form was opened) let a save overwrite only what this form
    changed and nobody else changed meanwhile; anything else raises EditedElsewhere. A
    save without stamps may overwrite nothing already answered. A save whose `save_id`
    was stored before is not stored again. `confirm` marks the section as checked by the
    supplier (an explicit Save; an autosave does not).
    """
    _lock(assessment)  # two devices (or a resend) saving at once: one after the other
    digest = answers_digest(section, form)
    if save_id and already_stored(assessment, save_id, digest):
        stored = current_answers(assessment)
        return SavedSection({}, stored, stored)
    if not assessment.is_open:
        raise TransitionRefused(
            _("This assessment has been submitted, so its answers can no longer be changed.")
        )
    if assessment.status == AssessmentStatus.INVITED:
        check_change(assessment, AssessmentStatus.IN_PROGRESS, by=by)
    elif not (by.is_supplier and assessment.supplier_id in by.supplier_ids):
        raise TransitionRefused(_("You cannot make this change to the assessment."))
    answers, errors = parse_section(section, form)
    definition = assessment.questionnaire.definition
    stored = current_answers(assessment)  # under the lock: nobody writes them meanwhile
    merged = {**stored, **answers}
    errors = {
        key: message
        for key, message in errors.items()
        if is_question_visible(definition, definition.question(key), merged)
    }
    if errors:
        return SavedSection(errors, stored, stored)
    to_write, conflicts = sort_out(section, stamps, stored, answers)
    if conflicts:
        raise EditedElsewhere(conflicts)
    store_answers(assessment, to_write, by=by)
    if confirm:
        confirm_section(assessment, section)
    if assessment.status == AssessmentStatus.INVITED:
        change_status(assessment, AssessmentStatus.IN_PROGRESS, by=by)
    if save_id:
        keep_receipt(assessment, save_id, digest)
    return SavedSection({}, stored, {**stored, **to_write})


def newly_shown(section: Section, definition, before: Mapping, after: Mapping) -> list[str]:
    """Keys of questions in `section` that the new answers revealed and that are unanswered."""
    return [
        q.key
        for q in section.questions
        if is_question_visible(definition, q, after)
        and not is_question_visible(definition, q, before)
        and after.get(q.key) in (None, "", [])
    ]


def visible_answers(assessment: Assessment, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Only the answers to questions that the other answers leave visible."""
    definition = assessment.questionnaire.definition
    return {
        q.key: answers[q.key]
        for q in definition.questions()
        if answers.get(q.key) not in (None, "", []) and is_question_visible(definition, q, answers)
    }


def submit(assessment: Assessment, *, by: User) -> Revision:
    """Freeze the visible answers as a new revision and mark the assessment submitted."""
    _lock(assessment)  # a double tap on two connections submits once
    db.session.refresh(assessment)
    if assessment.status == AssessmentStatus.SUBMITTED:
        raise AlreadySubmitted
    check_change(assessment, AssessmentStatus.SUBMITTED, by=by)  # before anything is written
    unconfirmed = unconfirmed_sections(assessment)
    if unconfirmed:
        raise TransitionRefused(
            ngettext(
                "%(num)d section still needs your confirmation.",
                "%(num)d sections still need your confirmation.",
                len(unconfirmed),
            )
        )
    answers = current_answers(assessment)
    missing = missing_required(assessment.questionnaire.definition, answers)
    if missing:
        raise TransitionRefused(
            ngettext(
                "%(num)d required question is still unanswered.",
                "%(num)d required questions are still unanswered.",
                len(missing),
            )
        )
    definition = assessment.questionnaire.definition
    frozen = visible_answers(assessment, answers)
    revision = Revision(
        assessment=assessment,
        number=len(assessment.revisions) + 1,
        answers=frozen,
        score=score_answers(definition, frozen).to_dict(),
        red_flags=[flag.to_dict() for flag in red_flags(definition, frozen)],
        submitted_by_id=by.id,
    )
    db.session.add(revision)
    change_status(assessment, AssessmentStatus.SUBMITTED, by=by)
    forget_receipts(assessment)
    return revision


def latest_questionnaires() -> list[QuestionnaireVersion]:
    """The newest published version of each questionnaire."""
    versions = db.session.scalars(
        select(QuestionnaireVersion).order_by(
            QuestionnaireVersion.key, QuestionnaireVersion.version.desc()
        )
    )
    latest: dict[str, QuestionnaireVersion] = {}
    for version in versions:
        latest.setdefault(version.key, version)
    return list(latest.values())
