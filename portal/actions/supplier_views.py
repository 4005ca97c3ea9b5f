"""The supplier's corrective actions, phone first: list, one action, updates, ready."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.actions.forms import UpdateForm
from portal.actions.logic import (
    ActionRefused,
    action_with_history,
    history,
    open_action_count,
    post_update,
    supplier_open_actions,
)
from portal.actions.models import ActionStatus, CorrectiveAction
from portal.actions.status import TransitionRefused, change_action_status
from portal.auth.access import supplier_required
from portal.auth.forms import ConfirmForm

bp = Blueprint("supplier_actions", __name__, url_prefix="/s")


@bp.app_template_global("open_action_count")
def _open_action_count() -> int:
    return open_action_count(current_user.supplier_id)


def own_action_or_404(action_id: int) -> CorrectiveAction:
    """The signed-in supplier's action; another supplier's is exactly as missing."""
    action = action_with_history(action_id, supplier_id=current_user.supplier_id)
    if action is None:
        abort(404)
    return action


@bp.get("/actions")
@supplier_required
def index():
    return render_template(
        "actions/supplier_index.html",
        actions=supplier_open_actions(current_user.supplier_id),
        today=date.today(),
    )


def _render_action(action: CorrectiveAction, status: int = 200, form=None, refused=None):
    return render_template(
        "actions/supplier_show.html",
        action=action,
        history=history(action),
        form=form or UpdateForm(),
        ready_form=ConfirmForm(),
        refused=refused,
        statuses=ActionStatus,
        today=date.today(),
    ), status


@bp.get("/actions/<int:action_id>")
@supplier_required
def show(action_id: int):
    return _render_action(own_action_or_404(action_id))


@bp.post("/actions/<int:action_id>/updates")
@supplier_required
def update(action_id: int):
    action = own_action_or_404(action_id)
    form = UpdateForm()
    if not form.validate_on_submit():
        return _render_action(action, 422, form=form)
    try:
        post_update(action, by=current_user, note=form.note.data, percent=form.percent.data)
    except ActionRefused as refusal:
        return _render_action(action, 422, form=form, refused=refusal.message)
    flash(_("Update saved. Thank you!"), "success")
    return redirect(url_for(".show", action_id=action.id))


@bp.post("/actions/<int:action_id>/ready")
@supplier_required
def ready(action_id: int):
    action = own_action_or_404(action_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        change_action_status(action, ActionStatus.READY_FOR_VERIFICATION, by=current_user)
    except TransitionRefused as refusal:
        return _render_action(action, 422, refused=refusal.message)
    flash(_("Sent to your customer for verification."), "success")
    return redirect(url_for(".show", action_id=action.id))
