"""Supplier contacts sign in with one-time links: safe to preview, spent once, revocable."""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from portal.auth.models import SignInLink, User
from portal.db import Base, utcnow
from portal.extensions import db
from tests.conftest import csrf_token_from

LINK_IN_MAIL = re.compile(r"http://localhost(/link/[A-Za-z0-9_\-]+)")


@pytest.fixture
def buyer_client(app, make_buyer):
    """A second browser, signed in as a buyer."""
    with app.app_context():
        email = db.session.get(User, make_buyer()).email
    browser = app.test_client()
    response = browser.post("/sign-in", data={"email": email, "password": "correct horse battery"})
    assert response.status_code == 302
    return browser


def email_of(app, user_id: int) -> str:
    with app.app_context():
        return db.session.get(User, user_id).email


_delivered: list[tuple[str, str, str]] = []


@pytest.fixture(autouse=True)
def _collect_mail(mailbox):
    global _delivered
    _delivered = mailbox


def outbox(app) -> list[tuple[str, str]]:
    """What was delivered so far, as (recipient, body)."""
    return [(recipient, body) for recipient, _subject, body in _delivered]


def test_opening_a_link_shows_continue_and_does_not_spend_it(client, make_supplier, issue_link):
    _supplier, contact = make_supplier()
    token = issue_link(contact)

    for _preview in range(2):  # a mail scanner, then the supplier
        page = client.get(f"/link/{token}")
        assert page.status_code == 200
        assert "Continue" in page.text
        assert '<form method="post"' in page.text

    response = client.post(f"/link/{token}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/s/"


def test_continue_signs_in_and_leaves_the_token_out_of_the_url(
    client, make_supplier, make_assessment, issue_link
):
    supplier, contact = make_supplier(name="Taller Luna")
    assessment = make_assessment(supplier)
    token = issue_link(contact)

    response = client.post(f"/link/{token}")

    assert response.headers["Location"] == "/s/"
    assert token not in response.headers["Location"]
    home = client.get("/s/")
    assert home.status_code == 200
    assert "Taller Luna" in home.text
    assert "Supplier self-assessment" in home.text
    assert f'href="/s/assessments/{assessment}"' in home.text


def test_a_used_link_says_so_and_offers_a_new_one(app, make_supplier, issue_link):
    _supplier, contact = make_supplier()
    token = issue_link(contact)
    assert app.test_client().post(f"/link/{token}").status_code == 302

    response = app.test_client().post(f"/link/{token}")

    assert response.status_code == 410
    assert "already been used" in response.text
    assert 'action="/link/new"' in response.text
    assert 'name="email"' in response.text


def test_an_expired_link_says_so(client, make_supplier, issue_link):
    _supplier, contact = make_supplier()
    token = issue_link(contact, days=0)

    for response in (client.get(f"/link/{token}"), client.post(f"/link/{token}")):
        assert response.status_code == 410
        assert "expired" in response.text
        assert 'action="/link/new"' in response.text
    assert client.get("/s/").headers["Location"] == "/link/new"


def test_a_link_past_its_expiry_date_no_longer_signs_in(app, client, make_supplier, issue_link):
    _supplier, contact = make_supplier()
    token = issue_link(contact)
    with app.app_context():
        db.session.execute(
            update(SignInLink)
            .where(SignInLink.user_id == contact)
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )
        db.session.commit()

    response = client.post(f"/link/{token}")

    assert response.status_code == 410
    assert "expired" in response.text


@pytest.mark.parametrize("token", ["A" * 43, "short", "not-a-real-token-but-long-enough"])
def test_an_unknown_link_is_refused(client, token):
    for response in (client.get(f"/link/{token}"), client.post(f"/link/{token}")):
        assert response.status_code == 410
        assert "We do not recognise this sign-in link" in response.text
    assert client.get("/s/").headers["Location"] == "/link/new"


def test_a_revoked_link_is_refused(app, client, make_supplier, issue_link, buyer_client):
    _supplier, contact = make_supplier()
    token = issue_link(contact)

    assert buyer_client.post(f"/b/suppliers/contacts/{contact}/revoke").status_code == 302

    for response in (client.get(f"/link/{token}"), client.post(f"/link/{token}")):
        assert response.status_code == 410
        assert "cancelled" in response.text
    assert client.get("/s/").headers["Location"] == "/link/new"


def test_revoking_signs_out_a_contact_already_signed_in(
    client, make_supplier, sign_in_supplier, buyer_client
):
    _supplier, contact = make_supplier()
    sign_in_supplier(contact)
    assert client.get("/s/").status_code == 200

    buyer_client.post(f"/b/suppliers/contacts/{contact}/revoke")

    assert client.get("/s/").headers["Location"] == "/link/new"


def test_only_a_hash_of_the_token_is_stored(app, make_supplier, issue_link):
    _supplier, contact = make_supplier()
    token = issue_link(contact)

    with app.app_context():
        links = db.session.execute(select(SignInLink.__table__)).all()
        everything = [
            repr(tuple(row))
            for table in Base.metadata.sorted_tables
            for row in db.session.execute(select(table))
        ]
    assert len(links) == 1
    assert hashlib.sha256(token.encode()).hexdigest() in repr(tuple(links[0]))
    assert not any(token in row for row in everything)


def test_asking_for_a_new_link_mails_one_that_works(app, client, make_supplier):
    _supplier, contact = make_supplier()
    email = email_of(app, contact)

    response = client.post("/link/new", data={"email": email.upper()})

    assert response.status_code == 200
    assert "Check your email" in response.text
    mails = outbox(app)
    assert [recipient for recipient, _body in mails] == [email]
    link = LINK_IN_MAIL.search(mails[0][1])
    assert link, mails[0][1]
    phone = app.test_client()
    assert phone.get(link.group(1)).status_code == 200
    assert phone.post(link.group(1)).headers["Location"] == "/s/"
    assert phone.get("/s/").status_code == 200


def test_the_request_form_on_a_dead_link_page_sends_a_new_link(
    app, client, make_supplier, monkeypatch
):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    _supplier, contact = make_supplier()
    email = email_of(app, contact)
    page = client.get("/link/" + "A" * 43)

    response = client.post(
        "/link/new", data={"email": email, "csrf_token": csrf_token_from(page.text)}
    )

    assert "Check your email" in response.text
    assert [recipient for recipient, _body in outbox(app)] == [email]


@pytest.mark.parametrize("who", ["stranger", "buyer"])
def test_asking_for_a_link_for_an_address_without_a_supplier_contact_sends_nothing(
    app, client, make_buyer, make_supplier, who
):
    make_supplier()
    email = "nobody@example.com" if who == "stranger" else email_of(app, make_buyer())

    response = client.post("/link/new", data={"email": email})

    assert response.status_code == 200
    assert "Check your email" in response.text
    assert outbox(app) == []


@pytest.mark.usefixtures("rate_limits")
def test_new_links_for_one_address_are_limited_to_three_an_hour(app, client, make_supplier):
    _supplier, contact = make_supplier()
    email = email_of(app, contact)
    for _ask in range(3):
        assert client.post("/link/new", data={"email": email}).status_code == 200

    response = client.post("/link/new", data={"email": email})

    assert response.status_code == 429
    assert "Too many attempts" in response.text
    assert re.search(r"Try again in \d+ minutes?\.", response.text)
    assert len(outbox(app)) == 3
    _other_supplier, other_contact = make_supplier()
    other = client.post("/link/new", data={"email": email_of(app, other_contact)})
    assert other.status_code == 200


def test_tokens_never_reach_the_logs(app, client, make_supplier, buyer_client, caplog):
    caplog.set_level(logging.DEBUG)
    _supplier, contact = make_supplier()

    page = buyer_client.post(f"/b/suppliers/contacts/{contact}/link", data={"send": "email"})
    buyer_token = LINK_IN_MAIL.search(page.text).group(1).removeprefix("/link/")
    assert client.get(f"/link/{buyer_token}").status_code == 200
    assert client.post(f"/link/{buyer_token}").status_code == 302
    client.post("/sign-out")
    client.post("/link/new", data={"email": email_of(app, contact)})
    mailed_tokens = [
        LINK_IN_MAIL.search(body).group(1).removeprefix("/link/") for _to, body in outbox(app)
    ]
    assert len(set(mailed_tokens)) == 2
    assert client.post(f"/link/{mailed_tokens[-1]}").status_code == 302

    assert any(r.name == "portal.mail" for r in caplog.records), "mail went to the log"
    for token in {buyer_token, *mailed_tokens}:
        assert token not in caplog.text


def test_the_link_page_speaks_the_contact_language(client, make_supplier, issue_link):
    _supplier_id, contact_id = make_supplier(locale="fr")
    page = client.get(f"/link/{issue_link(contact_id)}", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "Continuer" in page.text
    assert ">Continue<" not in page.text
