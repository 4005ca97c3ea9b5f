"""Buyers' pages are for buyers, suppliers' pages for their own supplier, and nobody else."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from portal.db import Base
from portal.extensions import db
from tests.answers_fixture import SAMPLE_ANSWERS
from tests.conftest import SAMPLE


def stored(app) -> dict[str, list[tuple]]:
    """Every row of every table, to show that a refused request changed nothing."""
    with app.app_context():
        return {
            table.name: [
                tuple(row)
                for row in db.session.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in Base.metadata.sorted_tables
        }


def title_and_main(html: str) -> tuple[str, str]:
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    main = re.search(r"<main.*?</main>", html, re.S)
    assert title
    assert main
    return title.group(1), main.group(0)


@pytest.fixture
def world(make_supplier, make_assessment, questionnaire):
    """A supplier with a contact and an assessment, and a published questionnaire."""
    supplier, contact = make_supplier()
    return {
        "supplier": supplier,
        "contact": contact,
        "assessment": make_assessment(supplier),
        "questionnaire": questionnaire,
    }


def _new_supplier(world):
    return {
        "name": "Intruder Ltd",
        "country": "FR",
        "category": "Packaging",
        "contact_email": "intruder@example.com",
        "contact_locale": "fr",
    }


def _assignment(world):
    return {"questionnaire": world["questionnaire"], "due_date": "2099-01-31"}


def _definition_file(world):
    return {"definition": (io.BytesIO(SAMPLE.read_bytes()), "questionnaire.yaml")}


BUYER_PAGES = [
    ("GET", "/b/", None),
    ("GET", "/b/?status=submitted", None),
    ("GET", "/b/suppliers/", None),
    ("GET", "/b/suppliers/new", None),
    ("GET", "/b/suppliers/{supplier}", None),
    ("GET", "/b/assessments/{assessment}", None),
    ("GET", "/b/questionnaires/", None),
    ("GET", "/b/questionnaires/{questionnaire}", None),
    ("POST", "/b/suppliers/new", _new_supplier),
    ("POST", "/b/suppliers/{supplier}/assign", _assignment),
    ("POST", "/b/suppliers/contacts/{contact}/link", lambda world: {"send": "email"}),
    ("POST", "/b/suppliers/contacts/{contact}/link", lambda world: {"send": "copy"}),
    ("POST", "/b/suppliers/contacts/{contact}/revoke", None),
    ("POST", "/b/questionnaires/", _definition_file),
]
BUYER_PAGE_IDS = [f"{method} {url}" for method, url, _data in BUYER_PAGES]


@pytest.mark.parametrize(("method", "url", "data"), BUYER_PAGES, ids=BUYER_PAGE_IDS)
def test_supplier_contact_is_refused_every_buyer_page_and_changes_nothing(
    app, client, world, sign_in_supplier, method, url, data
):
    sign_in_supplier(world["contact"])  # the contact of the very supplier the URLs name
    before = stored(app)

    response = client.open(url.format(**world), method=method, data=data(world) if data else None)

    assert response.status_code == 403
    assert "This page is not for you" in response.text
    assert stored(app) == before


@pytest.mark.parametrize(("method", "url", "data"), BUYER_PAGES, ids=BUYER_PAGE_IDS)
def test_anonymous_visitor_is_sent_to_sign_in_from_every_buyer_page(
    app, client, world, method, url, data
):
    before = stored(app)

    response = client.open(url.format(**world), method=method, data=data(world) if data else None)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")
    assert stored(app) == before


@pytest.mark.parametrize(("method", "url", "data"), BUYER_PAGES[:8], ids=BUYER_PAGE_IDS[:8])
def test_buyer_opens_every_buyer_page(
    app, client, world, make_buyer, sign_in_buyer, method, url, data
):
    sign_in_buyer(make_buyer())

    assert client.open(url.format(**world), method=method).status_code == 200


def _changed_answers(world):
    return {**SAMPLE_ANSWERS[1], "q-total_workers": "999", "action": "next"}


SUPPLIER_PAGES = [
    ("GET", "/s/assessments/{id}", None),
    ("GET", "/s/assessments/{id}/sections/1", None),
    ("GET", "/s/assessments/{id}/review", None),
    ("GET", "/s/assessments/{id}/submitted", None),
    ("POST", "/s/assessments/{id}/sections/1", _changed_answers),
    ("POST", "/s/assessments/{id}/submit", None),
]
SUPPLIER_PAGE_IDS = [f"{method} {url}" for method, url, _data in SUPPLIER_PAGES]


@pytest.fixture
def theirs(app, make_supplier, make_assessment, sign_in_supplier, client):
    """Another supplier's assessment, fully answered so that a submit would go through."""
    supplier, contact = make_supplier(name="Other Supplier")
    assessment = make_assessment(supplier)
    sign_in_supplier(contact)
    for number, answers in SAMPLE_ANSWERS.items():
        response = client.post(
            f"/s/assessments/{assessment}/sections/{number}", data={**answers, "action": "next"}
        )
        assert response.status_code == 302
    client.post("/sign-out")
    return assessment


@pytest.mark.parametrize(("method", "url", "data"), SUPPLIER_PAGES, ids=SUPPLIER_PAGE_IDS)
def test_another_suppliers_assessment_looks_exactly_like_a_missing_one(
    app, client, world, theirs, sign_in_supplier, method, url, data
):
    sign_in_supplier(world["contact"])
    before = stored(app)

    response = client.open(url.format(id=theirs), method=method, data=data(world) if data else None)
    missing = client.open(
        url.format(id=theirs + 10_000), method=method, data=data(world) if data else None
    )

    assert response.status_code == missing.status_code == 404
    assert title_and_main(response.text) == title_and_main(missing.text)
    assert "Page not found" in response.text
    assert stored(app) == before


@pytest.mark.parametrize(("method", "url", "data"), SUPPLIER_PAGES[:4], ids=SUPPLIER_PAGE_IDS[:4])
def test_supplier_opens_its_own_assessment_pages(
    client, world, sign_in_supplier, method, url, data
):
    sign_in_supplier(world["contact"])

    response = client.open(url.format(id=world["assessment"]), method=method, follow_redirects=True)

    assert response.status_code == 200
    assert response.request.path.startswith(f"/s/assessments/{world['assessment']}")


@pytest.mark.parametrize(("method", "url", "data"), SUPPLIER_PAGES, ids=SUPPLIER_PAGE_IDS)
def test_buyer_is_refused_every_supplier_page(
    app, client, world, make_buyer, sign_in_buyer, method, url, data
):
    sign_in_buyer(make_buyer())
    before = stored(app)

    response = client.open(
        url.format(id=world["assessment"]), method=method, data=data(world) if data else None
    )

    assert response.status_code == 403
    assert stored(app) == before


def test_buyer_opening_the_supplier_home_is_refused(client, make_buyer, sign_in_buyer):
    sign_in_buyer(make_buyer())

    response = client.get("/s/")

    assert response.status_code == 403
    assert "This page is not for you" in response.text


ANONYMOUS_REDIRECTED = [
    (method, url, data)
    for method, url, data in [("GET", "/s/", None), *SUPPLIER_PAGES]
    if not (method == "POST" and "/sections/" in url)  # a save is kept: test_kept_answers
]


@pytest.mark.parametrize(
    ("method", "url", "data"),
    ANONYMOUS_REDIRECTED,
    ids=[f"{method} {url}" for method, url, _data in ANONYMOUS_REDIRECTED],
)
def test_anonymous_visitor_is_sent_to_ask_for_a_link_from_supplier_pages(
    app, client, world, method, url, data
):
    before = stored(app)

    response = client.open(
        url.format(id=world["assessment"]), method=method, data=data(world) if data else None
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/link/new"
    assert stored(app) == before
