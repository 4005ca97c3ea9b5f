"""Buyer pages: a supplier's history, and its export as CSV."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from portal.audit.history import describe, full_history, history
from portal.audit.models import AuditEntry
from portal.auth.access import buyer_required
from portal.exports.formats import CSV_MIMETYPE, to_csv
from portal.suppliers.views import supplier_or_404

bp = Blueprint("audit", __name__, url_prefix="/b/suppliers/<int:supplier_id>/history")


def object_url(entry: AuditEntry) -> str | None:
    """Where a buyer can see the object an entry is about, when there is such a page."""
    if entry.object_type == "assessment":
        return url_for("buyer_assessments.show", assessment_id=entry.object_id)
    assessment = (entry.detail or {}).get("assessment", "")
    if entry.object_type == "finding" and str(assessment).isdigit():
        return url_for("buyer_assessments.show", assessment_id=int(assessment))
    return None


@bp.get("/")
@buyer_required
def show(supplier_id: int):
    supplier = supplier_or_404(supplier_id)
    page = history(supplier.id, page=request.args.get("page", 1, type=int) or 1)
    return render_template(
        "audit/history.html",
        supplier=supplier,
        page=page,
        describe=describe,
        object_url=object_url,
    )


@bp.get("/export.csv")
@buyer_required
def export(supplier_id: int):
    supplier = supplier_or_404(supplier_id)
    locale = str(get_locale() or "en")
    header = [_("When (UTC)"), _("Who"), _("What"), _("Action"), _("Object"), _("Object id")]
    rows = (
        [
            row.at,
            row.actor or _("System"),
            describe(row.entry, locale),
            row.entry.action,
            row.entry.object_type,
            row.entry.object_id,
        ]
        for row in full_history(supplier.id)
    )
    filename = f"closeloop-history-{supplier.id}-{date.today().isoformat()}.csv"
    return Response(
        to_csv(header, rows),
        content_type=CSV_MIMETYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
