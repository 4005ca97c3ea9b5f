"""Buyers change a supplier's name, country and category: checked, audited, risk rescored."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from portal.audit.history import describe
from portal.audit.models import AuditEntry
from portal.auth.models import Role
from portal.extensions import db
from portal.risk.models import SupplierRisk
from portal.suppliers.edit import edit_supplier
from portal.suppliers.models import Supplier
from portal.suppliers.refused import SupplierChangeRefused
from tests.auth.test_roles import stored

CHANGED = {"name": "Luna Textiles S.A.", "country": "DE", "category": "Machinery"}


@pytest.fixture
def buyer(make_buyer, sign_in_buyer) -> int:
    buyer_id = make_buyer()
    sign_in_buyer(buyer_id)
    return buyer_id


def _entries(app, supplier_id: int) -> list[AuditEntry]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEntry)
                .where(AuditEntry.supplier_id == supplier_id)
                .order_by(AuditEntry.id)
            )
        )


def _risk_score(app, supplier_id: int) -> float:
    with app.app_context():
        return db.session.get(SupplierRisk, supplier_id).score


def test_the_supplier_page_links_to_the_edit_form_filled_with_the_current_details(
    client, buyer, make_supplier
):
    supplier_id, _contact = make_supplier(name="Taller Luna")

    page = client.get(f"/b/suppliers/{supplier_id}").text
    assert f'href="/b/suppliers/{supplier_id}/edit"' in page

    form = client.get(f"/b/suppliers/{supplier_id}/edit")
    assert form.status_code == 200
    assert 'value="Taller Luna"' in form.text
    assert '<option selected value="VN">' in form.text
    assert 'value="Textiles"' in form.text


def test_buyer_changes_name_country_and_category_one_audit_row_each(
    app, client, buyer, make_supplier
):
    supplier_id, _contact = make_supplier(name="Taller Luna")
    before = len(_entries(app, supplier_id))

    response = client.post(f"/b/suppliers/{supplier_id}/edit", data=CHANGED)

    assert response.status_code == 302
    assert response.headers["Location"] == f"/b/suppliers/{supplier_id}"
    with app.app_context():
        supplier = db.session.get(Supplier, supplier_id)
        assert (supplier.name, supplier.country, supplier.category) == (
            "Luna Textiles S.A.",
            "DE",
            "Machinery",
        )
    new = _entries(app, supplier_id)[before:]
    edits = [e for e in new if e.action != "risk_changed"]
    assert [(e.action, e.detail, e.actor_id) for e in edits] == [
        ("supplier_renamed", {"old": "Taller Luna", "new": "Luna Textiles S.A."}, buyer),
        ("supplier_country_changed", {"old": "VN", "new": "DE"}, buyer),
        ("supplier_category_changed", {"old": "Textiles", "new": "Machinery"}, buyer),
    ]
    page = client.get(response.headers["Location"]).text
    assert "Supplier <bdi>Luna Textiles S.A.</bdi> saved." in page
    assert "Germany (DE)" in page
    history = html.unescape(client.get(f"/b/suppliers/{supplier_id}/history/").text)
    assert "Supplier renamed: Taller Luna → Luna Textiles S.A." in history
    assert "Country changed: Vietnam → Germany" in history
    assert "Category changed: Textiles → Machinery" in history


def test_a_new_country_or_category_rescores_the_suppliers_risk(app, client, buyer, make_supplier):
    supplier_id, _contact = make_supplier()  # Vietnam (4), textiles (default, 3)
    before = _risk_score(app, supplier_id)

    client.post(f"/b/suppliers/{supplier_id}/edit", data={**CHANGED, "name": "Same"})

    after = _risk_score(app, supplier_id)
    assert after < before  # Germany (1) and machinery (2) are rated lower
    with app.app_context():
        risk = db.session.get(SupplierRisk, supplier_id)
        country = next(c for c in risk.contributions if c["name"] == "country")
        assert country["params"] == {"code": "DE", "rating": 1, "default": False}
        assert (
            db.session.scalar(select(AuditEntry).where(AuditEntry.action == "risk_changed"))
            is not None
        )


def test_renaming_alone_leaves_the_risk_as_it_was(app, client, buyer, make_supplier):
    supplier_id, _contact = make_supplier()
    with app.app_context():
        computed_at = db.session.get(SupplierRisk, supplier_id).computed_at

    client.post(
        f"/b/suppliers/{supplier_id}/edit",
        data={"name": "New name", "country": "VN", "category": "Textiles"},
    )

    with app.app_context():
        assert db.session.get(SupplierRisk, supplier_id).computed_at == computed_at


def test_saving_unchanged_details_writes_nothing(app, client, buyer, make_supplier):
    supplier_id, _contact = make_supplier(name="Taller Luna")
    before = stored(app)

    response = client.post(
        f"/b/suppliers/{supplier_id}/edit",
        data={"name": "Taller Luna", "country": "VN", "category": "Textiles"},
    )

    assert response.status_code == 302
    assert stored(app) == before
    assert "Nothing was changed." in client.get(response.headers["Location"]).text


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"name": "   "}, "name", "This field is required."),
        ({"name": "x" * 201}, "name", "Field cannot be longer than 200 characters."),
        ({"country": "XX"}, "country", "Not a valid choice."),
        ({"country": ""}, "country", "This field is required."),
        ({"category": ""}, "category", "This field is required."),
        ({"category": "y" * 101}, "category", "Field cannot be longer than 100 characters."),
    ],
)
def test_bad_details_are_refused_with_a_message_and_change_nothing(
    app, client, buyer, make_supplier, change, field, message
):
    supplier_id, _contact = make_supplier()
    before = stored(app)

    response = client.post(f"/b/suppliers/{supplier_id}/edit", data={**CHANGED, **change})

    assert response.status_code == 422
    block = re.search(
        rf'<div class="field has-error">\s*<label for="{field}".*?</div>', response.text, re.S
    )
    assert block, f"no error shown next to {field}"
    assert message in html.unescape(block.group(0))
    assert stored(app) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "  "}, "name"),
        ({"country": "XX"}, "country"),
        ({"country": "Vietnam"}, "country"),
        ({"category": " "}, "category"),
    ],
)
def test_the_domain_function_refuses_before_writing(app, ctx, make_supplier, change, field):
    supplier_id, _contact = make_supplier()
    supplier = db.session.get(Supplier, supplier_id)
    details = {"name": "Fine", "country": "FR", "category": "Textiles", **change}

    with pytest.raises(SupplierChangeRefused) as refused:
        edit_supplier(supplier, **details, by=None)

    assert refused.value.field == field
    assert (supplier.name, supplier.country) != ("Fine", "FR")
    assert not db.session.new
    assert not db.session.dirty


def test_an_admin_can_edit_a_supplier(app, client, make_buyer, sign_in_buyer, make_supplier):
    sign_in_buyer(make_buyer(role=Role.ADMIN))
    supplier_id, _contact = make_supplier()

    assert client.post(f"/b/suppliers/{supplier_id}/edit", data=CHANGED).status_code == 302
    with app.app_context():
        assert db.session.get(Supplier, supplier_id).country == "DE"


def test_a_supplier_contact_cannot_edit_even_its_own_supplier(
    app, client, make_supplier, sign_in_supplier
):
    supplier_id, contact = make_supplier()
    sign_in_supplier(contact)
    before = stored(app)

    assert client.get(f"/b/suppliers/{supplier_id}/edit").status_code == 403
    assert client.post(f"/b/suppliers/{supplier_id}/edit", data=CHANGED).status_code == 403
    assert stored(app) == before


def test_editing_a_missing_supplier_is_a_404(client, buyer):
    assert client.get("/b/suppliers/999/edit").status_code == 404
    assert client.post("/b/suppliers/999/edit", data=CHANGED).status_code == 404


def test_the_history_speaks_the_readers_language(app, ctx, make_supplier):
    supplier_id, _contact = make_supplier()
    edit_supplier(
        db.session.get(Supplier, supplier_id), name="N", country="DE", category="C", by=None
    )
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "supplier_country_changed")
    )

    assert describe(entry, "en") == "Country changed: Vietnam → Germany"
    assert describe(entry, "fr") == "Pays modifié\N{NO-BREAK SPACE}: Viêt Nam → Allemagne"
    assert describe(entry, "es") == "País modificado: Vietnam → Alemania"
