"""Buyer pages for recording findings on a submitted assessment."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal.assessments.display import display_answer
from portal.assessments.models import Assessment
from portal.assessments.review import latest_revision
from portal.auth.access import buyer_required
from portal.extensions import db
from portal.findings.forms import FindingForm
from portal.findings.logic import (
    FindingRefused,
    proposal,
    record_finding,
    red_flag_on,
)
from portal.suppliers.logic import supplier_locale

bp = Blueprint("findings", __name__, url_prefix="/b")


@bp.route("/assessments/<int:assessment_id>/findings/new", methods=["GET", "POST"])
@buyer_required
def new(assessment_id: int):
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        abort(404)
    definition = assessment.questionnaire.definition
    question_key = request.args.get("question") or None
    try:
        question = definition.question(question_key) if question_key else None
    except KeyError:
        abort(404)
    locale = str(get_locale() or "en")
    # The finding's text reaches the supplier: propose it in the supplier's language.
    proposed = proposal(assessment, question_key, supplier_locale(assessment.supplier))
    form = FindingForm(data=proposed)
    refused = None
    if form.validate_on_submit():
        try:
            record_finding(
                assessment,
                by=current_user,
                title=form.title.data,
                severity=form.severity.data,
                description=form.description.data,
                question_key=question_key,
                critical_rule=proposed["critical_rule"],
            )
        except FindingRefused as refusal:
            refused = refusal.message
        else:
            flash(_("Finding recorded."), "success")
            return redirect(
                url_for("buyer_assessments.show", assessment_id=assessment.id) + "#findings"
            )

    revision = latest_revision(assessment)
    answer = revision.answers.get(question_key) if revision and question else None
    return render_template(
        "findings/new.html",
        form=form,
        refused=refused,
        assessment=assessment,
        definition=definition,
        revision=revision,
        question=question,
        shown=display_answer(definition, question, answer, locale) if question else "",
        flag=red_flag_on(revision, question_key) if question else None,
        locale=locale,
    ), (422 if request.method == "POST" else 200)
