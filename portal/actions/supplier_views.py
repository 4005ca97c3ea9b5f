"""The supplier's corrective actions, phone first: list, one action, updates, ready."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from portal.actions.forms import UpdateForm
from portal.actions.logic import (
    EVIDENCE_MAX_FILES,
    ActionRefused,
    EvidenceUploadRefused,
    post_update,
)
from portal.actions.models import ActionStatus, CorrectiveAction
from portal.actions.notify import notify_buyers_ready
from portal.actions.queries import (
    action_with_history,
    evidence_file,
    history,
    open_action_count,
    reopen_reason,
    supplier_open_actions,
)
from portal.actions.status import TransitionRefused, change_action_status
from portal.auth.access import supplier_required
from portal.auth.forms import ConfirmForm
from portal.evidence import evidence_response, storage_for
from portal.evidence.processing import DEFAULT_MAX_BYTES, format_size

bp = Blueprint("supplier_actions", __name__, url_prefix="/s")
#: Room for the note, the CSRF token and the multipart framing around the files.
FORM_OVERHEAD = 512 * 1024


def _evidence_body_limit() -> None:
    """Let the update form carry up to 5 evidence files; every other request keeps the
    app's MAX_CONTENT_LENGTH (2 MB). An over-limit body gets the friendly 413 page."""
    if request.endpoint == "supplier_actions.update":
        max_bytes = current_app.config.get("EVIDENCE_MAX_BYTES") or DEFAULT_MAX_BYTES
        request.max_content_length = EVIDENCE_MAX_FILES * max_bytes + FORM_OVERHEAD


@bp.record_once
def _install_body_limit(state) -> None:
    # First of all before-request functions: CSRF protection reads the form (and with it
    # the body) in its own before_request, so the limit must be in place before that.
    state.app.before_request_funcs.setdefault(None, []).insert(0, _evidence_body_limit)


@bp.app_template_global("evidence_size_limit")
def _evidence_size_limit() -> str:
    return format_size(current_app.config.get("EVIDENCE_MAX_BYTES") or DEFAULT_MAX_BYTES)


@bp.app_template_global("open_action_count")
def _open_action_count() -> int:
    return open_action_count(current_user.supplier_ids)


def own_action_or_404(action_id: int) -> CorrectiveAction:
    """The signed-in supplier's action; another supplier's is exactly as missing."""
    action = action_with_history(action_id, supplier_ids=current_user.supplier_ids)
    if action is None:
        abort(404)
    return action


@bp.get("/actions")
@supplier_required
def index():
    return render_template(
        "actions/supplier_index.html",
        actions=supplier_open_actions(current_user.supplier_ids),
        today=date.today(),
    )


def _render_action(action: CorrectiveAction, status: int = 200, form=None, refused=None):
    return render_template(
        "actions/supplier_show.html",
        action=action,
        history=history(action),
        reopen_reason=reopen_reason(action),
        form=form or UpdateForm(),
        ready_form=ConfirmForm(),
        refused=refused,
        evidence_endpoint="supplier_actions.evidence",
        max_files=EVIDENCE_MAX_FILES,
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
    files = [f for f in request.files.getlist("evidence") if f and f.filename]
    try:
        post_update(
            action, by=current_user, note=form.note.data, percent=form.percent.data, files=files
        )
    except EvidenceUploadRefused as refusal:
        return _render_action(action, 422, form=form, refused=refusal.messages)
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
    notify_buyers_ready(action)
    flash(_("Sent to your customer for verification."), "success")
    return redirect(url_for(".show", action_id=action.id))


@bp.get("/actions/<int:action_id>/evidence/<int:file_id>", defaults={"thumb": False})
@bp.get(
    "/actions/<int:action_id>/evidence/<int:file_id>/thumb",
    endpoint="evidence_thumb",
    defaults={"thumb": True},
)
@supplier_required
def evidence(action_id: int, file_id: int, thumb: bool):
    """A file of the signed-in supplier's own action; anything else is exactly as missing."""
    row = evidence_file(action_id, file_id, supplier_ids=current_user.supplier_ids)
    return serve_evidence(row, thumb)


def serve_evidence(row, thumb: bool):
    """The file (or its thumbnail) with safe headers; 404 when there is none."""
    if row is None or (thumb and not row.thumbnail_name):
        abort(404)
    storage = storage_for(current_app)
    if thumb:
        return evidence_response(
            storage, row.thumbnail_name, "image/jpeg", row.original_name, inline=True
        )
    return evidence_response(
        storage,
        row.stored_name,
        row.content_type,
        row.original_name,
        inline=row.content_type == "image/jpeg",
    )
