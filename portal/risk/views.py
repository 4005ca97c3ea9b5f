"""Buyer pages about risk: changes to acknowledge; the admin's country and category ratings."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.access import admin_required, buyer_required
from portal.auth.forms import ConfirmForm
from portal.extensions import db
from portal.ids import database_id
from portal.risk.changes import (
    acknowledge,
    acknowledge_all,
    unacknowledged_changes,
    unacknowledged_count,
)
from portal.risk.cli import refresh_risk_command
from portal.risk.data import DEFAULT_KEY
from portal.risk.forms import RatingForm
from portal.risk.logic import apply_rating
from portal.risk.models import RatingKind, RiskChange
from portal.risk.ratings import RatingRefused, rating_table
from portal.risk.texts import change_text, points, tier_label
from portal.typed_input import isolated_in

bp = Blueprint("risk", __name__, url_prefix="/b/risk", cli_group=None)
bp.cli.add_command(refresh_risk_command)


def _waiting_changes() -> int:
    """The buyer nav's count, queried only when a buyer page asks for it, once a request."""
    if "risk_changes_waiting" not in g:
        g.risk_changes_waiting = unacknowledged_count()
    return g.risk_changes_waiting


@bp.app_context_processor
def risk_helpers():
    return {
        "risk_changes_waiting": _waiting_changes,
        "risk_tier_label": tier_label,
        "risk_points": points,
    }


@bp.get("/changes")
@buyer_required
def changes():
    waiting = unacknowledged_changes()
    return render_template(
        "risk/changes.html",
        changes=waiting,
        up_to=max((c.id for c in waiting), default=0),
        change_text=change_text,
        confirm=ConfirmForm(),
    )


@bp.post("/changes/<int:change_id>/acknowledge")
@buyer_required
def acknowledge_change(change_id: int):
    change = db.session.get(RiskChange, change_id)
    if change is None:
        abort(404)
    if acknowledge(change, by=current_user):
        flash(
            isolated_in(_("Risk change of %(name)s acknowledged."), name=change.supplier.name),
            "success",
        )
    return redirect(url_for(".changes"))


@bp.post("/changes/acknowledge-all")
@buyer_required
def acknowledge_all_changes():
    count = acknowledge_all(request.form.get("up_to", 0, type=database_id), by=current_user)
    flash(
        ngettext("%(num)d risk change acknowledged.", "%(num)d risk changes acknowledged.", count),
        "success",
    )
    return redirect(url_for(".changes"))


def _prefill(form: RatingForm, table) -> None:
    """Open the form on the rating named in the link (?kind=country&key=VN)."""
    kind, key = request.args.get("kind", ""), request.args.get("key", "")
    if kind not in {k.value for k in RatingKind}:
        return
    rating = table.ratings[RatingKind(kind)].get(key)
    if rating is not None:
        form.kind.data, form.key.data = kind, key
        form.rating.data, form.note.data = str(rating.rating), rating.note


@bp.route("/ratings", methods=["GET", "POST"])
@admin_required
def ratings():
    from portal.suppliers.logic import country_name

    form = RatingForm()
    if form.validate_on_submit():
        try:
            override, count, _changes = apply_rating(
                form.kind.data, form.key.data, form.rating.data, form.note.data, by=current_user
            )
        except RatingRefused as refused:
            getattr(form, refused.field).errors.append(refused.message)
        else:
            flash(
                ngettext(
                    "Rating saved; %(num)d supplier was rescored.",
                    "Rating saved; %(num)d suppliers were rescored.",
                    count,
                ),
                "success",
            )
            return redirect(url_for(".ratings") + f"#{override.kind}-{override.key}")
    table = rating_table(current_user.organisation_id)
    if request.method == "GET":
        _prefill(form, table)
    locale = str(get_locale() or "en")
    countries = sorted(
        table.sorted(RatingKind.COUNTRY),
        key=lambda r: (r.key != DEFAULT_KEY, country_name(r.key, locale).casefold()),
    )
    return render_template(
        "risk/ratings.html",
        form=form,
        countries=countries,
        categories=table.sorted(RatingKind.CATEGORY),
        country_name=country_name,
        default_key=DEFAULT_KEY,
    ), (422 if request.method == "POST" else 200)
