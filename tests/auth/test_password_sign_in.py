"""Buyers sign in with a password; supplier contacts never can."""

from __future__ import annotations

import gettext
import html
import logging
import re

import pytest
from sqlalchemy import select

from portal import PROJECT_ROOT
from portal.auth.logic import set_password
from portal.auth.models import User
from portal.db import Base
from portal.extensions import db

PASSWORD = "correct horse battery"
WRONG_MESSAGE = "That email and password do not match an account."
FR_CATALOG = PROJECT_ROOT / "translations" / "fr" / "LC_MESSAGES" / "messages.mo"


def french(message: str) -> str:
    """What a French reader sees for `message`: the catalog's text once it exists."""
    if not FR_CATALOG.exists():
        return message
    with FR_CATALOG.open("rb") as mo:
        return gettext.GNUTranslations(mo).gettext(message)


def french_plural(singular: str, plural: str, n: int) -> str:
    if not FR_CATALOG.exists():
        return singular if n == 1 else plural
    with FR_CATALOG.open("rb") as mo:
        return gettext.GNUTranslations(mo).ngettext(singular, plural, n)


def email_of(app, user_id: int) -> str:
    with app.app_context():
        return db.session.get(User, user_id).email


def everything_stored(app) -> str:
    """Every row of every table, as one string."""
    with app.app_context():
        return "\n".join(
            repr(tuple(row))
            for table in Base.metadata.sorted_tables
            for row in db.session.execute(select(table))
        )


def test_buyer_signs_in_with_password_and_lands_on_buyer_home(app, client, make_buyer):
    email = email_of(app, make_buyer())

    response = client.post(
        "/sign-in", data={"email": email, "password": PASSWORD}, follow_redirects=True
    )

    assert response.status_code == 200
    assert response.request.path == "/b/dashboard/"
    assert "Bea Buyer" in response.text


def test_buyer_email_is_matched_whatever_its_case(app, client, make_buyer):
    email = email_of(app, make_buyer())

    response = client.post("/sign-in", data={"email": email.upper(), "password": PASSWORD})

    assert response.status_code == 302
    assert client.get("/b/").status_code == 200


def test_wrong_password_shows_an_error_and_does_not_sign_in(app, client, make_buyer):
    email = email_of(app, make_buyer())

    response = client.post("/sign-in", data={"email": email, "password": "wrong horse"})

    assert response.status_code == 200
    assert WRONG_MESSAGE in html.unescape(response.text)
    assert client.get("/b/").headers["Location"].startswith("/sign-in")


def test_wrong_password_error_is_in_the_readers_language(app, client, make_buyer):
    email = email_of(app, make_buyer())

    response = client.post(
        "/sign-in",
        data={"email": email, "password": "wrong horse"},
        headers={"Accept-Language": "fr"},
    )

    assert '<html lang="fr"' in response.text
    assert french(WRONG_MESSAGE) in html.unescape(response.text)


def test_unknown_email_gets_the_same_error_as_a_wrong_password(client):
    response = client.post("/sign-in", data={"email": "nobody@example.com", "password": PASSWORD})

    assert response.status_code == 200
    assert WRONG_MESSAGE in html.unescape(response.text)


def test_supplier_contact_cannot_sign_in_with_a_password(app, client, make_supplier):
    _supplier, contact = make_supplier()
    with app.app_context():
        user = db.session.get(User, contact)
        set_password(user, PASSWORD)  # even a contact who somehow has a password
        email = user.email
        db.session.commit()

    response = client.post("/sign-in", data={"email": email, "password": PASSWORD})

    assert response.status_code == 200
    assert WRONG_MESSAGE in html.unescape(response.text)
    assert client.get("/s/").headers["Location"] == "/link/new"


def test_password_never_appears_in_logs(app, client, make_buyer, caplog):
    email = email_of(app, make_buyer())
    caplog.set_level(logging.DEBUG)

    client.post("/sign-in", data={"email": email, "password": "wrong horse"})
    client.post("/sign-in", data={"email": email, "password": PASSWORD})
    client.get("/b/")

    assert PASSWORD not in caplog.text
    assert "wrong horse" not in caplog.text


def test_password_is_not_stored_in_plain_text(app, client, make_buyer):
    email = email_of(app, make_buyer())

    client.post("/sign-in", data={"email": email, "password": "wrong horse"})
    client.post("/sign-in", data={"email": email, "password": PASSWORD})

    stored = everything_stored(app)
    assert email in stored
    assert PASSWORD not in stored
    assert "wrong horse" not in stored


def test_session_cookie_is_http_only_and_same_site_lax(app, client, make_buyer):
    email = email_of(app, make_buyer())

    response = client.post("/sign-in", data={"email": email, "password": PASSWORD})

    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert len(cookies) == 1
    assert "HttpOnly" in cookies[0]
    assert "SameSite=Lax" in cookies[0]


def test_sign_out_ends_the_session(app, client, make_buyer, sign_in_buyer):
    sign_in_buyer(make_buyer())
    assert client.get("/b/").status_code == 200

    response = client.post("/sign-out")

    assert response.headers["Location"] == "/sign-in"
    assert client.get("/b/").headers["Location"].startswith("/sign-in")


def test_sign_out_cannot_be_triggered_by_a_plain_link(app, client, make_buyer, sign_in_buyer):
    sign_in_buyer(make_buyer())

    assert client.get("/sign-out").status_code == 405
    assert client.get("/b/").status_code == 200


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/"])
def test_sign_in_never_redirects_to_another_site(app, client, make_buyer, target):
    email = email_of(app, make_buyer())

    response = client.post(
        "/sign-in", query_string={"next": target}, data={"email": email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]


def test_sign_in_returns_to_the_page_asked_for(app, client, make_buyer):
    email = email_of(app, make_buyer())
    asked = client.get("/b/suppliers/").headers["Location"]

    response = client.post(asked, data={"email": email, "password": PASSWORD})

    assert response.headers["Location"].startswith("/b/suppliers/")


def minutes_message_in(text: str, translate=lambda s, p, n: s if n == 1 else p) -> bool:
    """Whether `text` says to try again within the 15-minute window (rounded up)."""
    singular = "For your security, please wait. Try again in %(num)d minute."
    plural = "For your security, please wait. Try again in %(num)d minutes."
    return any(
        translate(singular, plural, n) % {"num": n} in html.unescape(text) for n in range(1, 17)
    )


@pytest.mark.usefixtures("rate_limits")
def test_eleventh_attempt_in_15_minutes_is_refused_with_a_friendly_page(app, client, make_buyer):
    email = email_of(app, make_buyer())
    for _attempt in range(10):
        response = client.post("/sign-in", data={"email": email, "password": "wrong horse"})
        assert response.status_code == 200

    response = client.post("/sign-in", data={"email": email, "password": PASSWORD})

    assert response.status_code == 429
    assert "Too many attempts" in response.text
    assert re.search(r"Try again in \d+ minutes?\.", response.text)
    assert minutes_message_in(response.text)
    assert "Traceback" not in response.text
    assert client.get("/b/").headers["Location"].startswith("/sign-in")


@pytest.mark.usefixtures("rate_limits")
def test_too_many_attempts_page_is_in_the_readers_language(app, client, make_buyer):
    email = email_of(app, make_buyer())
    french_headers = {"Accept-Language": "fr"}
    for _attempt in range(10):
        client.post("/sign-in", data={"email": email, "password": "wrong"}, headers=french_headers)

    response = client.post(
        "/sign-in", data={"email": email, "password": "wrong"}, headers=french_headers
    )

    assert response.status_code == 429
    assert '<html lang="fr"' in response.text
    assert french("Too many attempts") in html.unescape(response.text)
    assert minutes_message_in(response.text, french_plural)


@pytest.mark.usefixtures("rate_limits")
def test_showing_the_sign_in_page_is_not_rate_limited(client):
    for _attempt in range(15):
        assert client.get("/sign-in").status_code == 200


def test_outside_the_test_suite_passwords_are_stored_with_scrypt(app, tmp_path, monkeypatch):
    from portal.auth.logic import authenticate, create_user
    from portal.auth.models import Role
    from portal.config import load_config

    assert load_config(tmp_path)["PASSWORD_HASH_METHOD"] == "scrypt"
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", "scrypt")
    with app.app_context():
        user = create_user("scrypt@example.com", Role.BUYER, password=PASSWORD)
        db.session.commit()
        assert user.password_hash.startswith("scrypt:")
        assert authenticate("scrypt@example.com", PASSWORD) == user
        assert authenticate("nobody@example.com", PASSWORD) is None
