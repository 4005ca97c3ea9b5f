"""The buyer's side of assessments: the list and a submission's answers."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import get_locale
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.assessments.display import display_answer
from portal.assessments.logic import current_answers
from portal.assessments.models import Assessment, AssessmentStatus
from portal.assessments.progress import section_progress
from portal.auth.access import buyer_required
from portal.extensions import db
from portal.questionnaires.answers import is_question_visible
from portal.questionnaires.models import preload_definitions

bp = Blueprint("buyer_assessments", __name__, url_prefix="/b")


@bp.get("/")
@buyer_required
def index():
    status = request.args.get("status", "")
    query = (
        select(Assessment)
        .options(joinedload(Assessment.supplier), joinedload(Assessment.questionnaire))
        .order_by(Assessment.due_date, Assessment.id)
    )
    if status in set(AssessmentStatus):
        query = query.where(Assessment.status == status)
    assessments = db.session.scalars(query).all()
    preload_definitions(a.questionnaire for a in assessments)
    return render_template(
        "assessments/buyer_index.html",
        assessments=assessments,
        status=status,
        statuses=list(AssessmentStatus),
    )


@bp.get("/assessments/<int:assessment_id>")
@buyer_required
def show(assessment_id: int):
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        abort(404)
    definition = assessment.questionnaire.definition
    revision = assessment.revisions[-1] if assessment.revisions else None
    answers = revision.answers if revision else current_answers(assessment)
    locale = str(get_locale() or "en")
    sections = [
        (
            section,
            [
                (question, display_answer(definition, question, answers.get(question.key), locale))
                for question in section.questions
                if is_question_visible(definition, question, answers)
            ],
        )
        for section in definition.sections
    ]
    flags = [
        {
            **flag,
            "label": definition.text(definition.question(flag["question"]).label, locale),
            "shown": display_answer(
                definition, definition.question(flag["question"]), flag["answer"], locale
            ),
            "finding": definition.text(
                definition.question(flag["question"]).critical[flag["rule"]].finding, locale
            ),
        }
        for flag in (revision.red_flags or [] if revision else [])
    ]
    return render_template(
        "assessments/buyer_show.html",
        flags=flags,
        score=revision.score if revision else None,
        assessment=assessment,
        definition=definition,
        revision=revision,
        sections=sections,
        progress=section_progress(definition, answers),
        locale=locale,
    )
