"""Pages come in the reader's language: the browser's, then the one they chose."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest

from portal.auth.models import User
from portal.extensions import db


def test_browser_language_sets_the_page_language(client):
    response = client.get("/sign-in", headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"})

    assert '<html lang="fr"' in response.text


def test_unsupported_browser_language_falls_back_to_english(client):
    response = client.get("/sign-in", headers={"Accept-Language": "de-DE,de;q=0.9"})

    assert '<html lang="en"' in response.text


def test_language_switcher_sets_spanish_and_it_is_remembered(client):
    response = client.get("/lang/es?next=/sign-in")

    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    for _visit in range(2):
        page = client.get("/sign-in", headers={"Accept-Language": "fr"})
        assert '<html lang="es"' in page.text


def test_every_page_offers_the_other_languages(client):
    page = client.get("/sign-in", headers={"Accept-Language": "fr"})

    assert 'href="/lang/es?next=/sign-in' in page.text
    assert 'href="/lang/en?next=/sign-in' in page.text
    assert 'href="/lang/fr' not in page.text  # the current one is not a link


def test_the_switcher_changes_no_stored_language(app, client, make_buyer, sign_in_buyer):
    buyer = make_buyer()
    sign_in_buyer(buyer)

    page = client.get("/lang/fr?next=/b/")

    assert page.status_code == 302
    assert '<html lang="fr"' in client.get("/b/").text  # this browser's pages only
    with app.app_context():
        assert db.session.get(User, buyer).locale is None


def test_supplier_contact_sees_their_language_after_signing_in(
    client, make_supplier, sign_in_supplier
):
    _supplier, contact = make_supplier(locale="es")

    sign_in_supplier(contact)
    page = client.get("/s/", headers={"Accept-Language": "en"})

    assert '<html lang="es"' in page.text


def test_unknown_language_is_not_found(client):
    response = client.get("/lang/xx?next=/sign-in")

    assert response.status_code == 404
    assert '<html lang="en"' in client.get("/sign-in").text


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "//evil.example/sign-in",
        "https://evil.example",
        "http://evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "evil.example",
    ],
)
def test_switcher_never_redirects_to_another_site(client, target):
    response = client.get("/lang/es", query_string={"next": target})

    assert response.status_code == 302
    # Resolve it as a browser would, backslashes counting as slashes.
    location = response.headers["Location"].replace("\\", "/")
    assert urlsplit(urljoin("http://localhost/lang/es", location)).netloc == "localhost"


def test_switcher_returns_to_the_page_it_was_used_on(client):
    response = client.get("/lang/fr", query_string={"next": "/link/new?x=1"})

    assert response.headers["Location"] == "/link/new?x=1"
