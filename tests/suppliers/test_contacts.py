"""Buyers add a supplier's contacts, change them and deactivate them; every change audited."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.auth.models import Role, User
from portal.extensions import db
from portal.suppliers.contacts import add_contact, change_contact, deactivate_contact
from portal.suppliers.models import Supplier, SupplierContact
from portal.suppliers.refused import SupplierChangeRefused
from tests.auth.test_roles import stored

NEW_CONTACT = {"name": "Minh Tran", "email": "Minh@Workshop.example", "locale": "fr"}


@pytest.fixture
def buyer(make_buyer, sign_in_buyer) -> int:
    buyer_id = make_buyer()
    sign_in_buyer(buyer_id)
    return buyer_id


@pytest.fixture
def contact_browser(app):
    """A second browser, for the supplier contact."""
    return app.test_client()


def _user(app, user_id: int) -> User:
    with app.app_context():
        return db.session.get(User, user_id)


def _link(user_id: int) -> SupplierContact:
    """The person's (first) link to a supplier, inside an app context."""
    return db.session.scalar(select(SupplierContact).where(SupplierContact.user_id == user_id))


def _active(app, user_id: int) -> bool:
    """Whether the contact may still act for the supplier."""
    with app.app_context():
        return _link(user_id).is_active and db.session.get(User, user_id).can_sign_in


def _actions(app, user_id: int) -> list[tuple[str, dict]]:
    with app.app_context():
        return [
            (e.action, e.detail)
            for e in db.session.scalars(
                select(AuditEntry)
                .where(AuditEntry.object_type == "user", AuditEntry.object_id == user_id)
                .order_by(AuditEntry.id)
            )
        ]


def _field_error(page: str, field: str) -> str:
    block = re.search(rf'<div class="field has-error">\s*<label for="{field}".*?</div>', page, re.S)
    assert block, f"no error shown next to {field}"
    return html.unescape(block.group(0))


def _sign_in(browser, token: str) -> int:
    return browser.post(f"/link/{token}").status_code


# --- adding -----------------------------------------------------------------------------------


def test_buyer_adds_a_contact_who_can_then_be_sent_a_link(
    app, client, buyer, make_supplier, contact_browser
):
    supplier_id, _first = make_supplier()

    assert client.get(f"/b/suppliers/{supplier_id}/contacts/new").status_code == 200
    response = client.post(f"/b/suppliers/{supplier_id}/contacts/new", data=NEW_CONTACT)

    assert response.status_code == 302
    assert response.headers["Location"] == f"/b/suppliers/{supplier_id}#contacts"
    with app.app_context():
        added = db.session.scalar(select(User).where(User.email == "minh@workshop.example"))
        assert (added.role, added.supplier_ids, added.name, added.locale, added.active) == (
            Role.SUPPLIER,
            [supplier_id],
            "Minh Tran",
            "fr",
            True,
        )
        added_id = added.id
    assert _actions(app, added_id) == [("contact_added", {"email": "minh@workshop.example"})]
    page = client.get(f"/b/suppliers/{supplier_id}").text
    assert "Contact Minh Tran added. Send them a sign-in link." in page
    assert "minh@workshop.example" in page
    history = client.get(f"/b/suppliers/{supplier_id}/history/").text
    assert "Contact added: minh@workshop.example" in history

    link = client.post(f"/b/suppliers/contacts/{added_id}/link", data={"send": "copy"})
    token = re.search(r"/link/([A-Za-z0-9_\-]{20,})", link.text).group(1)
    assert _sign_in(contact_browser, token) == 302
    assert contact_browser.get("/s/").status_code == 200


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"email": ""}, "email", "This field is required."),
        ({"email": "not-an-email"}, "email", "Invalid email address."),
        ({"locale": "de"}, "locale", "Not a valid choice."),
        ({"name": "n" * 201}, "name", "Field cannot be longer than 200 characters."),
    ],
)
def test_a_bad_new_contact_is_refused_and_nothing_is_stored(
    app, client, buyer, make_supplier, change, field, message
):
    supplier_id, _contact = make_supplier()
    before = stored(app)

    response = client.post(
        f"/b/suppliers/{supplier_id}/contacts/new", data={**NEW_CONTACT, **change}
    )

    assert response.status_code == 422
    assert message in _field_error(response.text, field)
    assert stored(app) == before


def test_a_buyer_s_address_is_refused_for_a_contact(app, client, buyer, make_supplier):
    supplier_id, _contact = make_supplier()
    taken = _user(app, buyer).email.upper()
    before = stored(app)

    response = client.post(
        f"/b/suppliers/{supplier_id}/contacts/new", data={**NEW_CONTACT, "email": taken}
    )

    assert response.status_code == 422
    assert "Someone already uses this email address." in _field_error(response.text, "email")
    assert 'value="Minh Tran"' in response.text  # what the buyer typed stays
    assert stored(app) == before


def test_a_person_who_answers_for_another_supplier_becomes_this_one_s_contact_too(
    app, client, buyer, make_supplier
):
    supplier_id, _contact = make_supplier()
    _other, other_contact = make_supplier()
    email = _user(app, other_contact).email

    response = client.post(
        f"/b/suppliers/{supplier_id}/contacts/new", data={**NEW_CONTACT, "email": email.upper()}
    )

    assert response.status_code == 302
    with app.app_context():
        person = db.session.get(User, other_contact)
        assert sorted(person.supplier_ids) == sorted([_other, supplier_id])
        assert person.locale == "en"  # the person's own language stays
    again = client.post(
        f"/b/suppliers/{supplier_id}/contacts/new", data={**NEW_CONTACT, "email": email}
    )
    assert again.status_code == 422
    assert "This person is already a contact of this supplier." in again.text


# --- changing ---------------------------------------------------------------------------------


def test_buyer_changes_a_contacts_email_name_and_language(
    app, client, buyer, make_supplier, issue_link, sign_in_supplier, contact_browser
):
    supplier_id, contact = make_supplier(locale="en")
    old_email = _user(app, contact).email
    old_link = issue_link(contact)
    signed_in = app.test_client()
    assert _sign_in(signed_in, issue_link(contact)) == 302

    form = client.get(f"/b/suppliers/contacts/{contact}/edit")
    assert form.status_code == 200
    assert f'value="{old_email}"' in form.text
    response = client.post(
        f"/b/suppliers/contacts/{contact}/edit",
        data={"name": "Lan Nguyen", "email": "lan@new.example", "locale": "es"},
    )

    assert response.status_code == 302
    changed = _user(app, contact)
    with app.app_context():
        name = _link(contact).name  # the organisation's name for the person
    assert (changed.email, name, changed.locale) == ("lan@new.example", "Lan Nguyen", "es")
    actions = _actions(app, contact)
    assert actions[-4:] == [
        ("contact_email_changed", {"old": old_email, "new": "lan@new.example"}),
        (
            "contact_renamed",
            {"old": f"Contact {contact_id_number(old_email)}", "new": "Lan Nguyen"},
        ),
        ("contact_language_changed", {"old": "en", "new": "es"}),
        ("links_revoked", {"count": "1"}),
    ]
    history = html.unescape(client.get(f"/b/suppliers/{supplier_id}/history/").text)
    assert f"Contact email changed: {old_email} → lan@new.example" in history
    assert "Contact language changed: English → Español" in history
    # Links mailed to the old address stop working, and the contact signs in again.
    assert contact_browser.get(f"/link/{old_link}").status_code == 410
    assert signed_in.get("/s/").headers["Location"] == "/link/new"


def contact_id_number(email: str) -> str:
    """The factory names contact N `Contact N` and mails it at contactN@…."""
    return email.split("@")[0].removeprefix("contact")


def test_changing_only_the_language_keeps_links_and_sessions(
    app, client, buyer, make_supplier, issue_link
):
    _supplier_id, contact = make_supplier(locale="en")
    email, name = _user(app, contact).email, _user(app, contact).name
    signed_in = app.test_client()
    assert _sign_in(signed_in, issue_link(contact)) == 302

    client.post(
        f"/b/suppliers/contacts/{contact}/edit", data={"name": name, "email": email, "locale": "fr"}
    )

    assert _actions(app, contact)[-1] == ("contact_language_changed", {"old": "en", "new": "fr"})
    assert signed_in.get("/s/").status_code == 200


def test_an_address_a_buyer_uses_is_refused_and_nothing_changes(app, client, buyer, make_supplier):
    _supplier_id, contact = make_supplier()
    taken = _user(app, buyer).email
    before = stored(app)

    response = client.post(
        f"/b/suppliers/contacts/{contact}/edit",
        data={"name": "Renamed", "email": taken, "locale": "es"},
    )

    assert response.status_code == 422
    assert "Someone already uses this email address." in _field_error(response.text, "email")
    assert stored(app) == before


def test_keeping_the_same_address_is_not_a_duplicate(app, client, buyer, make_supplier):
    _supplier_id, contact = make_supplier()
    email = _user(app, contact).email

    response = client.post(
        f"/b/suppliers/contacts/{contact}/edit",
        data={"name": "Renamed", "email": email.upper(), "locale": "en"},
    )

    assert response.status_code == 302
    assert [a for a, _d in _actions(app, contact)][-1] == "contact_renamed"


def test_only_supplier_contacts_can_be_edited_here(app, client, buyer, make_buyer):
    other_buyer = make_buyer()
    before = stored(app)

    assert client.get(f"/b/suppliers/contacts/{other_buyer}/edit").status_code == 404
    response = client.post(f"/b/suppliers/contacts/{other_buyer}/deactivate", data={"x": "1"})
    assert response.status_code == 404
    assert client.get("/b/suppliers/contacts/9999/edit").status_code == 404
    assert stored(app) == before


# --- deactivating -----------------------------------------------------------------------------


def test_a_deactivated_contact_is_locked_out_everywhere(
    app, client, buyer, make_supplier, issue_link, contact_browser, mailbox
):
    supplier_id, contact = make_supplier()
    unspent = issue_link(contact)
    assert _sign_in(contact_browser, issue_link(contact)) == 302
    assert contact_browser.get("/s/").status_code == 200

    response = client.post(f"/b/suppliers/contacts/{contact}/deactivate")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/b/suppliers/{supplier_id}#contacts"
    assert not _active(app, contact)
    assert _actions(app, contact)[-2:] == [
        ("contact_deactivated", {"email": _user(app, contact).email}),
        ("links_revoked", {"count": "1"}),
    ]
    # Its session has ended, its links no longer work, and it cannot ask for a new one.
    assert contact_browser.get("/s/").headers["Location"] == "/link/new"
    assert contact_browser.post(f"/link/{unspent}").status_code == 410
    contact_browser.post("/link/new", data={"email": _user(app, contact).email})
    assert mailbox == []
    # Even a link created after deactivation does not sign it in.
    assert _sign_in(contact_browser, issue_link(contact)) == 410
    page = client.get(f"/b/suppliers/{supplier_id}").text
    assert "Deactivated" in page
    assert f'action="/b/suppliers/contacts/{contact}/reactivate"' in page
    assert f'action="/b/suppliers/contacts/{contact}/link"' not in page
    assert "No active contact" in page
    history = client.get(f"/b/suppliers/{supplier_id}/history/").text
    assert "Contact deactivated: " in history


def test_no_link_is_made_or_mailed_for_a_deactivated_contact(
    app, client, buyer, make_supplier, mailbox
):
    supplier_id, contact = make_supplier()
    client.post(f"/b/suppliers/contacts/{contact}/deactivate")
    before = stored(app)

    for send in ("email", "copy"):  # from a tab opened before the deactivation
        response = client.post(f"/b/suppliers/contacts/{contact}/link", data={"send": send})
        assert response.status_code == 302

    assert stored(app) == before
    assert mailbox == []
    page = client.get(f"/b/suppliers/{supplier_id}").text
    assert "This contact is deactivated; reactivate it first." in page


def test_a_reactivated_contact_signs_in_with_a_new_link_but_not_an_old_one(
    app, client, buyer, make_supplier, issue_link, contact_browser
):
    _supplier_id, contact = make_supplier()
    old = issue_link(contact)
    client.post(f"/b/suppliers/contacts/{contact}/deactivate")

    response = client.post(f"/b/suppliers/contacts/{contact}/reactivate")

    assert response.status_code == 302
    assert _active(app, contact)
    assert _actions(app, contact)[-1][0] == "contact_reactivated"
    assert contact_browser.post(f"/link/{old}").status_code == 410
    assert _sign_in(contact_browser, issue_link(contact)) == 302
    assert contact_browser.get("/s/").status_code == 200


def test_deactivating_twice_says_so_and_records_once(app, client, buyer, make_supplier):
    supplier_id, contact = make_supplier()
    client.post(f"/b/suppliers/contacts/{contact}/deactivate")
    before = stored(app)

    response = client.post(f"/b/suppliers/contacts/{contact}/deactivate")

    assert response.status_code == 302
    assert stored(app) == before
    assert "This contact is already deactivated." in client.get(f"/b/suppliers/{supplier_id}").text
    again = client.post(f"/b/suppliers/contacts/{contact}/reactivate")
    assert again.status_code == 302
    before = stored(app)
    client.post(f"/b/suppliers/contacts/{contact}/reactivate")
    assert stored(app) == before


def test_mail_to_a_supplier_skips_its_deactivated_user(app, ctx, make_supplier):
    from portal.suppliers.logic import supplier_locale

    supplier_id, contact = make_supplier(locale="fr")
    supplier = db.session.get(Supplier, supplier_id)
    add_contact(supplier, email="second@example.com", name="", locale="es", by=None)
    deactivate_contact(_link(contact), by=None)

    assert supplier_locale(supplier) == "es"


def test_a_supplier_contact_cannot_manage_contacts(app, client, make_supplier, sign_in_supplier):
    supplier_id, contact = make_supplier()
    sign_in_supplier(contact)
    before = stored(app)

    for method, url in (
        ("GET", f"/b/suppliers/{supplier_id}/contacts/new"),
        ("POST", f"/b/suppliers/{supplier_id}/contacts/new"),
        ("GET", f"/b/suppliers/contacts/{contact}/edit"),
        ("POST", f"/b/suppliers/contacts/{contact}/edit"),
        ("POST", f"/b/suppliers/contacts/{contact}/deactivate"),
        ("POST", f"/b/suppliers/contacts/{contact}/reactivate"),
    ):
        assert client.open(url, method=method, data=NEW_CONTACT).status_code == 403, url
    assert stored(app) == before


def test_an_admin_can_manage_contacts(app, client, make_buyer, sign_in_buyer, make_supplier):
    sign_in_buyer(make_buyer(role=Role.ADMIN))
    _supplier_id, contact = make_supplier()

    assert client.post(f"/b/suppliers/contacts/{contact}/deactivate").status_code == 302
    assert not _active(app, contact)


# --- the domain functions refuse before writing -----------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "nope"}, "email"),
        ({"email": "  "}, "email"),
        ({"locale": "xx"}, "locale"),
        ({"name": "n" * 201}, "name"),
    ],
)
def test_change_contact_refuses_bad_values_before_writing(ctx, make_supplier, change, field):
    _supplier_id, contact_id = make_supplier()
    contact = _link(contact_id)
    details = {"email": "fine@example.com", "name": "Fine", "locale": "es", **change}

    with pytest.raises(SupplierChangeRefused) as refused:
        change_contact(contact, **details, by=None)

    assert refused.value.field == field
    assert contact.name != "Fine"
    assert not db.session.new
    assert not db.session.dirty
