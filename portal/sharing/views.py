"""The supplier's side of sharing: share answers into a request, stop or start offering them."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.assessments.status import TransitionRefused
from portal.assessments.supplier_views import own_assessment_or_404
from portal.auth.access import supplier_required
from portal.extensions import db
from portal.sharing.logic import resume_sharing, share_answers, stop_sharing
from portal.suppliers.models import Supplier

bp = Blueprint("supplier_sharing", __name__, url_prefix="/s")


@bp.post("/assessments/<int:assessment_id>/share")
@supplier_required
def share(assessment_id: int):
    assessment = own_assessment_or_404(assessment_id, for_update=True)
    revision_id = request.form.get("revision", type=int)
    try:
        share_answers(assessment, revision_id, by=current_user)
    except TransitionRefused as refused:
        flash(refused.message, "error")
    else:
        flash(
            _(
                "Your earlier answers are filled in. Open each section, change what is"
                " different and press Save to confirm it, then send."
            ),
            "success",
        )
    return redirect(url_for("supplier.overview", assessment_id=assessment.id))


def own_supplier_or_404(supplier_id: int) -> Supplier:
    """A supplier the signed-in contact answers for; any other is exactly as missing."""
    if supplier_id not in current_user.supplier_ids:
        abort(404)
    return db.session.get(Supplier, supplier_id)


@bp.post("/sharing/<int:supplier_id>/stop")
@supplier_required
def stop(supplier_id: int):
    stop_sharing(own_supplier_or_404(supplier_id), by=current_user)
    flash(_("Sharing stopped: this customer's new requests will start blank."), "success")
    return redirect(url_for("supplier.home") + "#who-sees")


@bp.post("/sharing/<int:supplier_id>/resume")
@supplier_required
def resume(supplier_id: int):
    resume_sharing(own_supplier_or_404(supplier_id), by=current_user)
    flash(
        _("This customer's new requests will offer you answers you gave others again."),
        "success",
    )
    return redirect(url_for("supplier.home") + "#who-sees")
