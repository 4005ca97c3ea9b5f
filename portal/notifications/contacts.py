"""Mail to supplier contacts, each with a fresh sign-in link and in the contact's language."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flask import current_app

from portal.auth.logic import issue_sign_in_link
from portal.auth.models import User
from portal.notifications.logic import mail_user
from portal.notifications.models import OutboxMail
from portal.suppliers.models import Supplier
from portal.urls import absolute_url

Context = Mapping[str, object] | Callable[[User], Mapping[str, object]]


def link_days() -> int:
    """How many days a mailed sign-in link stays valid."""
    return current_app.config["SIGN_IN_LINK_DAYS"]


def active_contacts(supplier: Supplier) -> list[User]:
    """The supplier's contacts who can still sign in, in the order they were added."""
    return supplier.active_contacts


def contact_sign_in_url(
    contact: User, *, by: User | None = None, landing: str | None = None
) -> str:
    """A new sign-in link for `contact`, as an absolute URL that lands on the path `landing`
    (the contact's home page when None)."""
    token = issue_sign_in_link(contact, by=by, days=link_days())
    return absolute_url("auth.link", token=token, next=landing)


def mail_contact(
    contact: User,
    template: str,
    *,
    supplier: Supplier | None = None,
    by: User | None = None,
    landing: str | None = None,
    url: str | None = None,
    **context: object,
) -> OutboxMail:
    """Queue `mail/<template>.txt` to one contact in its language, with a fresh sign-in link
    (or `url`, a link just issued by contact_sign_in_url and also shown to the buyer).

    The template gets `user`, `supplier` (the one the mail is about, by default the
    contact's first), `url` (the link) and `days` (its lifetime) on top of `context`.
    """
    return mail_user(
        contact,
        template,
        supplier=supplier or contact.supplier,
        url=url or contact_sign_in_url(contact, by=by, landing=landing),
        days=link_days(),
        **context,
    )


def mail_supplier_contacts(
    supplier: Supplier,
    template: str,
    context: Context | None = None,
    *,
    by: User | None = None,
    landing: str | None = None,
) -> int:
    """Mail every active contact of `supplier` (see mail_contact); return how many were queued.

    `context` is a mapping, or a function of the contact for values that depend on its
    language (a questionnaire's title).
    """
    contacts = active_contacts(supplier)
    for contact in contacts:
        values = context(contact) if callable(context) else (context or {})
        mail_contact(contact, template, supplier=supplier, by=by, landing=landing, **values)
    return len(contacts)
