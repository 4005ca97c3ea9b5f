"""Admins change country and category ratings; nobody else can; bad input changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.auth.models import Role
from portal.extensions import db
from portal.risk.models import RatingOverride, Tier
from portal.suppliers.logic import create_supplier
from tests.risk.conftest import risk_changes, stored_risk


@pytest.fixture
def admin(make_buyer, sign_in_buyer) -> int:
    admin_id = make_buyer(role=Role.ADMIN)
    sign_in_buyer(admin_id)
    return admin_id


def _supplier(app, country: str, category: str) -> int:
    with app.app_context():
        supplier = create_supplier(
            name=f"{country} {category}",
            country=country,
            category=category,
            contact_email=f"{country}.{category.replace(' ', '')}@example.com".lower(),
            by=None,
        )
        db.session.commit()
        return supplier.id


def _overrides(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(RatingOverride.id)))


def test_the_page_lists_every_effective_rating(client, admin):
    page = client.get("/b/risk/ratings")

    assert page.status_code == 200
    assert 'id="country-VN"' in page.text
    assert "Vietnam (VN)" in page.text
    assert 'id="category-fresh produce"' in page.text
    assert "Any other (default)" in page.text


def test_a_link_opens_the_form_on_that_rating(client, admin):
    page = client.get("/b/risk/ratings?kind=country&key=BD")

    assert 'name="key" type="text" value="BD"' in page.text
    assert '<option selected value="5">5</option>' in page.text


def test_an_admin_changes_a_country_and_its_suppliers_are_rescored(client, app, admin):
    in_vietnam = _supplier(app, "VN", "Textiles")
    in_france = _supplier(app, "FR", "Textiles")

    response = client.post(
        "/b/risk/ratings",
        data={"kind": "country", "key": "vn", "rating": "1", "note": "Own audit 2026"},
    )

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/b/risk/ratings#country-VN")
    assert stored_risk(app, in_vietnam).score == 58 - 24 + 6
    assert stored_risk(app, in_france).score == 12 + 16 + 18  # untouched
    [change] = risk_changes(app)
    assert change.supplier_id == in_vietnam
    assert change.new_tier == Tier.MEDIUM
    assert change.reasons[0]["name"] == "country"
    page = client.get("/b/risk/ratings").text
    assert "Own audit 2026" in page
    assert "shipped rating: 4" in page
    with app.app_context():
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "risk_rating_changed")
        )
    assert entry.detail["old_rating"] == "4"
    assert entry.detail["new_rating"] == "1"


def test_a_category_change_rescores_suppliers_whatever_their_spelling(client, app, admin):
    plural = _supplier(app, "FR", "Fresh produce")
    singular = _supplier(app, "FR", "FRESH PRODUCES")
    other = _supplier(app, "FR", "Packaging")

    client.post("/b/risk/ratings", data={"kind": "category", "key": "Fresh Produce", "rating": "1"})

    assert stored_risk(app, plural).score == 12 + 4 + 18
    assert stored_risk(app, singular).score == 12 + 4 + 18
    assert stored_risk(app, other).score == 12 + 8 + 18


def test_an_admin_adds_a_category_and_changes_the_default(client, app, admin):
    drones = _supplier(app, "FR", "Drones")
    assert stored_risk(app, drones).score == 12 + 12 + 18  # default category: 3

    client.post("/b/risk/ratings", data={"kind": "category", "key": "default", "rating": "5"})
    assert stored_risk(app, drones).score == 12 + 20 + 18

    client.post("/b/risk/ratings", data={"kind": "category", "key": "Drone", "rating": "2"})
    assert stored_risk(app, drones).score == 12 + 8 + 18
    assert 'id="category-drone"' in client.get("/b/risk/ratings").text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "country", "key": "VN", "rating": "6"}, "whole number from 1 to 5"),
        ({"kind": "country", "key": "VN", "rating": "0"}, "whole number from 1 to 5"),
        ({"kind": "country", "key": "VN", "rating": "high"}, "whole number from 1 to 5"),
        ({"kind": "country", "key": "QQ", "rating": "3"}, "“QQ” is not an ISO 3166 country code"),
        ({"kind": "country", "key": "", "rating": "3"}, "Enter a country code"),
        ({"kind": "category", "key": "  ", "rating": "3"}, "Name the category."),
        ({"kind": "region", "key": "EU", "rating": "3"}, "Choose a country or a category."),
        ({"kind": "category", "key": "x", "rating": "3", "note": "n" * 501}, "at most 500"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(client, app, admin, data, message):
    supplier = _supplier(app, "VN", "Textiles")

    response = client.post("/b/risk/ratings", data=data)

    assert response.status_code == 422
    assert message in response.text
    assert _overrides(app) == 0
    assert stored_risk(app, supplier).score == 58


def test_the_refusal_is_in_the_admins_language(client, admin):
    response = client.post(
        "/b/risk/ratings",
        data={"kind": "country", "key": "VN", "rating": "9"},
        headers={"Accept-Language": "fr"},
    )

    assert response.status_code == 422
    assert "La note doit être un nombre entier de 1 à 5." in response.text


@pytest.mark.parametrize("method", ["get", "post"])
def test_buyers_may_not_see_or_change_ratings(client, make_buyer, sign_in_buyer, method, app):
    sign_in_buyer(make_buyer())

    response = getattr(client, method)(
        "/b/risk/ratings", data={"kind": "country", "key": "VN", "rating": "1"}
    )

    assert response.status_code == 403
    assert _overrides(app) == 0


@pytest.mark.parametrize("method", ["get", "post"])
def test_suppliers_may_not_see_or_change_ratings(
    client, make_supplier, sign_in_supplier, method, app
):
    sign_in_supplier(make_supplier()[1])

    response = getattr(client, method)(
        "/b/risk/ratings", data={"kind": "country", "key": "VN", "rating": "1"}
    )

    assert response.status_code == 403
    assert _overrides(app) == 0


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get("/b/risk/ratings").status_code in (302, 401)


def test_the_ratings_page_runs_a_fixed_number_of_statements(client, app, admin, count_queries):
    client.post("/b/risk/ratings", data={"kind": "country", "key": "VN", "rating": "2"})
    with count_queries() as few:
        assert client.get("/b/risk/ratings").status_code == 200
    for code in ("FR", "DE", "BD", "CN"):
        client.post("/b/risk/ratings", data={"kind": "country", "key": code, "rating": "2"})
    with count_queries() as more:
        assert client.get("/b/risk/ratings").status_code == 200
    assert len(more) == len(few), (few, more)
