"""Reassessments start from the last accepted answers; the supplier confirms or changes them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from portal.assessments.display import form_values
from portal.assessments.drafts import store_answers
from portal.assessments.models import Assessment, AssessmentStatus
from portal.auth.models import User
from portal.extensions import db
from portal.questionnaires.answers import AnswerInvalid, parse_answer
from portal.questionnaires.definition import Definition, Section
from portal.questionnaires.models import QuestionnaireVersion


def previous_accepted(supplier_id: int, questionnaire_key: str) -> Assessment | None:
    """The supplier's most recently accepted assessment of this questionnaire (any version)."""
    return db.session.scalar(
        select(Assessment)
        .join(QuestionnaireVersion)
        .where(
            Assessment.supplier_id == supplier_id,
            QuestionnaireVersion.key == questionnaire_key,
            Assessment.status == AssessmentStatus.ACCEPTED,
        )
        .order_by(Assessment.submitted_at.desc(), Assessment.id.desc())
        .limit(1)
    )


def carried_over(definition: Definition, answers: dict[str, Any]) -> dict[str, Any]:
    """Earlier answers that are still valid in `definition`; new or changed questions stay blank."""
    kept = {}
    for question in definition.questions():
        if question.key not in answers:
            continue
        try:
            value = parse_answer(question, form_values(question, answers[question.key]))
        except AnswerInvalid:
            continue  # the question changed (an option went away, new bounds): ask again
        if value is not None:
            kept[question.key] = value
    return kept


def prefill(assessment: Assessment, previous: Assessment, *, by: User | None) -> int:
    """Start `assessment` from `previous`'s accepted answers; return how many were carried over."""
    assessment.previous = previous
    assessment.prefilled = True
    answers = carried_over(assessment.questionnaire.definition, previous.revisions[-1].answers)
    store_answers(assessment, answers, by=by)
    return len(answers)


def confirm_section(assessment: Assessment, section: Section) -> None:
    """Note that the supplier has looked at and saved this section of a reassessment.

    A first assessment carries nothing over, so it has nothing to confirm (and its saves
    spare the write of the assessment's row).
    """
    if assessment.prefilled and section.key not in assessment.confirmed_sections:
        assessment.confirmed_sections = [*assessment.confirmed_sections, section.key]


def unconfirmed_sections(assessment: Assessment) -> list[tuple[int, Section]]:
    """In a prefilled assessment, the (number, section) pairs not confirmed yet."""
    if not assessment.prefilled:
        return []
    sections = assessment.questionnaire.definition.sections
    return [
        (number, section)
        for number, section in enumerate(sections, start=1)
        if section.key not in assessment.confirmed_sections
    ]
