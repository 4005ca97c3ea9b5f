"""The buyer's side of assessments: the list and a submission's answers."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.assessments.models import Assessment, AssessmentStatus
from portal.assessments.notify import notify_accepted, notify_returned
from portal.assessments.review import accept, latest_revision, return_for_amendment
from portal.assessments.status import TransitionRefused, status_label
from portal.assessments.submission_page import submission_context
from portal.auth.access import buyer_required
from portal.auth.forms import ConfirmForm
from portal.extensions import db
from portal.findings.logic import findings_for
from portal.questionnaires.models import preload_definitions

bp = Blueprint("buyer_assessments", __name__, url_prefix="/b")
# A global (not a context variable) because imported macros use it on both sides.
bp.add_app_template_global(status_label, "status_label")


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


def assessment_or_404(assessment_id: int) -> Assessment:
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        abort(404)
    return assessment


@bp.get("/assessments/<int:assessment_id>")
@buyer_required
def show(assessment_id: int):
    assessment = assessment_or_404(assessment_id)
    revision = latest_revision(assessment)
    wanted = request.args.get("revision", type=int)
    if wanted is not None:
        if not 1 <= wanted <= len(assessment.revisions):
            abort(404)
        revision = assessment.revisions[wanted - 1]
    context = submission_context(assessment, revision, str(get_locale() or "en"))
    reviewable = assessment.status == AssessmentStatus.SUBMITTED and revision is latest_revision(
        assessment
    )
    return render_template(
        "assessments/buyer_show.html",
        **context,
        findings=findings_for(assessment),
        reviewable=reviewable,
        form=ConfirmForm(),
    )


@bp.post("/assessments/<int:assessment_id>/accept")
@buyer_required
def accept_submission(assessment_id: int):
    assessment = assessment_or_404(assessment_id)
    try:
        accept(assessment, by=current_user, comment=request.form.get("comment", ""))
    except TransitionRefused as refused:
        flash(refused.message, "error")
    else:
        from portal.reports.notify import prepare_feedback

        prepare_feedback(assessment)
        notify_accepted(assessment)
        flash(_("Submission accepted; the supplier has been told."), "success")
    return redirect(url_for(".show", assessment_id=assessment.id))


@bp.post("/assessments/<int:assessment_id>/return")
@buyer_required
def return_submission(assessment_id: int):
    assessment = assessment_or_404(assessment_id)
    question_comments = {
        name.removeprefix("comment-"): text
        for name, text in request.form.items()
        if name.startswith("comment-")
    }
    try:
        return_for_amendment(
            assessment,
            by=current_user,
            comment=request.form.get("comment", ""),
            question_comments=question_comments,
        )
    except TransitionRefused as refused:
        flash(refused.message, "error")
        return redirect(url_for(".show", assessment_id=assessment.id))
    notify_returned(assessment)
    flash(_("Returned to the supplier, who has been emailed a link."), "success")
    return redirect(url_for(".show", assessment_id=assessment.id))
