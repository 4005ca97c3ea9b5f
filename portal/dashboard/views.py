"""The buyer's dashboard and assigning a questionnaire to many suppliers at once."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from portal.assessments.logic import latest_questionnaires
from portal.auth.access import buyer_required
from portal.auth.forms import ConfirmForm
from portal.dashboard.bulk import BulkRefused, assign_many
from portal.dashboard.charts import bar_chart
from portal.dashboard.query import (
    NO_ASSESSMENT,
    OVERDUE,
    SCORE_BUCKETS,
    SORTS,
    Filters,
    categories,
    counts,
    supplier_page,
)
from portal.ids import database_id
from portal.risk.models import Tier
from portal.suppliers.logic import country_name

bp = Blueprint("dashboard", __name__, url_prefix="/b/dashboard")


def _charts(figures) -> tuple:
    tier_names = {"high": _("High risk"), "medium": _("Medium risk"), "low": _("Low risk")}
    tiers = bar_chart(
        _("Suppliers by risk tier"),
        [(tier_names[str(t)], figures.by_tier[str(t)], f"tier-{t}") for t in Tier]
        + [(_("Not rated"), figures.unrated, "tier-none")],
    )
    scores = bar_chart(
        _("Suppliers by latest score"),
        [
            (f"{low}–{min(high, 100)} %", value, "score")
            for (low, high), value in zip(SCORE_BUCKETS, figures.score_buckets, strict=True)
        ]
        + [(_("No score"), figures.unscored, "tier-none")],
    )
    return tiers, scores


@bp.get("/")
@buyer_required
def index():
    today = date.today()
    filters = Filters.from_args(request.args)
    figures = counts(today)
    tier_chart, score_chart = _charts(figures)
    return render_template(
        "dashboard/index.html",
        filters=filters,
        page=supplier_page(filters, today),
        figures=figures,
        tier_chart=tier_chart,
        score_chart=score_chart,
        categories=categories(),
        sorts=list(SORTS),
        no_assessment=NO_ASSESSMENT,
        overdue=OVERDUE,
        today=today,
        questionnaires=latest_questionnaires(),
        country_name=country_name,
        form=ConfirmForm(),
    )


@bp.post("/assign")
@buyer_required
def assign():
    filters = Filters.from_args(request.form)
    try:
        assigned, skipped = assign_many(
            filters=filters,
            selected=request.form.getlist("supplier", type=database_id),
            everyone=request.form.get("scope") == "all",
            questionnaire_id=request.form.get("questionnaire", type=database_id),
            due=request.form.get("due_date", ""),
            today=date.today(),
            by=current_user,
        )
    except BulkRefused as refused:
        flash(refused.message, "error")
    else:
        flash(
            ngettext("Assigned to %(num)d supplier.", "Assigned to %(num)d suppliers.", assigned)
            + (
                " "
                + ngettext(
                    "%(num)d already had this questionnaire open and was left as it is.",
                    "%(num)d already had this questionnaire open and were left as they are.",
                    skipped,
                )
                if skipped
                else ""
            ),
            "success",
        )
    return redirect(url_for(".index", **_filter_args(filters)))


def _filter_args(filters: Filters) -> dict:
    return {
        key: value
        for key, value in {
            "tier": filters.tier,
            "country": filters.country,
            "category": filters.category,
            "status": filters.status,
            "q": filters.search,
            "sort": filters.sort,
            "order": "desc" if filters.descending else "asc",
        }.items()
        if value
    }
