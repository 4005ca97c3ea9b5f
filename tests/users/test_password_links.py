"""A mailed password link: opening it spends nothing, it works once, briefly, and hashed."""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from portal.audit.models import AuditEntry
from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.users.models import PasswordLink
from tests.auth.test_roles import stored
from tests.users.conftest import user

INVITE = {"name": "Ines", "email": "ines@example.com", "role": "buyer", "locale": "en"}
PASSWORD = "a long enough password"
FORM = {"password": PASSWORD, "confirm": PASSWORD}


@pytest.fixture
def invited(app, client, admin, link_in_mail) -> tuple[int, str]:
    """An invited buyer and the path of the link it was mailed (the admin stays signed in
    on `client`; the invited buyer uses its own browser)."""
    assert client.post("/b/users/invite", data=INVITE).status_code == 302
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == INVITE["email"]))
    return user_id, link_in_mail(INVITE["email"])


@pytest.fixture
def browser(app):
    return app.test_client()


def _signs_in(browser, password: str = PASSWORD) -> bool:
    response = browser.post("/sign-in", data={"email": INVITE["email"], "password": password})
    return response.status_code == 302


def test_opening_the_link_shows_the_form_and_spends_nothing(app, invited, browser):
    _user_id, path = invited
    before = stored(app)

    for _ in range(3):  # a mail scanner, a preview, the person
        page = browser.get(path)
        assert page.status_code == 200
        assert "Set your password" in page.text
        assert 'autocomplete="new-password"' in page.text

    assert stored(app) == before


def test_setting_the_password_once_lets_the_account_sign_in(app, invited, browser):
    user_id, path = invited

    response = browser.post(path, data=FORM)

    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    assert "Your password is set. Sign in with it." in browser.get("/sign-in").text
    assert _signs_in(browser)
    with app.app_context():
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.object_id == user_id).order_by(AuditEntry.id)
        ).all()[-1]
        assert (entry.action, entry.actor_id, entry.detail) == (
            "password_set",
            user_id,
            {"purpose": "invite"},
        )
        assert db.session.scalar(select(PasswordLink)).used_at is not None


def test_a_used_link_cannot_set_the_password_again(app, invited, browser):
    _user_id, path = invited
    browser.post(path, data=FORM)
    before = stored(app)

    for response in (
        browser.get(path),
        browser.post(path, data={"password": "another password", "confirm": "another password"}),
    ):
        assert response.status_code == 410
        assert "already been used" in response.text
    assert stored(app) == before
    assert _signs_in(browser)
    assert not _signs_in(app.test_client(), "another password")


def test_an_expired_link_is_refused(app, invited, browser):
    _user_id, path = invited
    with app.app_context():
        db.session.execute(update(PasswordLink).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    before = stored(app)

    assert browser.get(path).status_code == 410
    response = browser.post(path, data=FORM)
    assert response.status_code == 410
    assert "This link has expired." in response.text
    assert stored(app) == before
    assert not _signs_in(browser)


def test_the_link_lives_a_day_by_default(app, invited):
    with app.app_context():
        link = db.session.scalar(select(PasswordLink))
        assert link.expires_at - link.created_at == timedelta(hours=24)


@pytest.mark.parametrize("token", ["x" * 43, "short", "A" * 200])
def test_a_wrong_token_is_refused(app, client, browser, token):
    before = stored(app)

    for response in (
        browser.get(f"/password/{token}"),
        browser.post(f"/password/{token}", data=FORM),
    ):
        assert response.status_code == 410
        assert "We do not recognise this link." in response.text
    assert stored(app) == before


def test_a_newer_link_cancels_the_older_one(app, client, invited, browser, link_in_mail):
    user_id, first = invited

    client.post(f"/b/users/{user_id}/password-link")
    second = link_in_mail(INVITE["email"])

    assert second != first
    response = browser.post(first, data=FORM)
    assert response.status_code == 410
    assert "replaced by a newer one" in response.text
    assert browser.post(second, data=FORM).status_code == 302


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"password": "short", "confirm": "short"}, "The password needs at least 8 characters."),
        ({"password": PASSWORD, "confirm": PASSWORD + "!"}, "The two passwords differ."),
        ({"password": "", "confirm": ""}, "This field is required."),
        ({"password": "p" * 201, "confirm": "p" * 201}, "Field cannot be longer than 200"),
    ],
)
def test_a_bad_password_is_refused_and_the_link_still_works(app, invited, browser, form, message):
    _user_id, path = invited
    before = stored(app)

    response = browser.post(path, data=form)

    assert response.status_code == 422
    assert message in response.text
    assert stored(app) == before
    assert browser.post(path, data=FORM).status_code == 302


def test_only_a_hash_of_the_token_is_stored(app, invited):
    _user_id, path = invited
    token = path.removeprefix("/password/")
    with app.app_context():
        link = db.session.scalar(select(PasswordLink))
        assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in repr(stored(app))


def test_a_reset_signs_the_account_out_of_its_other_sessions(
    app, client, admin, make_buyer, link_in_mail
):
    buyer = make_buyer()
    email = user(app, buyer).email
    elsewhere = app.test_client()
    elsewhere.post("/sign-in", data={"email": email, "password": "correct horse battery"})
    assert elsewhere.get("/b/dashboard/").status_code == 200
    client.post(f"/b/users/{buyer}/password-link")

    app.test_client().post(link_in_mail(email), data=FORM)

    assert elsewhere.get("/b/dashboard/").headers["Location"].startswith("/sign-in")
    old = app.test_client().post(
        "/sign-in", data={"email": email, "password": "correct horse battery"}
    )
    assert old.status_code == 200
    new = app.test_client().post("/sign-in", data={"email": email, "password": PASSWORD})
    assert new.status_code == 302


def test_password_tokens_never_reach_the_logs(app, invited, browser, caplog):
    caplog.set_level(logging.DEBUG)
    _user_id, path = invited
    token = path.removeprefix("/password/")

    browser.get(path)
    browser.post(path, data=FORM)

    assert token not in caplog.text
    with app.app_context():
        from portal.notifications.models import OutboxMail

        (mail,) = db.session.scalars(select(OutboxMail)).all()
        assert mail.sent_at is not None
        assert token not in mail.body  # redacted once delivered
