"""Buyer pages for suppliers, their contacts' sign-in links and assignments."""

from __future__ import annotations

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
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import SelectChoice

from portal.assessments.logic import assign, latest_questionnaires
from portal.assessments.models import Assessment
from portal.assessments.status import TransitionRefused
from portal.auth.access import buyer_required
from portal.auth.forms import ConfirmForm
from portal.auth.logic import UserExists, active_link_count, revoke_links
from portal.extensions import db
from portal.notifications.contacts import contact_sign_in_url, mail_contact
from portal.questionnaires.models import QuestionnaireVersion, preload_definitions
from portal.risk.logic import risk_summary
from portal.suppliers.forms import AssignForm, SupplierForm
from portal.suppliers.logic import InvalidCountry, country_name, create_supplier, list_suppliers
from portal.suppliers.models import Supplier, SupplierContact
from portal.typed_input import isolated_in

bp = Blueprint("suppliers", __name__, url_prefix="/b/suppliers")


def supplier_or_404(supplier_id: int) -> Supplier:
    supplier = db.session.get(Supplier, supplier_id)
    if supplier is None:
        abort(404)
    return supplier


def contact_or_404(user_id: int) -> SupplierContact:
    """The person `user_id` as a contact of the buyer's organisation (its first link to one
    of its suppliers); a person the organisation does not know is missing."""
    contact = db.session.scalar(
        select(SupplierContact)
        .where(SupplierContact.user_id == user_id)
        .order_by(SupplierContact.id)
        .limit(1)
    )
    if contact is None:
        abort(404)
    return contact


def _assign_form() -> AssignForm:
    form = AssignForm()
    versions = latest_questionnaires()
    preload_definitions(versions)
    locale = str(get_locale() or "en")
    form.questionnaire.choices = [
        SelectChoice(q.id, f"{q.title_in(locale)} (v{q.version})") for q in versions
    ]
    return form


@bp.get("/")
@buyer_required
def index():
    search = request.args.get("q", "").strip()[:100]
    return render_template(
        "suppliers/index.html",
        suppliers=list_suppliers(search),
        search=search,
        country_name=country_name,
    )


@bp.route("/new", methods=["GET", "POST"])
@buyer_required
def new():
    form = SupplierForm()
    if form.validate_on_submit():
        try:
            supplier = create_supplier(
                name=form.name.data,
                country=form.country.data,
                category=form.category.data,
                contact_name=form.contact_name.data or "",
                contact_email=form.contact_email.data,
                contact_locale=form.contact_locale.data,
                by=current_user,
            )
        except UserExists:
            form.contact_email.errors.append(_("Someone already uses this email address."))
        except InvalidCountry:
            form.country.errors.append(_("Choose a country from the list."))
        else:
            flash(isolated_in(_("Supplier %(name)s created."), name=supplier.name), "success")
            return redirect(url_for(".show", supplier_id=supplier.id))
    status = 422 if request.method == "POST" else 200
    return render_template("suppliers/new.html", form=form), status


def _render_show(supplier: Supplier, assign_form: AssignForm) -> str:
    assessments = db.session.scalars(
        select(Assessment)
        .options(joinedload(Assessment.questionnaire))
        .where(Assessment.supplier_id == supplier.id)
        .order_by(Assessment.id)
    ).all()
    preload_definitions(a.questionnaire for a in assessments)
    return render_template(
        "suppliers/show.html",
        supplier=supplier,
        assessments=assessments,
        assign_form=assign_form,
        confirm=ConfirmForm(),
        country_name=country_name,
        active_links={
            c.user_id: active_link_count(c.user, current_user) for c in supplier.contact_links
        },
        risk=risk_summary(supplier),
    )


@bp.get("/<int:supplier_id>")
@buyer_required
def show(supplier_id: int):
    return _render_show(supplier_or_404(supplier_id), _assign_form())


@bp.post("/<int:supplier_id>/assign")
@buyer_required
def assign_questionnaire(supplier_id: int):
    supplier = supplier_or_404(supplier_id)
    form = _assign_form()
    if form.validate_on_submit():
        questionnaire = db.session.get(QuestionnaireVersion, form.questionnaire.data)
        try:
            assessment = assign(supplier, questionnaire, form.due_date.data, by=current_user)
        except TransitionRefused as refused:
            form.due_date.errors.append(refused.message)
        else:
            flash(_("Questionnaire assigned. Now send the contact a sign-in link."), "success")
            return redirect(url_for(".show", supplier_id=supplier.id) + f"#a-{assessment.id}")
    return _render_show(supplier, form), 422


@bp.post("/contacts/<int:user_id>/link")
@buyer_required
def new_link(user_id: int):
    contact = contact_or_404(user_id)
    if not contact.is_active:  # an old tab: a link for a deactivated contact would not work
        flash(_("This contact is deactivated; reactivate it first."), "error")
        return redirect(url_for(".show", supplier_id=contact.supplier_id) + "#contacts")
    url = contact_sign_in_url(contact.user, by=current_user)
    emailed = request.form.get("send") == "email"
    if emailed:
        mail_contact(contact.user, "invitation", supplier=contact.supplier, url=url)
    return render_template(
        "suppliers/link.html",
        contact=contact,
        url=url,
        emailed=emailed,
        days=current_app.config["SIGN_IN_LINK_DAYS"],
    )


@bp.post("/contacts/<int:user_id>/revoke")
@buyer_required
def revoke(user_id: int):
    contact = contact_or_404(user_id)
    count = revoke_links(contact.user, by=current_user)
    flash(
        _("Sign-in links revoked: %(count)d. The contact is signed out everywhere.", count=count),
        "success",
    )
    return redirect(url_for(".show", supplier_id=contact.supplier_id))
