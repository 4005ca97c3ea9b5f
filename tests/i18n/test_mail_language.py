"""The language links change what a page is shown in; only a contact's explicit choice on
its home page changes the language its mails are written in."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.auth.models import User
from portal.extensions import db
from tests.conftest import csrf_token_from


def _locale(app, user_id: int) -> str | None:
    with app.app_context():
        return db.session.get(User, user_id).locale


def test_language_link_while_signed_in_changes_the_page_not_the_contacts_mail_language(
    app, client, make_supplier, sign_in_supplier
):
    _supplier, contact = make_supplier(locale="fr")
    sign_in_supplier(contact)

    client.get("/lang/es?next=/s/")

    assert '<html lang="es"' in client.get("/s/").text
    assert _locale(app, contact) == "fr"


def test_language_links_on_the_link_page_work_before_continue(client, make_supplier, issue_link):
    _supplier, contact = make_supplier(locale="fr")
    token = issue_link(contact)
    page = client.get(f"/link/{token}")
    assert "Continuer" in page.text
    assert f'href="/lang/es?next=/link/{token}' in page.text

    client.get(f"/lang/es?next=/link/{token}")
    page = client.get(f"/link/{token}")

    assert '<html lang="es"' in page.text
    assert "Continuar" in page.text
    assert client.post(f"/link/{token}").headers["Location"] == "/s/"
    assert '<html lang="es"' in client.get("/s/").text  # the choice outlives Continue


def test_link_page_of_another_contact_speaks_its_language_in_a_used_browser(
    client, make_supplier, issue_link, sign_in_supplier
):
    _first_supplier, french = make_supplier(locale="fr")
    _second_supplier, spanish = make_supplier(locale="es")
    sign_in_supplier(french)  # signing in picks no language for the browser

    page = client.get(f"/link/{issue_link(spanish)}")

    assert "Continuar" in page.text


def test_home_page_offers_the_mail_language_setting(client, make_supplier, sign_in_supplier):
    _supplier, contact = make_supplier(locale="es")
    sign_in_supplier(contact)

    page = client.get("/s/")

    assert 'action="/s/mail-language"' in page.text
    assert '<option value="es" lang="es" selected>' in page.text


def test_the_explicit_setting_changes_the_mail_language_and_is_audited(
    app, client, make_supplier, sign_in_supplier
):
    supplier, contact = make_supplier(locale="en")
    sign_in_supplier(contact)

    response = client.post("/s/mail-language", data={"language": "fr"})

    assert response.headers["Location"] == "/s/"
    assert _locale(app, contact) == "fr"
    home = client.get("/s/")
    assert "Vos e-mails seront désormais rédigés en Français." in home.text
    assert '<html lang="fr"' in home.text
    with app.app_context():
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "mail_language_chosen")
        )
        assert (entry.object_id, entry.supplier_id, entry.actor_id) == (contact, supplier, contact)
        assert entry.detail == {"old": "en", "new": "fr"}


@pytest.mark.parametrize("language", ["xx", "", "fr_FR", "EN"])
def test_the_setting_refuses_unknown_languages_with_a_message(
    app, client, make_supplier, sign_in_supplier, language
):
    _supplier, contact = make_supplier(locale="es")
    sign_in_supplier(contact)

    response = client.post("/s/mail-language", data={"language": language})

    assert response.headers["Location"] == "/s/"
    assert "No ofrecemos ese idioma." in client.get("/s/").text
    assert _locale(app, contact) == "es"
    with app.app_context():
        assert not db.session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "mail_language_chosen")
        )


def test_the_setting_needs_a_form_token(app, client, make_supplier, sign_in_supplier, monkeypatch):
    _supplier, contact = make_supplier(locale="es")
    sign_in_supplier(contact)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    refused = client.post("/s/mail-language", data={"language": "fr"})
    assert refused.status_code == 400
    assert _locale(app, contact) == "es"

    token = csrf_token_from(client.get("/s/").text)
    client.post("/s/mail-language", data={"language": "fr", "csrf_token": token})
    assert _locale(app, contact) == "fr"


def test_only_a_signed_in_contact_can_choose_a_mail_language(
    app, client, make_buyer, sign_in_buyer
):
    assert client.post("/s/mail-language", data={"language": "fr"}).status_code == 302
    buyer = make_buyer()
    sign_in_buyer(buyer)

    assert client.post("/s/mail-language", data={"language": "fr"}).status_code == 403
    assert _locale(app, buyer) is None


def test_a_buyer_chooses_its_mail_language_on_its_notifications_page(
    app, client, make_buyer, sign_in_buyer
):
    buyer = make_buyer()
    sign_in_buyer(buyer)
    assert 'action="/b/mail-language"' in client.get("/b/notifications/").text

    response = client.post("/b/mail-language", data={"language": "es"})

    assert response.headers["Location"] == "/b/notifications/"
    assert _locale(app, buyer) == "es"
    assert "Sus correos se escribirán ahora en Español." in client.get("/b/notifications/").text


def test_a_buyer_cannot_choose_an_unknown_language_nor_a_supplier_a_buyers_setting(
    app, client, make_buyer, sign_in_buyer, make_supplier, sign_in_supplier
):
    buyer = make_buyer()
    sign_in_buyer(buyer)
    client.post("/b/mail-language", data={"language": "xx"})
    assert _locale(app, buyer) is None
    assert "We do not offer that language." in client.get("/b/notifications/").text

    _supplier, contact = make_supplier(locale="fr")
    other = app.test_client()
    token = None
    with app.app_context():
        from portal.auth.logic import issue_sign_in_link

        token = issue_sign_in_link(db.session.get(User, contact), by=None, days=1)
        db.session.commit()
    other.post(f"/link/{token}")
    assert other.post("/b/mail-language", data={"language": "es"}).status_code == 403
    assert _locale(app, contact) == "fr"
