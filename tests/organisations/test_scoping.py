"""The scope that keeps each organisation's rows from every other, seen from the session."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import delete, func, select, update

from portal.assessments.logic import assign
from portal.assessments.models import Assessment
from portal.auth.models import User
from portal.extensions import db
from portal.organisations.logic import create_organisation
from portal.organisations.scoping import OrganisationMismatch, scope_to
from portal.questionnaires.models import QuestionnaireVersion
from portal.suppliers.logic import create_supplier
from portal.suppliers.models import Supplier


def _supplier(organisation_id: int, name: str) -> Supplier:
    scope_to(db.session, organisation_id)
    try:
        return create_supplier(
            name=name,
            country="VN",
            category="Textiles",
            contact_email=f"{name.lower()}@supplier.example",
            by=None,
        )
    finally:
        scope_to(db.session, None)


@pytest.fixture
def two(ctx, questionnaire):
    first, second = create_organisation("First"), create_organisation("Second")
    a, b = _supplier(first.id, "Alpha"), _supplier(second.id, "Beta")
    version = db.session.get(QuestionnaireVersion, questionnaire)
    due = date.today() + timedelta(days=30)
    assign(a, version, due, by=None)
    assign(b, version, due, by=None)
    db.session.flush()
    yield first.id, second.id, a.id, b.id
    scope_to(db.session, None)


def test_new_rows_take_their_parent_s_organisation(two):
    first, second, a, b = two
    assert db.session.get(Supplier, a).organisation_id == first
    [assessment] = db.session.get(Supplier, b).assessments
    assert assessment.organisation_id == second


def test_a_row_linked_to_a_parent_of_another_organisation_is_refused(two):
    first, _second, _a, b = two
    db.session.add(
        Assessment(
            organisation_id=first,
            supplier_id=b,
            questionnaire_id=db.session.scalar(select(QuestionnaireVersion.id)),
            due_date=date.today(),
        )
    )
    with pytest.raises(OrganisationMismatch):
        db.session.flush()


def test_a_scoped_session_reads_only_its_own_rows(two):
    first, _second, a, b = two
    db.session.expunge_all()  # nothing loaded before the scope
    scope_to(db.session, first)
    assert db.session.scalars(select(Supplier.name)).all() == ["Alpha"]
    assert db.session.scalar(select(func.count()).select_from(Assessment)) == 1
    assert db.session.get(Supplier, b) is None
    assert db.session.get(Supplier, a) is not None
    joined = select(Assessment.id).join(Supplier, Assessment.supplier_id == Supplier.id)
    assert len(db.session.scalars(joined).all()) == 1


def test_contacts_of_another_organisation_s_suppliers_are_hidden(two):
    first, _second, _a, _b = two
    db.session.expunge_all()
    scope_to(db.session, first)
    emails = db.session.scalars(select(User.email).where(User.role == "supplier")).all()
    assert emails == ["alpha@supplier.example"]


def test_updates_and_deletes_touch_only_the_scope(two):
    first, _second, a, b = two
    scope_to(db.session, first)
    db.session.execute(update(Supplier).values(category="Shoes"))
    db.session.execute(delete(Assessment))
    scope_to(db.session, None)
    db.session.expunge_all()
    assert db.session.get(Supplier, a).category == "Shoes"
    assert db.session.get(Supplier, b).category == "Textiles"
    assert db.session.get(Supplier, b).assessments != []


def test_a_query_that_must_see_every_organisation_says_so(two):
    first, _second, _a, _b = two
    scope_to(db.session, first)
    every = select(func.count(Supplier.id)).execution_options(all_organisations=True)
    assert db.session.scalar(every) == 2


def test_a_shared_questionnaire_is_seen_by_every_organisation(two):
    first, second, _a, _b = two
    for organisation in (first, second):
        scope_to(db.session, organisation)
        assert db.session.scalar(select(func.count(QuestionnaireVersion.id))) == 1


def test_an_asset_fetched_by_a_signed_in_buyer_reads_no_database(
    app, client, make_organisation, count_queries
):
    from portal.assets import asset_url
    from tests.organisations.conftest import PASSWORD

    _organisation, admin_id = make_organisation()
    with app.app_context():
        email = db.session.get(User, admin_id).email
    assert client.post("/sign-in", data={"email": email, "password": PASSWORD}).status_code == 302
    with app.test_request_context():
        url = asset_url("supplier.css")
    with count_queries() as statements:
        response = client.get(url)
        response.close()  # a file, sent as a stream
    assert response.status_code == 200
    assert statements == []
