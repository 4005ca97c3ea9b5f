"""A supplier's contacts: adding them, changing their details, deactivating them. Audited."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.audit.logic import record
from portal.auth.logic import create_user, find_user, revoke_links, usable_email
from portal.auth.models import Role, User
from portal.config import LANGUAGES
from portal.extensions import db
from portal.suppliers.models import Supplier, SupplierContact
from portal.suppliers.refused import SupplierChangeRefused

NAME_MAX = 200


def _already_a_contact() -> str:
    return _("This person is already a contact of this supplier.")


def _checked_email(email: str, *, taken_by_other_than: User | None = None) -> str:
    email = usable_email(email)
    if email is None:
        raise SupplierChangeRefused(_("Enter a valid email address."), "email")
    owner = find_user(email)
    if owner is not None and owner is not taken_by_other_than:
        raise SupplierChangeRefused(_("Someone already uses this email address."), "email")
    return email


def _checked_name(name: str) -> str:
    name = name.strip()
    if len(name) > NAME_MAX:
        raise SupplierChangeRefused(
            _("The name can be at most %(max)d characters.", max=NAME_MAX), "name"
        )
    return name


def _checked_locale(locale: str) -> str:
    if locale not in LANGUAGES:
        raise SupplierChangeRefused(_("Choose a language from the list."), "locale")
    return locale


def _record(action: str, contact: SupplierContact, by: User | None, **detail: object) -> None:
    record(
        action,
        object_type="user",
        object_id=contact.user_id,
        by=by,
        supplier_id=contact.supplier_id,
        **detail,
    )


def _person(email: str, *, name: str, locale: str) -> User:
    """The person with this address, created if the portal has none; refused when the
    address is a buyer's or admin's. Whether another organisation knows them is not told."""
    owner = find_user(email)
    if owner is None:
        return create_user(email, Role.SUPPLIER, name=name, locale=locale)
    if not owner.is_supplier:
        raise SupplierChangeRefused(_("Someone already uses this email address."), "email")
    return owner


def add_contact(
    supplier: Supplier, *, email: str, name: str, locale: str, by: User | None
) -> SupplierContact:
    """Give a supplier one more contact: the person with this address, who may already
    answer for other suppliers (then keeps their own language)."""
    email = usable_email(email)
    if email is None:
        raise SupplierChangeRefused(_("Enter a valid email address."), "email")
    name, locale = _checked_name(name), _checked_locale(locale)
    person = _person(email, name=name, locale=locale)
    if any(link.supplier_id == supplier.id for link in person.contact_links):
        raise SupplierChangeRefused(_already_a_contact(), "email")
    contact = SupplierContact(supplier=supplier, user=person, name=name)
    db.session.add(contact)
    db.session.flush()
    _record("contact_added", contact, by, email=person.email)
    return contact


def _links_here(contact: SupplierContact) -> list[SupplierContact]:
    """The person's links to this organisation's suppliers: the organisation knows the
    person as one contact, renamed, moved or deactivated as one."""
    return list(
        db.session.scalars(
            select(SupplierContact)
            .where(
                SupplierContact.user_id == contact.user_id,
                SupplierContact.organisation_id == contact.organisation_id,
            )
            .order_by(SupplierContact.id)
        )
    )


def _known_elsewhere(contact: SupplierContact) -> bool:
    """Whether the person also answers to another organisation."""
    others = select(func.count(SupplierContact.id)).where(
        SupplierContact.user_id == contact.user_id,
        SupplierContact.organisation_id != contact.organisation_id,
    )
    return db.session.scalar(others.execution_options(all_organisations=True)) > 0


def change_contact(
    contact: SupplierContact, *, email: str, name: str, locale: str, by: User | None
) -> list[str]:
    """Store a contact's new email, name and language, one audit row per changed field;
    return the fields changed. A new address revokes the links sent to the old one and
    signs the contact out.

    The name is this organisation's for the person. A new address that is another
    person's, or of a person who also answers to another organisation, gives this
    organisation's suppliers the person with the new address and leaves the other
    organisation's contact as it was; nothing in the answer tells whether the address was
    known.
    """
    person = contact.user
    email = usable_email(email)
    if email is None:
        raise SupplierChangeRefused(_("Enter a valid email address."), "email")
    name, locale = _checked_name(name), _checked_locale(locale)
    links = _links_here(contact)
    changed = []
    revoke_from = None  # links to the old address stop working
    if email != person.email:
        old = revoke_from = person.email
        if find_user(email) is None and not _known_elsewhere(contact):
            person.email = email
            revoke_from = person
        else:  # the address is another person's, or this person also answers elsewhere
            new_person = _person(email, name=name, locale=locale)
            theirs = {link.supplier_id for link in new_person.contact_links}
            if any(link.supplier_id in theirs for link in links):
                raise SupplierChangeRefused(_already_a_contact(), "email")
            revoke_from = person
            for link in links:
                link.user = new_person
            person = new_person
        changed.append("email")
        _record("contact_email_changed", contact, by, old=old, new=email)
    if (contact.name or "") != name:
        _record("contact_renamed", contact, by, old=contact.name or "", new=name)
        for link in links:
            link.name = name
        changed.append("name")
    if (person.locale or "") != locale:
        _record("contact_language_changed", contact, by, old=person.locale or "", new=locale)
        person.locale = locale
        changed.append("locale")
    if revoke_from is not None:
        revoke_links(revoke_from, by=by)
    db.session.flush()
    return changed


def deactivate_contact(contact: SupplierContact, *, by: User | None) -> None:
    """Stop a contact from acting for this organisation's suppliers: the links it sent
    are revoked, their sessions end, and they receive no more of its mail."""
    links = _links_here(contact)
    if not any(link.active for link in links):
        raise SupplierChangeRefused(_("This contact is already deactivated."))
    for link in links:
        link.active = False
    _record("contact_deactivated", contact, by, email=contact.email)
    revoke_links(contact.user, by=by)


def reactivate_contact(contact: SupplierContact, *, by: User | None) -> None:
    """Let a deactivated contact act for this organisation's suppliers again, with a new
    link."""
    links = _links_here(contact)
    if all(link.active for link in links):
        raise SupplierChangeRefused(_("This contact is already active."))
    for link in links:
        link.active = True
    _record("contact_reactivated", contact, by, email=contact.email)
