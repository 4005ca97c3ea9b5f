"""One person answering to two customers: signed in once, they see both requests; each
organisation knows them its own way and decides only for itself."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.assessments.logic import assign
from portal.assessments.models import Assessment, AssessmentStatus
from portal.auth.logic import issue_sign_in_link
from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.organisations.scoping import scope_to
from portal.questionnaires.models import QuestionnaireVersion
from portal.suppliers.contacts import change_contact, deactivate_contact
from portal.suppliers.logic import create_supplier
from portal.suppliers.models import Supplier, SupplierContact
from tests.organisations.conftest import PASSWORD

EMAIL = "karim@atlas.example"


@pytest.fixture
def two_customers(app, make_organisation, questionnaire):
    """Two organisations, each with the same person as contact of its Atlas supplier,
    each having asked for the (shared) questionnaire. Returns their ids."""
    first, first_admin = make_organisation("Maison Lyon")
    second, second_admin = make_organisation("Bazar Nord")
    with app.app_context():
        version = db.session.get(QuestionnaireVersion, questionnaire)
        ids = {}
        for organisation, name, contact_name in (
            (first, "Atelier Cuir Atlas SARL", "Karim"),
            (second, "ATELIER CUIR ATLAS", "M. Benali"),
        ):
            scope_to(db.session, organisation)
            supplier = create_supplier(
                name=name,
                country="MA",
                category="Leather goods",
                contact_email=EMAIL,
                contact_name=contact_name,
                contact_locale="en",
                by=None,
            )
            assign(supplier, version, date.today() + timedelta(days=30), by=None)
            ids[organisation] = supplier.id
        scope_to(db.session, None)
        db.session.commit()
        person = db.session.scalar(select(User).where(User.email == EMAIL))
        return {
            "first": first,
            "second": second,
            "first_admin": first_admin,
            "second_admin": second_admin,
            "first_supplier": ids[first],
            "second_supplier": ids[second],
            "person": person.id,
        }


def _contact_client(app, person_id):
    client = app.test_client()
    with app.app_context():
        token = issue_sign_in_link(db.session.get(User, person_id), by=None, days=1)
        db.session.commit()
    assert client.post(f"/link/{token}").status_code == 302
    return client


def _buyer_client(app, user_id):
    client = app.test_client()
    with app.app_context():
        email = db.session.get(User, user_id).email
    assert client.post("/sign-in", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def test_one_person_and_one_company_for_both_customers(app, two_customers):
    with app.app_context():
        every = {"all_organisations": True}
        links = db.session.scalars(select(SupplierContact).execution_options(**every)).all()
        assert {link.user_id for link in links} == {two_customers["person"]}
        assert sorted(link.name for link in links) == ["Karim", "M. Benali"]
        suppliers = db.session.scalars(select(Supplier).execution_options(**every)).all()
        assert len({supplier.company_id for supplier in suppliers}) == 1


def test_signed_in_once_the_person_sees_both_customers_requests(app, two_customers):
    client = _contact_client(app, two_customers["person"])
    home = client.get("/s/").get_data(as_text=True)
    assert home.count('class="card assessment"') == 2
    assert "Asked by <bdi>Maison Lyon</bdi>" in home
    assert "Asked by <bdi>Bazar Nord</bdi>" in home


def test_what_is_still_to_do_comes_first_whichever_customer_asked(app, two_customers):
    with app.app_context():
        first = db.session.scalar(
            select(Assessment).where(Assessment.organisation_id == two_customers["first"])
        )
        first.status, first.submitted_at = AssessmentStatus.SUBMITTED, utcnow()
        first.due_date = date.today()  # sooner than the other, but already sent
        db.session.commit()
    home = _contact_client(app, two_customers["person"]).get("/s/").get_data(as_text=True)
    assert home.index("Bazar Nord") < home.index("Maison Lyon")


def test_with_one_customer_the_home_page_names_none(app, client, make_supplier, make_assessment):
    supplier_id, contact_id = make_supplier()
    make_assessment(supplier_id)
    home = _contact_client(app, contact_id).get("/s/").get_data(as_text=True)
    assert "Asked by" not in home


def test_each_buyer_sees_the_person_under_its_own_name_only(app, two_customers):
    client = _buyer_client(app, two_customers["second_admin"])
    page = client.get(f"/b/suppliers/{two_customers['second_supplier']}").get_data(as_text=True)
    assert "M. Benali" in page
    assert "Karim" not in page  # the other customer's name for the person
    assert "Maison Lyon" not in page
    assert client.get(f"/b/suppliers/{two_customers['first_supplier']}").status_code == 404


def test_deactivating_ends_access_to_that_customer_only(app, two_customers):
    with app.app_context():
        link = db.session.scalar(
            select(SupplierContact).where(SupplierContact.organisation_id == two_customers["first"])
        )
        deactivate_contact(link, by=None)
        db.session.commit()
    client = _contact_client(app, two_customers["person"])
    home = client.get("/s/").get_data(as_text=True)
    assert home.count('class="card assessment"') == 1
    assert "Asked by" not in home  # one customer left


def test_a_new_address_from_one_customer_leaves_the_other_s_contact_alone(app, two_customers):
    with app.app_context():
        link = db.session.scalar(
            select(SupplierContact).where(
                SupplierContact.organisation_id == two_customers["second"]
            )
        )
        change_contact(link, email="orders@atlas.example", name="Orders", locale="fr", by=None)
        db.session.commit()
        person = db.session.get(User, two_customers["person"])
        assert person.email == EMAIL
        assert person.supplier_ids == [two_customers["first_supplier"]]
        moved = db.session.scalar(select(User).where(User.email == "orders@atlas.example"))
        assert moved.supplier_ids == [two_customers["second_supplier"]]
