"""Buyer pages: create actions from findings, list them, move due dates, verify or reopen."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.actions.forms import ActionForm, DecisionForm, DueDateForm
from portal.actions.logic import (
    FILTERS,
    ActionRefused,
    action_proposal,
    change_due_date,
    create_action,
)
from portal.actions.models import ActionStatus, CorrectiveAction
from portal.actions.notify import notify_assigned, notify_reopened, notify_verified
from portal.actions.queries import (
    action_with_history,
    actions_for_assessment,
    buyer_actions,
    evidence_file,
    history,
)
from portal.actions.status import TransitionRefused, action_status_label, change_action_status
from portal.actions.supplier_views import serve_evidence
from portal.auth.access import buyer_required
from portal.extensions import db
from portal.findings.models import Finding

bp = Blueprint("actions", __name__, url_prefix="/b")
DEFAULT_DAYS = 30


bp.add_app_template_global(actions_for_assessment, "assessment_actions")
bp.add_app_template_global(action_status_label, "action_status_label")


def _action_or_404(action_id: int) -> CorrectiveAction:
    action = action_with_history(action_id)
    if action is None:
        abort(404)
    return action


@bp.route("/findings/<int:finding_id>/actions/new", methods=["GET", "POST"])
@buyer_required
def new(finding_id: int):
    finding = db.session.get(Finding, finding_id)
    if finding is None:
        abort(404)
    proposed = action_proposal(finding)
    form = ActionForm(data={**proposed, "due_date": date.today() + timedelta(days=DEFAULT_DAYS)})
    refused = None
    if form.validate_on_submit():
        try:
            action = create_action(
                finding,
                by=current_user,
                title=form.title.data,
                what_must_change=form.what_must_change.data,
                responsible_name=form.responsible_name.data,
                responsible_role=form.responsible_role.data,
                due_date=form.due_date.data,
            )
        except ActionRefused as refusal:
            refused = refusal.message
        else:
            notify_assigned(action)
            flash(_("Corrective action created; the supplier has been told."), "success")
            return redirect(url_for(".show", action_id=action.id))
    return render_template("actions/new.html", form=form, refused=refused, finding=finding), (
        422 if request.method == "POST" else 200
    )


@bp.get("/actions")
@buyer_required
def index():
    show = request.args.get("show", "")
    if show not in FILTERS:
        show = ""
    return render_template(
        "actions/buyer_index.html", actions=buyer_actions(show), show=show, today=date.today()
    )


def _render_show(action: CorrectiveAction, status: int = 200, **forms):
    due_form = forms.get("due_form") or DueDateForm(data={"due_date": action.due_date})
    decision_form = forms.get("decision_form") or DecisionForm()
    return render_template(
        "actions/buyer_show.html",
        action=action,
        history=history(action),
        due_form=due_form,
        decision_form=decision_form,
        refused=forms.get("refused"),
        statuses=ActionStatus,
        evidence_endpoint="actions.evidence",
    ), status


@bp.get("/actions/<int:action_id>")
@buyer_required
def show(action_id: int):
    return _render_show(_action_or_404(action_id))


@bp.post("/actions/<int:action_id>/due-date")
@buyer_required
def due_date(action_id: int):
    action = _action_or_404(action_id)
    form = DueDateForm()
    if not form.validate_on_submit():
        return _render_show(action, 422, due_form=form)
    try:
        change_due_date(action, form.due_date.data, by=current_user, reason=form.reason.data)
    except ActionRefused as refusal:
        return _render_show(action, 422, due_form=form, refused=refusal.message)
    flash(_("Due date changed."), "success")
    return redirect(url_for(".show", action_id=action.id))


def _decide(action_id: int, to: ActionStatus):
    action = _action_or_404(action_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _render_show(action, 422, decision_form=form)
    try:
        change_action_status(action, to, by=current_user, comment=form.comment.data or "")
    except TransitionRefused as refusal:
        return _render_show(action, 422, decision_form=form, refused=refusal.message)
    if to == ActionStatus.CLOSED:
        notify_verified(action)
        flash(_("Action verified and closed; the supplier has been told."), "success")
    else:
        notify_reopened(action, form.comment.data or "")
        flash(_("Action reopened; the supplier has been told why."), "success")
    return redirect(url_for(".show", action_id=action.id))


@bp.post("/actions/<int:action_id>/verify")
@buyer_required
def verify(action_id: int):
    return _decide(action_id, ActionStatus.CLOSED)


@bp.post("/actions/<int:action_id>/reopen")
@buyer_required
def reopen(action_id: int):
    return _decide(action_id, ActionStatus.REOPENED)


@bp.get("/actions/<int:action_id>/evidence/<int:file_id>", defaults={"thumb": False})
@bp.get(
    "/actions/<int:action_id>/evidence/<int:file_id>/thumb",
    endpoint="evidence_thumb",
    defaults={"thumb": True},
)
@buyer_required
def evidence(action_id: int, file_id: int, thumb: bool):
    return serve_evidence(evidence_file(action_id, file_id), thumb)
