"""A contact comes back through the link it was sent: a spent or expired link opened by a
browser already signed in as that contact lets it in; nobody else's spent link does."""

from __future__ import annotations

import pytest

from portal.auth.logic import create_user, revoke_links
from portal.auth.models import Role, User
from portal.extensions import db


def _spent_link(client, issue_link, contact: int) -> str:
    token = issue_link(contact)
    assert client.post(f"/link/{token}").headers["Location"] == "/s/"
    return token


def test_a_signed_in_contact_opening_its_spent_link_goes_home(client, make_supplier, issue_link):
    _supplier, contact = make_supplier(name="Taller Luna")
    token = _spent_link(client, issue_link, contact)

    response = client.get(f"/link/{token}")

    assert response.status_code == 302
    assert response.headers["Location"] == "/s/"
    assert "Taller Luna" in client.get("/s/").text


def test_a_spent_link_lands_on_the_page_it_was_meant_for(client, make_supplier, issue_link):
    _supplier, contact = make_supplier()
    token = _spent_link(client, issue_link, contact)

    response = client.get(f"/link/{token}?next=/s/actions/")

    assert response.headers["Location"] == "/s/actions/"


def test_a_spent_link_never_lands_on_another_site(client, make_supplier, issue_link):
    _supplier, contact = make_supplier()
    token = _spent_link(client, issue_link, contact)

    response = client.get(f"/link/{token}", query_string={"next": "//evil.example/"})

    assert response.headers["Location"] == "/s/"


def test_continue_pressed_again_on_a_spent_link_goes_home(client, make_supplier, issue_link):
    _supplier, contact = make_supplier()
    token = _spent_link(client, issue_link, contact)

    assert client.post(f"/link/{token}").headers["Location"] == "/s/"


def test_a_signed_in_contact_opening_its_expired_link_goes_home(
    client, make_supplier, issue_link, sign_in_supplier
):
    _supplier, contact = make_supplier()
    sign_in_supplier(contact)
    expired = issue_link(contact, days=0)

    for response in (client.get(f"/link/{expired}"), client.post(f"/link/{expired}")):
        assert response.status_code == 302
        assert response.headers["Location"] == "/s/"


def test_a_signed_in_contact_opening_its_unspent_link_goes_home_and_keeps_it(
    app, client, make_supplier, issue_link, sign_in_supplier
):
    _supplier, contact = make_supplier()
    sign_in_supplier(contact)
    token = issue_link(contact)

    assert client.get(f"/link/{token}").headers["Location"] == "/s/"
    assert app.test_client().post(f"/link/{token}").headers["Location"] == "/s/"  # still good


def test_a_spent_link_is_dead_in_a_browser_not_signed_in(app, client, make_supplier, issue_link):
    _supplier, contact = make_supplier()
    token = _spent_link(client, issue_link, contact)

    response = app.test_client().get(f"/link/{token}")

    assert response.status_code == 410
    assert 'action="/link/new"' in response.text


@pytest.fixture
def second_contact(app):
    """Add another contact to a supplier; return its id."""

    def add(supplier_id: int) -> int:
        with app.app_context():
            user = create_user(
                f"second{supplier_id}@supplier.example", Role.SUPPLIER, supplier_id=supplier_id
            )
            db.session.commit()
            return user.id

    return add


@pytest.mark.parametrize("whose", ["another supplier", "the same supplier"])
def test_another_contacts_spent_link_does_not_let_a_signed_in_contact_in_as_them(
    app, make_supplier, issue_link, second_contact, whose
):
    owner_supplier, owner = make_supplier(name="Owner Works")
    owners_browser = app.test_client()
    token = _spent_link(owners_browser, issue_link, owner)
    if whose == "the same supplier":
        other = second_contact(owner_supplier)
    else:
        _other_supplier, other = make_supplier(name="Other Works")
    browser = app.test_client()
    _spent_link(browser, issue_link, other)

    response = browser.get(f"/link/{token}")

    assert response.status_code == 410
    assert "already been used" in response.text
    assert browser.post(f"/link/{token}").status_code == 410
    with browser.session_transaction() as session:
        assert session["_user_id"].startswith(f"{other}:")  # still itself, not the owner


def test_a_buyer_is_not_let_in_by_a_suppliers_spent_link(
    app, client, make_supplier, issue_link, make_buyer, sign_in_buyer
):
    _supplier, contact = make_supplier()
    token = _spent_link(app.test_client(), issue_link, contact)
    sign_in_buyer(make_buyer())

    response = client.get(f"/link/{token}")

    assert response.status_code == 410
    assert client.get("/s/").status_code == 403


def test_a_revoked_link_stays_dead_even_for_its_signed_in_contact(
    app, client, make_supplier, issue_link, sign_in_supplier
):
    _supplier, contact = make_supplier()
    revoked = issue_link(contact)
    with app.app_context():
        revoke_links(db.session.get(User, contact), by=None)
        db.session.commit()
    sign_in_supplier(contact)

    response = client.get(f"/link/{revoked}")

    assert response.status_code == 410
    assert "cancelled" in response.text
