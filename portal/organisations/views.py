"""The instance admin's pages: every organisation of the portal, a new one with its first
admin, a new name. Nothing here shows an organisation's suppliers or what hangs on them."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from portal.audit.history import describe, object_history
from portal.auth.access import instance_admin_required
from portal.auth.forms import ConfirmForm
from portal.auth.models import Role, User
from portal.extensions import db
from portal.organisations.forms import NewOrganisationForm, RenameForm
from portal.organisations.logic import (
    OrganisationRefused,
    found_organisation,
    organisation_admins,
    organisation_overview,
    rename_organisation,
    shown_organisation_name,
)
from portal.organisations.models import Organisation
from portal.users.links import send_password_link
from portal.users.logic import account_state
from portal.users.refused import AccountRefused

bp = Blueprint("instance", __name__, url_prefix="/i")

# The new organisation's form field each refusal of its first admin is about.
ADMIN_FIELDS = {"email": "admin_email", "name": "admin_name", "locale": "locale"}


@bp.app_context_processor
def organisation_helpers():
    return {"buyer_organisation": _buyer_organisation}


def _buyer_organisation() -> str | None:
    """The buyer header's organisation name (None with one organisation), once a request."""
    if "buyer_organisation" not in g:
        g.buyer_organisation = shown_organisation_name(current_user)
    return g.buyer_organisation


def organisation_or_404(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        abort(404)
    return organisation


def _render_index(form: NewOrganisationForm, status: int = 200):
    return render_template(
        "organisations/index.html",
        form=form,
        rows=organisation_overview(),
        hours=current_app.config["PASSWORD_LINK_HOURS"],
    ), status


@bp.get("/")
@instance_admin_required
def index():
    return _render_index(NewOrganisationForm())


@bp.post("/organisations")
@instance_admin_required
def create():
    form = NewOrganisationForm()
    if form.validate_on_submit():
        try:
            organisation, admin = found_organisation(
                name=form.name.data,
                admin_name=form.admin_name.data or "",
                admin_email=form.admin_email.data,
                locale=form.locale.data,
                by=current_user,
            )
        except OrganisationRefused as refused:
            form.name.errors.append(refused.message)
        except AccountRefused as refused:
            field = ADMIN_FIELDS.get(refused.field or "email", "admin_email")
            getattr(form, field).errors.append(refused.message)
        else:
            flash(
                _(
                    "%(name)s is created; its admin %(email)s is mailed a link to set a password.",
                    name=organisation.name,
                    email=admin.email,
                ),
                "success",
            )
            return redirect(url_for(".show", organisation_id=organisation.id))
    return _render_index(form, 422)


def _render_show(organisation: Organisation, form: RenameForm, status: int = 200):
    return render_template(
        "organisations/show.html",
        organisation=organisation,
        form=form,
        admins=organisation_admins(organisation),
        account_state=account_state,
        history=object_history("organisation", organisation.id),
        describe=describe,
        confirm=ConfirmForm(),
    ), status


@bp.get("/organisations/<int:organisation_id>")
@instance_admin_required
def show(organisation_id: int):
    organisation = organisation_or_404(organisation_id)
    return _render_show(organisation, RenameForm(obj=organisation))


@bp.post("/organisations/<int:organisation_id>/rename")
@instance_admin_required
def rename(organisation_id: int):
    organisation = organisation_or_404(organisation_id)
    form = RenameForm()
    if form.validate_on_submit():
        try:
            renamed = rename_organisation(organisation, form.name.data, by=current_user)
        except OrganisationRefused as refused:
            form.name.errors.append(refused.message)
        else:
            if renamed:
                flash(_("Renamed to %(name)s.", name=organisation.name), "success")
            return redirect(url_for(".show", organisation_id=organisation.id))
    return _render_show(organisation, form, 422)


@bp.post("/organisations/<int:organisation_id>/admins/<int:user_id>/password-link")
@instance_admin_required
def password_link(organisation_id: int, user_id: int):
    """Mail an admin of the organisation a new link: the first admin's invitation may run
    out before it is used, and no other admin is there to send another."""
    organisation = organisation_or_404(organisation_id)
    admin = db.session.get(User, user_id)
    if admin is None or admin.role != Role.ADMIN or admin.organisation_id != organisation.id:
        abort(404)
    try:
        send_password_link(admin, by=current_user)
    except AccountRefused as refused:
        flash(refused.message, "error")
    else:
        flash(
            _(
                "%(email)s is mailed a link to set a password; earlier links no longer work.",
                email=admin.email,
            ),
            "success",
        )
    return redirect(url_for(".show", organisation_id=organisation.id))
