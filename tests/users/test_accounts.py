"""Admins invite buyers and admins, deactivate and reactivate them; buyers cannot."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.auth.models import Role, User
from portal.extensions import db
from portal.users.logic import deactivate_account
from portal.users.models import LinkPurpose, PasswordLink
from portal.users.refused import AccountRefused
from tests.auth.test_roles import stored
from tests.users.conftest import user

INVITE = {"name": "Ines Buyer", "email": "Ines@Example.com", "role": "buyer", "locale": "fr"}
PASSWORD = "a long enough password"


def _actions(app, user_id: int) -> list[tuple[str, dict, int | None]]:
    with app.app_context():
        return [
            (e.action, e.detail, e.actor_id)
            for e in db.session.scalars(
                select(AuditEntry)
                .where(AuditEntry.object_type == "user", AuditEntry.object_id == user_id)
                .order_by(AuditEntry.id)
            )
        ]


def _invited(app) -> User:
    with app.app_context():
        return db.session.scalar(select(User).where(User.email == "ines@example.com"))


def test_admin_sees_every_buyer_and_admin_account_but_no_supplier_contact(
    app, client, admin, make_buyer, make_supplier
):
    buyer = make_buyer()
    _supplier, contact = make_supplier()

    page = client.get("/b/users/")

    assert page.status_code == 200
    assert f'id="user-{admin}"' in page.text
    assert f'id="user-{buyer}"' in page.text
    assert f'id="user-{contact}"' not in page.text
    assert 'href="/b/users/"' in page.text  # the admin's menu leads here


def test_admin_invites_a_buyer_who_is_mailed_a_link_in_their_language(
    app, client, admin, mailbox, link_in_mail
):
    response = client.post("/b/users/invite", data=INVITE)

    assert response.status_code == 302
    invited = _invited(app)
    assert response.headers["Location"] == f"/b/users/{invited.id}"
    assert (invited.role, invited.name, invited.locale, invited.active) == (
        Role.BUYER,
        "Ines Buyer",
        "fr",
        True,
    )
    assert invited.password_hash is None
    assert _actions(app, invited.id) == [
        ("user_invited", {"email": "ines@example.com", "role": "buyer"}, admin),
        ("password_link_sent", {"purpose": "invite"}, admin),
    ]
    ((recipient, subject, body),) = mailbox
    assert recipient == "ines@example.com"
    assert subject == "Vous êtes invité sur Closeloop"
    assert "24 heures" in body
    assert link_in_mail("ines@example.com").startswith("/password/")
    page = html.unescape(client.get(response.headers["Location"]).text)
    assert "Account created; ines@example.com is mailed a link to set a password." in page
    assert "Invited, no password yet" in page
    assert "Account created for ines@example.com (buyer)" in page
    assert "Invitation mailed with a link to set a password" in page


def test_an_invited_account_cannot_sign_in_before_setting_its_password(app, client, admin, mailbox):
    client.post("/b/users/invite", data=INVITE)
    browser = app.test_client()

    response = browser.post("/sign-in", data={"email": "ines@example.com", "password": ""})
    assert response.status_code == 200
    response = browser.post("/sign-in", data={"email": "ines@example.com", "password": "x" * 8})
    assert "do not match an account" in response.text


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"email": ""}, "email", "This field is required."),
        ({"email": "nope"}, "email", "Invalid email address."),
        ({"role": "supplier"}, "role", "Not a valid choice."),
        ({"role": "superuser"}, "role", "Not a valid choice."),
        ({"locale": "de"}, "locale", "Not a valid choice."),
        ({"name": "n" * 201}, "name", "Field cannot be longer than 200 characters."),
    ],
)
def test_a_bad_invitation_is_refused_and_nothing_is_stored_or_mailed(
    app, client, admin, mailbox, change, field, message
):
    before = stored(app)

    response = client.post("/b/users/invite", data={**INVITE, **change})

    assert response.status_code == 422
    block = re.search(
        rf'<div class="field has-error">\s*<label for="{field}".*?</div>', response.text, re.S
    )
    assert block, f"no error shown next to {field}"
    assert message in html.unescape(block.group(0))
    assert stored(app) == before
    assert mailbox == []


def test_inviting_an_address_someone_uses_is_refused(app, client, admin, make_supplier, mailbox):
    _supplier, contact = make_supplier()
    before = stored(app)

    response = client.post("/b/users/invite", data={**INVITE, "email": user(app, contact).email})

    assert response.status_code == 422
    assert "Someone already uses this email address." in response.text
    assert stored(app) == before
    assert mailbox == []


def test_admin_invites_another_admin(app, client, admin):
    client.post("/b/users/invite", data={**INVITE, "role": "admin"})

    assert _invited(app).role == Role.ADMIN


def test_a_deactivated_account_is_signed_out_and_cannot_sign_in(
    app, client, admin, make_buyer, sign_in_buyer
):
    buyer = make_buyer()
    browser = app.test_client()
    email = user(app, buyer).email
    credentials = {"email": email, "password": "correct horse battery"}
    assert browser.post("/sign-in", data=credentials).status_code == 302
    assert browser.get("/b/dashboard/").status_code == 200

    response = client.post(f"/b/users/{buyer}/deactivate")

    assert response.status_code == 302
    assert not user(app, buyer).active
    assert _actions(app, buyer)[-1] == ("user_deactivated", {}, admin)
    assert browser.get("/b/dashboard/").headers["Location"].startswith("/sign-in")
    again = browser.post("/sign-in", data=credentials)
    assert again.status_code == 200
    assert "do not match an account" in again.text
    page = client.get(f"/b/users/{buyer}").text
    assert f"{email} is deactivated and signed out everywhere." in page
    assert "Account deactivated, sessions ended" in page


def test_a_reactivated_account_signs_in_with_its_password_again(app, client, admin, make_buyer):
    buyer = make_buyer()
    client.post(f"/b/users/{buyer}/deactivate")

    response = client.post(f"/b/users/{buyer}/reactivate")

    assert response.status_code == 302
    assert user(app, buyer).active
    assert _actions(app, buyer)[-1] == ("user_reactivated", {}, admin)
    browser = app.test_client()
    signed_in = browser.post(
        "/sign-in", data={"email": user(app, buyer).email, "password": "correct horse battery"}
    )
    assert signed_in.status_code == 302


def test_an_admin_cannot_deactivate_itself(app, client, admin):
    before = stored(app)

    response = client.post(f"/b/users/{admin}/deactivate")

    assert response.status_code == 302
    assert stored(app) == before
    page = client.get(f"/b/users/{admin}")
    assert page.status_code == 200  # still signed in
    assert "You cannot deactivate your own account; another admin can." in page.text
    assert f'action="/b/users/{admin}/deactivate"' not in page.text


def test_the_last_active_admin_stays_active(app, ctx, make_buyer):
    only_admin = db.session.get(User, make_buyer(role=Role.ADMIN))

    with pytest.raises(AccountRefused):
        deactivate_account(only_admin, by=None)

    assert only_admin.active


def test_deactivating_twice_says_so_and_writes_nothing(app, client, admin, make_buyer):
    buyer = make_buyer()
    client.post(f"/b/users/{buyer}/deactivate")
    before = stored(app)

    client.post(f"/b/users/{buyer}/deactivate")

    assert stored(app) == before
    assert "This account is already deactivated." in client.get(f"/b/users/{buyer}").text


def test_deactivating_cancels_the_accounts_password_links(
    app, client, admin, mailbox, link_in_mail
):
    client.post("/b/users/invite", data=INVITE)
    invited = _invited(app).id
    path = link_in_mail("ines@example.com")

    client.post(f"/b/users/{invited}/deactivate")

    browser = app.test_client()
    assert browser.get(path).status_code == 410
    data = {"password": PASSWORD, "confirm": PASSWORD}
    assert browser.post(path, data=data).status_code == 410
    with app.app_context():
        link = db.session.scalar(select(PasswordLink))
        assert link.revoked_at is not None
        assert link.used_at is None
    # Reactivated, it needs a new link: the old one stays cancelled.
    client.post(f"/b/users/{invited}/reactivate")
    assert browser.get(path).status_code == 410


def test_a_deactivated_account_is_not_mailed_a_link(app, client, admin, make_buyer, mailbox):
    buyer = make_buyer()
    client.post(f"/b/users/{buyer}/deactivate")
    before = stored(app)

    client.post(f"/b/users/{buyer}/password-link")

    assert stored(app) == before
    assert mailbox == []
    assert "Reactivate the account first." in client.get(f"/b/users/{buyer}").text


def test_reset_mails_a_link_and_the_old_password_works_until_a_new_one_is_set(
    app, client, admin, make_buyer, mailbox, link_in_mail
):
    buyer = make_buyer()
    email = user(app, buyer).email

    response = client.post(f"/b/users/{buyer}/password-link")

    assert response.status_code == 302
    ((recipient, subject, _body),) = mailbox
    assert (recipient, subject) == (email, "Set a new Closeloop password")
    assert _actions(app, buyer)[-1] == ("password_link_sent", {"purpose": "reset"}, admin)
    with app.app_context():
        assert db.session.scalar(select(PasswordLink)).purpose == LinkPurpose.RESET
    browser = app.test_client()
    old = {"email": email, "password": "correct horse battery"}
    assert browser.post("/sign-in", data=old).status_code == 302
    assert link_in_mail(email).startswith("/password/")


@pytest.mark.parametrize("kind", ["buyer", "supplier"])
def test_buyers_and_suppliers_get_403_on_every_account_page(
    app, client, make_buyer, sign_in_buyer, make_supplier, sign_in_supplier, kind
):
    target = make_buyer()
    if kind == "buyer":
        sign_in_buyer(make_buyer())
    else:
        sign_in_supplier(make_supplier()[1])
    before = stored(app)

    with app.test_request_context():
        rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("users.")]
    assert len(rules) == 6
    for rule in rules:
        url = rule.rule.replace("<int:user_id>", str(target))
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            status = client.open(url, method=method, data=INVITE).status_code
            assert status == 403, (method, url)
    assert stored(app) == before


def test_account_pages_do_not_show_supplier_contacts(app, client, admin, make_supplier):
    _supplier, contact = make_supplier()
    before = stored(app)

    assert client.get(f"/b/users/{contact}").status_code == 404
    assert client.post(f"/b/users/{contact}/deactivate").status_code == 404
    assert client.post(f"/b/users/{contact}/password-link").status_code == 404
    assert client.get("/b/users/9999").status_code == 404
    assert stored(app) == before


def test_the_account_list_takes_the_same_statements_for_many_accounts(
    client, admin, make_buyer, count_queries
):
    make_buyer()
    with count_queries() as few:
        assert client.get("/b/users/").status_code == 200
    for _ in range(5):
        make_buyer()
    with count_queries() as many:
        assert client.get("/b/users/").status_code == 200

    assert len(many) == len(few)
