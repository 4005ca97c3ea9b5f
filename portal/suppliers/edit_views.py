"""Buyer pages for changing a supplier's details and its contacts."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.access import buyer_required
from portal.suppliers.contacts import (
    add_contact,
    change_contact,
    deactivate_contact,
    reactivate_contact,
)
from portal.suppliers.edit import edit_supplier
from portal.suppliers.edit_forms import ContactForm, SupplierDetailsForm
from portal.suppliers.refused import SupplierChangeRefused
from portal.suppliers.views import contact_or_404, supplier_or_404
from portal.typed_input import isolated_in

bp = Blueprint("supplier_edit", __name__, url_prefix="/b/suppliers")


def _blame(form, refused: SupplierChangeRefused) -> None:
    field = getattr(form, refused.field or "", None)
    if field is not None:
        field.errors.append(refused.message)
    else:
        flash(refused.message, "error")


def _contacts_url(supplier_id: int) -> str:
    return url_for("suppliers.show", supplier_id=supplier_id) + "#contacts"


@bp.route("/<int:supplier_id>/edit", methods=["GET", "POST"])
@buyer_required
def edit(supplier_id: int):
    supplier = supplier_or_404(supplier_id)
    form = SupplierDetailsForm(obj=supplier)
    if form.validate_on_submit():
        try:
            changed = edit_supplier(
                supplier,
                name=form.name.data,
                country=form.country.data,
                category=form.category.data,
                by=current_user,
            )
        except SupplierChangeRefused as refused:
            _blame(form, refused)
        else:
            if changed:
                flash(isolated_in(_("Supplier %(name)s saved."), name=supplier.name), "success")
            else:
                flash(_("Nothing was changed."), "info")
            return redirect(url_for("suppliers.show", supplier_id=supplier.id))
    status = 422 if request.method == "POST" else 200
    return render_template("suppliers/edit.html", form=form, supplier=supplier), status


@bp.route("/<int:supplier_id>/contacts/new", methods=["GET", "POST"])
@buyer_required
def new_contact(supplier_id: int):
    supplier = supplier_or_404(supplier_id)
    form = ContactForm()
    if form.validate_on_submit():
        try:
            contact = add_contact(
                supplier,
                email=form.email.data,
                name=form.name.data or "",
                locale=form.locale.data,
                by=current_user,
            )
        except SupplierChangeRefused as refused:
            _blame(form, refused)
        else:
            flash(
                _("Contact %(name)s added. Send them a sign-in link.", name=contact.display_name),
                "success",
            )
            return redirect(_contacts_url(supplier.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "suppliers/contact_form.html", form=form, supplier=supplier, contact=None
    ), status


@bp.route("/contacts/<int:user_id>/edit", methods=["GET", "POST"])
@buyer_required
def edit_contact(user_id: int):
    contact = contact_or_404(user_id)
    form = ContactForm(
        data={"email": contact.email, "name": contact.name, "locale": contact.locale}
    )
    if form.validate_on_submit():
        try:
            changed = change_contact(
                contact,
                email=form.email.data,
                name=form.name.data or "",
                locale=form.locale.data,
                by=current_user,
            )
        except SupplierChangeRefused as refused:
            _blame(form, refused)
        else:
            if "email" in changed:
                flash(
                    _(
                        "Contact saved. Links sent to the old address no longer work and the "
                        "contact is signed out: send a new link."
                    ),
                    "success",
                )
            elif changed:
                flash(_("Contact saved."), "success")
            else:
                flash(_("Nothing was changed."), "info")
            return redirect(_contacts_url(contact.supplier_id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "suppliers/contact_form.html", form=form, supplier=contact.supplier, contact=contact
    ), status


@bp.post("/contacts/<int:user_id>/deactivate")
@buyer_required
def deactivate(user_id: int):
    contact = contact_or_404(user_id)
    try:
        deactivate_contact(contact, by=current_user)
    except SupplierChangeRefused as refused:
        flash(refused.message, "error")
    else:
        flash(
            _(
                "%(name)s is deactivated: their links no longer work, they are signed out "
                "and receive no more mail.",
                name=contact.display_name,
            ),
            "success",
        )
    return redirect(_contacts_url(contact.supplier_id))


@bp.post("/contacts/<int:user_id>/reactivate")
@buyer_required
def reactivate(user_id: int):
    contact = contact_or_404(user_id)
    try:
        reactivate_contact(contact, by=current_user)
    except SupplierChangeRefused as refused:
        flash(refused.message, "error")
    else:
        flash(
            _("%(name)s is active again. Send them a new link.", name=contact.display_name),
            "success",
        )
    return redirect(_contacts_url(contact.supplier_id))
