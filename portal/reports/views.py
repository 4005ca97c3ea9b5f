"""Where reports are downloaded: the supplier's own feedback, and the buyer's feedback
and supplier summary. Every URL checks that the report belongs to who asks."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext, pgettext
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.utils import secure_filename

from portal.assessments.buyer_views import assessment_or_404
from portal.assessments.supplier_views import own_assessment_or_404
from portal.auth.access import buyer_required, supplier_required
from portal.i18n.logic import supported
from portal.reports.charts import CHECK_MARK, score_bar
from portal.reports.documents import FEEDBACK, SUMMARY, get_report, paper_or_default
from portal.reports.models import RenderedReport
from portal.reports.notify import send_feedback
from portal.risk.texts import tier_label
from portal.suppliers.logic import supplier_locale
from portal.suppliers.views import supplier_or_404

supplier_bp = Blueprint("supplier_reports", __name__, url_prefix="/s")
buyer_bp = Blueprint("buyer_reports", __name__, url_prefix="/b")


def quartile_label(quartile: int) -> str:
    labels = {
        1: pgettext("peer quartile", "top quarter"),
        2: pgettext("peer quartile", "second quarter"),
        3: pgettext("peer quartile", "third quarter"),
        4: pgettext("peer quartile", "bottom quarter"),
    }
    return labels[quartile]


for name, helper in (
    ("score_bar", score_bar),
    ("quartile_label", quartile_label),
    ("tier_label", tier_label),
    ("check_mark", CHECK_MARK),
):
    supplier_bp.add_app_template_global(helper, name)


def _current_locale() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def _pdf_response(report: RenderedReport, filename: str):
    response = current_app.response_class(report.pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-cache"
    response.set_etag(report.content_key)
    return response.make_conditional(request)


def _serve(kind: str, subject, locale: str, filename: str, base: str):
    outcome = get_report(kind, subject, locale, paper_or_default(request.args.get("paper")))
    if outcome.missing:
        abort(404)
    if outcome.preparing:
        return render_template("reports/preparing.html", base=base), 202
    return _pdf_response(outcome.report, filename)


def _filename(kind: str, name: str, subject_id: int) -> str:
    return f"closeloop-{kind}-{secure_filename(name).lower() or subject_id}.pdf"


@supplier_bp.get("/assessments/<int:assessment_id>/report.pdf")
@supplier_required
def own_feedback(assessment_id: int):
    """The signed-in supplier's feedback report, in the language it uses the portal in."""
    assessment = own_assessment_or_404(assessment_id)
    filename = _filename(FEEDBACK, assessment.supplier.name, assessment.id)
    return _serve(FEEDBACK, assessment, _current_locale(), filename, "base_supplier.html")


@buyer_bp.get("/assessments/<int:assessment_id>/report.pdf")
@buyer_required
def feedback(assessment_id: int):
    """The feedback report as the supplier gets it (its contact's language), or in
    another shipped language with ?lang=."""
    assessment = assessment_or_404(assessment_id)
    wanted = request.args.get("lang", "")
    locale = wanted if supported(wanted) else supplier_locale(assessment.supplier)
    filename = _filename(FEEDBACK, assessment.supplier.name, assessment.id)
    return _serve(FEEDBACK, assessment, locale, filename, "base_buyer.html")


@buyer_bp.post("/assessments/<int:assessment_id>/send-report")
@buyer_required
def send_report(assessment_id: int):
    assessment = assessment_or_404(assessment_id)
    sent = send_feedback(assessment, by=current_user)
    if sent:
        flash(
            ngettext(
                "The feedback report was sent to %(num)d contact of the supplier.",
                "The feedback report was sent to %(num)d contacts of the supplier.",
                sent,
            ),
            "success",
        )
    elif assessment.status != "accepted":
        flash(_("The feedback report is ready once the assessment is accepted."), "error")
    else:
        flash(_("The supplier has no active contact to send the report to."), "error")
    return redirect(url_for("buyer_assessments.show", assessment_id=assessment.id))


@buyer_bp.get("/suppliers/<int:supplier_id>/summary.pdf")
@buyer_required
def summary(supplier_id: int):
    """One page on one supplier for buyers, in the buyer's language."""
    supplier = supplier_or_404(supplier_id)
    filename = _filename(SUMMARY, supplier.name, supplier.id)
    return _serve(SUMMARY, supplier, _current_locale(), filename, "base_buyer.html")
