"""List pages load what they show in a fixed number of statements, never one per row."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.extensions import db


@pytest.fixture
def versions(app, questionnaire):
    """Several published versions, so that a per-row lazy load would show."""
    from portal.questionnaires.logic import import_questionnaire
    from tests.conftest import SAMPLE

    ids = [questionnaire]
    with app.app_context():
        for number in (2, 3, 4):
            source = SAMPLE.read_text().replace("version: 1", f"version: {number}", 1)
            ids.append(import_questionnaire(source, by=None).id)
        db.session.commit()
    return ids


@pytest.fixture
def assign_version(app, versions):
    from portal.assessments.logic import assign
    from portal.questionnaires.models import QuestionnaireVersion
    from portal.suppliers.models import Supplier

    counter = iter(range(10_000))

    def make(supplier_id: int) -> None:
        with app.app_context():
            version = versions[next(counter) % len(versions)]
            assign(
                db.session.get(Supplier, supplier_id),
                db.session.get(QuestionnaireVersion, version),
                date.today() + timedelta(days=30),
                by=None,
            )
            db.session.commit()

    return make


@pytest.fixture
def many(make_supplier, assign_version):
    def create(n: int) -> list[tuple[int, int]]:
        pairs = []
        for _ in range(n):
            supplier_id, contact_id = make_supplier()
            assign_version(supplier_id)
            assign_version(supplier_id)
            pairs.append((supplier_id, contact_id))
        return pairs

    return create


@pytest.mark.parametrize("url", ["/b/", "/b/suppliers/", "/b/questionnaires/"])
def test_buyer_list_pages_run_as_many_statements_for_many_rows_as_for_few(
    client, make_buyer, sign_in_buyer, many, count_queries, url
):
    sign_in_buyer(make_buyer())
    many(2)
    client.get(url)  # warm the per-process caches (parsed questionnaires)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    many(8)
    client.get(url)  # warm again: new versions are parsed once
    with count_queries() as more:
        assert client.get(url).status_code == 200
    assert len(more) == len(few), (few, more)


def test_buyer_supplier_page_does_not_query_per_assessment(
    client, make_buyer, sign_in_buyer, make_supplier, assign_version, count_queries
):
    sign_in_buyer(make_buyer())
    supplier_id, _contact = make_supplier()
    assign_version(supplier_id)
    client.get(f"/b/suppliers/{supplier_id}")
    with count_queries() as few:
        assert client.get(f"/b/suppliers/{supplier_id}").status_code == 200
    for _ in range(6):
        assign_version(supplier_id)
    client.get(f"/b/suppliers/{supplier_id}")  # warm again: new versions are parsed once
    with count_queries() as more:
        assert client.get(f"/b/suppliers/{supplier_id}").status_code == 200
    assert len(more) == len(few), (few, more)


def test_supplier_home_does_not_query_per_assessment(
    client, make_supplier, assign_version, sign_in_supplier, count_queries
):
    supplier_id, contact_id = make_supplier()
    assign_version(supplier_id)
    sign_in_supplier(contact_id)
    client.get("/s/")
    with count_queries() as few:
        assert client.get("/s/").status_code == 200
    for _ in range(6):
        assign_version(supplier_id)
    client.get("/s/")  # warm again: new versions are parsed once
    with count_queries() as more:
        assert client.get("/s/").status_code == 200
    assert len(more) == len(few), (few, more)
