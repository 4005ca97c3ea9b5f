"""Every layout names its language and its direction on <html>, and names people typed stay
isolated (<bdi>) inside translated sentences, so that a Latin name in an Arabic sentence,
or an Arabic one in an English sentence, keeps its own order."""

from __future__ import annotations

import re

import pytest

from portal.auth.models import User
from portal.extensions import db
from tests.suppliers.test_suppliers import VALID

DIRECTIONS = [("ar", "ar", "rtl"), ("en", "en", "ltr"), ("zh_Hans", "zh-Hans", "ltr")]


@pytest.mark.parametrize(("code", "lang", "direction"), DIRECTIONS)
def test_every_layout_carries_the_language_and_its_direction(
    app, client, make_supplier, make_assessment, sign_in_supplier, make_buyer, code, lang, direction
):
    html = f'<html lang="{lang}" dir="{direction}">'
    client.get(f"/lang/{code}")
    signed_out = {"/sign-in": 200, "/link/new": 200, "/no-such-page": 404}
    for path, status in signed_out.items():
        response = client.get(path)
        assert response.status_code == status, path
        assert html in response.text, path
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    sign_in_supplier(contact_id)
    client.get(f"/lang/{code}")
    supplier_side = {
        "/s/": 200,
        f"/s/assessments/{assessment_id}/sections/1": 200,
        "/s/assessments/999999": 404,  # the error page in the supplier's layout
        "/s/actions/999999": 404,
    }
    for path, status in supplier_side.items():
        response = client.get(path)
        assert response.status_code == status, path
        assert html in response.text, path
        assert "supplier" in response.text.split("<body", 1)[1].split(">", 1)[0], path

    buyer = app.test_client()
    with app.app_context():
        email = db.session.get(User, make_buyer()).email
    buyer.post("/sign-in", data={"email": email, "password": "correct horse battery"})
    buyer.get(f"/lang/{code}")
    for path, status in {"/b/suppliers/": 200, "/b/assessments/999999": 404}.items():
        response = buyer.get(path)
        assert response.status_code == status, path
        assert html in response.text, path
        assert "buyer" in response.text.split("<body", 1)[1].split(">", 1)[0], path


def test_the_suppliers_latin_name_is_isolated_in_arabic_pages(
    client, make_supplier, make_assessment, issue_link, sign_in_supplier
):
    supplier_id, contact_id = make_supplier(name="Taller Sol & Co")
    make_assessment(supplier_id)
    client.get("/lang/ar")
    welcome = client.get(f"/link/{issue_link(contact_id)}").text
    assert "<bdi>Taller Sol &amp; Co</bdi>" in welcome.split("<h1>", 1)[1].split("</h1>")[0]
    sign_in_supplier(contact_id)
    client.get("/lang/ar")
    assert "<bdi>Taller Sol &amp; Co</bdi>" in client.get("/s/").text


def test_a_flash_message_isolates_and_escapes_the_name_typed(client, make_buyer, sign_in_buyer):
    sign_in_buyer(make_buyer())
    response = client.post(
        "/b/suppliers/new", data={**VALID, "name": "<i>Sol</i> مصنع"}, follow_redirects=True
    )
    assert "Supplier <bdi>&lt;i&gt;Sol&lt;/i&gt; مصنع</bdi> created." in response.text
    assert "<i>Sol</i>" not in response.text


def test_typed_answers_and_form_fields_take_the_direction_of_their_text(
    client, make_supplier, make_assessment, sign_in_supplier
):
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    sign_in_supplier(contact_id)
    pages = [client.get(f"/s/assessments/{assessment_id}/sections/{n}").text for n in (1, 3)]
    fields = [line for page in pages for line in page.splitlines() if "<textarea" in line]
    fields += [line for page in pages for line in page.splitlines() if 'type="text" name' in line]
    typed = [f for f in fields if 'inputmode="decimal"' not in f]
    assert typed
    assert all('dir="auto"' in f for f in typed), typed
    email = re.search(r'<input[^>]*id="email"[^>]*>', client.get("/link/new").text)[0]
    assert 'dir="auto"' in email
