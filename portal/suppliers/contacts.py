"""A supplier's contacts: adding them, changing their details, deactivating them. Audited."""

from __future__ import annotations

from flask_babel import gettext as _

from portal.audit.logic import record
from portal.auth.logic import create_user, find_user, revoke_links, usable_email
from portal.auth.models import Role, User
from portal.config import LANGUAGES
from portal.suppliers.models import Supplier
from portal.suppliers.refused import SupplierChangeRefused

NAME_MAX = 200


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


def _record(action: str, contact: User, by: User | None, **detail: object) -> None:
    record(
        action,
        object_type="user",
        object_id=contact.id,
        by=by,
        supplier_id=contact.supplier_id,
        **detail,
    )


def add_contact(supplier: Supplier, *, email: str, name: str, locale: str, by: User | None) -> User:
    """Give a supplier one more contact; refuse an address someone already uses."""
    email, name, locale = _checked_email(email), _checked_name(name), _checked_locale(locale)
    contact = create_user(email, Role.SUPPLIER, name=name, supplier_id=supplier.id, locale=locale)
    _record("contact_added", contact, by, email=contact.email)
    return contact


def change_contact(
    contact: User, *, email: str, name: str, locale: str, by: User | None
) -> list[str]:
    """Store a contact's new email, name and language, one audit row per changed field;
    return the fields changed. A new address revokes the links sent to the old one and
    signs the contact out."""
    email = _checked_email(email, taken_by_other_than=contact)
    name, locale = _checked_name(name), _checked_locale(locale)
    changed = []
    for field, action, new in (
        ("email", "contact_email_changed", email),
        ("name", "contact_renamed", name),
        ("locale", "contact_language_changed", locale),
    ):
        old = getattr(contact, field) or ""
        if old == new:
            continue
        setattr(contact, field, new)
        changed.append(field)
        _record(action, contact, by, old=old, new=new)
    if "email" in changed:
        revoke_links(contact, by=by)
    return changed


def deactivate_contact(contact: User, *, by: User | None) -> None:
    """Stop a contact from signing in: its links are revoked and its sessions end; it
    receives no more mail."""
    if not contact.active:
        raise SupplierChangeRefused(_("This contact is already deactivated."))
    contact.active = False
    _record("contact_deactivated", contact, by, email=contact.email)
    revoke_links(contact, by=by)


def reactivate_contact(contact: User, *, by: User | None) -> None:
    """Let a deactivated contact sign in again, with a new link (old links stay revoked)."""
    if contact.active:
        raise SupplierChangeRefused(_("This contact is already active."))
    contact.active = True
    _record("contact_reactivated", contact, by, email=contact.email)
