"""The supplier reads back the answers it submitted."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import get_locale

from portal.assessments.answer_sheet import answer_sheet
from portal.assessments.supplier_views import own_assessment_or_404
from portal.auth.access import supplier_required

bp = Blueprint("supplier_answers", __name__, url_prefix="/s")


@bp.get("/assessments/<int:assessment_id>/answers")
@supplier_required
def show(assessment_id: int):
    """The latest submitted answers, read-only; open assessments are checked on review."""
    assessment = own_assessment_or_404(assessment_id)
    if assessment.is_open or not assessment.revisions:
        return redirect(url_for("supplier.review", assessment_id=assessment.id))
    revision = assessment.revisions[-1]
    definition = assessment.questionnaire.definition
    locale = str(get_locale() or "en")
    return render_template(
        "assessments/answers.html",
        assessment=assessment,
        revision=revision,
        definition=definition,
        sheet=answer_sheet(definition, revision.answers, locale),
        locale=locale,
    )
