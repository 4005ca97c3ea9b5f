"""Answer once, share: a supplier starts a second customer's request from the answers it
sent the first, confirms each section, and sends it to that customer alone; it can stop
being offered that, per customer. Nothing is shared without the supplier's decision."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.assessments.logic import assign, current_answers
from portal.assessments.models import Assessment, AssessmentStatus
from portal.audit.models import AuditEntry
from portal.auth.logic import issue_sign_in_link
from portal.auth.models import User
from portal.extensions import db
from portal.organisations.scoping import scope_to
from portal.questionnaires.logic import import_questionnaire
from portal.questionnaires.models import QuestionnaireVersion
from portal.sharing.models import AnswerShare, SharingStop
from portal.suppliers.contacts import deactivate_contact
from portal.suppliers.logic import create_supplier
from portal.suppliers.models import Supplier, SupplierContact
from tests.answers_fixture import SAMPLE_ANSWERS, post_section
from tests.conftest import SAMPLE
from tests.organisations.conftest import PASSWORD

EMAIL = "karim@atlas.example"
OFFER = "You answered this for another customer on"


def _supplier_with_request(organisation, name, version, *, email=EMAIL, country="MA"):
    scope_to(db.session, organisation)
    supplier = create_supplier(
        name=name,
        country=country,
        category="Leather goods",
        contact_email=email,
        contact_name="Karim",
        contact_locale="en",
        by=None,
    )
    assessment = assign(supplier, version, date.today() + timedelta(days=30), by=None)
    scope_to(db.session, None)
    return supplier, assessment


@pytest.fixture
def two_customers(app, make_organisation, questionnaire):
    """The same company (and contact) at two organisations, each asked the shared
    questionnaire; the first request is answered and sent. Returns the ids."""
    first, first_admin = make_organisation("Maison Lyon")
    second, second_admin = make_organisation("Bazar Nord")
    with app.app_context():
        version = db.session.get(QuestionnaireVersion, questionnaire)
        first_supplier, first_assessment = _supplier_with_request(
            first, "Atelier Cuir Atlas SARL", version
        )
        second_supplier, second_assessment = _supplier_with_request(
            second, "ATELIER CUIR ATLAS", version
        )
        db.session.commit()
        ids = {
            "first": first,
            "second": second,
            "first_admin": first_admin,
            "second_admin": second_admin,
            "first_supplier": first_supplier.id,
            "second_supplier": second_supplier.id,
            "first_assessment": first_assessment.id,
            "second_assessment": second_assessment.id,
            "person": db.session.scalar(select(User.id).where(User.email == EMAIL)),
        }
    phone = _phone(app, ids["person"])
    _answer_and_send(phone, ids["first_assessment"])
    ids["phone"] = phone
    return ids


def _phone(app, person_id):
    client = app.test_client()
    with app.app_context():
        token = issue_sign_in_link(db.session.get(User, person_id), by=None, days=1)
        db.session.commit()
    assert client.post(f"/link/{token}").status_code == 302
    return client


def _buyer(app, user_id):
    client = app.test_client()
    with app.app_context():
        email = db.session.get(User, user_id).email
    assert client.post("/sign-in", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def _answer_and_send(phone, assessment_id, answers=SAMPLE_ANSWERS):
    for number, section in answers.items():
        post_section(phone, f"/s/assessments/{assessment_id}/sections/{number}", data=section)
    assert phone.post(f"/s/assessments/{assessment_id}/submit").status_code == 302


def _offered_revision(html: str) -> int:
    match = re.search(r'name="revision" value="(\d+)"', html)
    assert match, "no offer on the page"
    return int(match.group(1))


def _sent_answers(app, assessment_id):
    with app.app_context():
        return dict(db.session.get(Assessment, assessment_id).revisions[-1].answers)


def _share(phone, assessment_id):
    page = phone.get(f"/s/assessments/{assessment_id}").get_data(as_text=True)
    return phone.post(
        f"/s/assessments/{assessment_id}/share", data={"revision": _offered_revision(page)}
    )


def test_a_blank_request_offers_the_answers_sent_to_another_customer(app, two_customers):
    phone, second = two_customers["phone"], two_customers["second_assessment"]

    home = phone.get("/s/").get_data(as_text=True)
    page = phone.get(f"/s/assessments/{second}").get_data(as_text=True)

    assert "You answered this for another customer: you can share those answers." in home
    assert OFFER in page
    assert "share those answers (you can review and change them first)" in page
    assert "Share those answers" in page
    # nothing is shared until the supplier says so
    with app.app_context():
        assert current_answers(db.session.get(Assessment, second)) == {}
        assert db.session.scalar(select(AnswerShare)) is None


def test_sharing_fills_the_request_to_confirm_section_by_section_and_send_alone(app, two_customers):
    phone = two_customers["phone"]
    first, second = two_customers["first_assessment"], two_customers["second_assessment"]
    sent = _sent_answers(app, first)

    answer = _share(phone, second)

    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/s/assessments/{second}")
    with app.app_context():
        assessment = db.session.get(Assessment, second)
        assert current_answers(assessment) == sent
        assert assessment.prefilled
        assert assessment.previous_id is None
        share = db.session.scalar(select(AnswerShare))
        assert (share.assessment_id, share.source_assessment_id) == (second, first)
        assert share.shared_by_id == two_customers["person"]
        assert share.answers_copied == len(sent)
        assert share.organisation_id == two_customers["second"]
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "answers_shared"))
        assert entry.organisation_id == two_customers["second"]
        assert entry.supplier_id == two_customers["second_supplier"]
    overview = phone.get(f"/s/assessments/{second}").get_data(as_text=True)
    assert OFFER not in overview
    assert overview.count(" · to confirm") == len(SAMPLE_ANSWERS)
    section = phone.get(f"/s/assessments/{second}/sections/1").get_data(as_text=True)
    assert "These answers come from the ones you gave another customer." in section

    # nothing goes out before every section is confirmed
    phone.post(f"/s/assessments/{second}/submit")
    with app.app_context():
        assert db.session.get(Assessment, second).status != AssessmentStatus.SUBMITTED

    changed = {**SAMPLE_ANSWERS[1], "q-total_workers": "15"}
    _answer_and_send(phone, second, {**SAMPLE_ANSWERS, 1: changed})
    with app.app_context():
        assert db.session.get(Assessment, second).status == AssessmentStatus.SUBMITTED
        # the first customer's answers are as they were sent
        assert db.session.get(Assessment, first).revisions[-1].answers == sent
        assert len(db.session.get(Assessment, first).revisions) == 1
    assert _sent_answers(app, second)["total_workers"] == 15


def test_the_receiving_buyer_sees_only_confirmed_sections_of_a_shared_draft(app, two_customers):
    phone, second = two_customers["phone"], two_customers["second_assessment"]
    _share(phone, second)
    buyer = _buyer(app, two_customers["second_admin"])

    draft = buyer.get(f"/b/assessments/{second}").get_data(as_text=True)
    assert "started from answers it gave another customer" in draft
    assert draft.count("Not confirmed by the supplier yet.") == len(SAMPLE_ANSWERS)
    assert "Ana López" not in draft  # section 2's answer, not confirmed

    post_section(phone, f"/s/assessments/{second}/sections/2", data=SAMPLE_ANSWERS[2])
    draft = buyer.get(f"/b/assessments/{second}").get_data(as_text=True)
    assert "Ana López" in draft
    assert draft.count("Not confirmed by the supplier yet.") == len(SAMPLE_ANSWERS) - 1
    # the customer is never told who the other customer is
    assert "Maison Lyon" not in draft
    history = buyer.get(f"/b/suppliers/{two_customers['second_supplier']}/history/")
    text = history.get_data(as_text=True)
    copied = len(_sent_answers(app, two_customers["first_assessment"]))
    assert f"Supplier started from {copied} answers given to another customer on" in text
    assert "Maison Lyon" not in text


def test_the_first_customer_learns_nothing_of_the_share(app, two_customers):
    phone, second = two_customers["phone"], two_customers["second_assessment"]
    _share(phone, second)
    buyer = _buyer(app, two_customers["first_admin"])

    history = buyer.get(f"/b/suppliers/{two_customers['first_supplier']}/history/")
    supplier_page = buyer.get(f"/b/suppliers/{two_customers['first_supplier']}")
    first_page = buyer.get(f"/b/assessments/{two_customers['first_assessment']}")

    for page in (history, supplier_page, first_page):
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert "another customer" not in text
        assert "Bazar Nord" not in text
    assert buyer.get(f"/b/assessments/{second}").status_code == 404


@pytest.mark.parametrize("case", ["answered", "stopped", "shared", "not-offered", "foreign"])
def test_a_share_that_is_not_offered_is_refused_and_changes_nothing(
    app, two_customers, database_unchanged, case
):
    phone, second = two_customers["phone"], two_customers["second_assessment"]
    page = phone.get(f"/s/assessments/{second}").get_data(as_text=True)
    revision = _offered_revision(page)
    target = second
    if case == "answered":  # the supplier started answering meanwhile
        post_section(phone, f"/s/assessments/{second}/sections/1", data=SAMPLE_ANSWERS[1])
    elif case == "stopped":
        phone.post(f"/s/sharing/{two_customers['second_supplier']}/stop")
    elif case == "shared":
        _share(phone, second)
    elif case == "not-offered":  # answers of a supplier the person does not answer for
        revision = _someone_elses_sent_revision(app, two_customers)
    else:  # the first customer's own request: sharing it into itself is no offer either
        target = two_customers["first_assessment"]

    with database_unchanged():
        answer = phone.post(f"/s/assessments/{target}/share", data={"revision": revision})
        followed = phone.get(answer.headers["Location"], follow_redirects=True)
        followed = followed.get_data(as_text=True)

    assert answer.status_code == 302
    assert "These answers can no longer be shared here." in followed


def _someone_elses_sent_revision(app, ids) -> int:
    """A revision sent to the first customer by another company's contact."""
    with app.app_context():
        version = db.session.scalar(select(QuestionnaireVersion))
        _supplier, assessment = _supplier_with_request(
            ids["first"], "Other Works", version, email="other@works.example"
        )
        db.session.commit()
        other = db.session.scalar(select(User.id).where(User.email == "other@works.example"))
        assessment_id = assessment.id
    _answer_and_send(_phone(app, other), assessment_id)
    with app.app_context():
        return db.session.get(Assessment, assessment_id).revisions[-1].id


def test_another_persons_request_cannot_be_shared_into(app, two_customers):
    revision = _someone_elses_sent_revision(app, two_customers)
    intruder = _phone(app, db_user_id(app, "other@works.example"))

    answer = intruder.post(
        f"/s/assessments/{two_customers['second_assessment']}/share", data={"revision": revision}
    )

    assert answer.status_code == 404
    assert intruder.post(f"/s/sharing/{two_customers['second_supplier']}/stop").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(SharingStop)) is None


def db_user_id(app, email):
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def test_no_offer_without_answers_sent_to_another_customer(app, make_organisation, questionnaire):
    first, _ = make_organisation("Maison Lyon")
    second, _ = make_organisation("Bazar Nord")
    with app.app_context():
        version = db.session.get(QuestionnaireVersion, questionnaire)
        _supplier_with_request(first, "Atelier Cuir Atlas", version)
        _s, request = _supplier_with_request(second, "Atelier Cuir Atlas", version)
        db.session.commit()
        request_id = request.id
    phone = _phone(app, db_user_id(app, EMAIL))

    # the first request is open, not sent: there is nothing to share yet
    assert OFFER not in phone.get(f"/s/assessments/{request_id}").get_data(as_text=True)


def test_no_offer_for_another_company_nor_from_a_customer_that_ended_the_contact(
    app, two_customers, make_organisation
):
    phone = two_customers["phone"]
    third, _ = make_organisation("Comptoir Sud")
    with app.app_context():
        version = db.session.scalar(select(QuestionnaireVersion))
        # the same person answers for another company to a third customer
        _s, other_company = _supplier_with_request(third, "Tannerie Fès", version)
        db.session.commit()
        other_id = other_company.id
    assert OFFER not in phone.get(f"/s/assessments/{other_id}").get_data(as_text=True)

    # the first customer deactivates the person: its answers are no longer theirs to share
    with app.app_context():
        scope_to(db.session, two_customers["first"])
        link = db.session.scalar(
            select(SupplierContact).where(
                SupplierContact.supplier_id == two_customers["first_supplier"]
            )
        )
        deactivate_contact(link, by=None)
        scope_to(db.session, None)
        db.session.commit()
    page = phone.get(f"/s/assessments/{two_customers['second_assessment']}")
    assert OFFER not in page.get_data(as_text=True)


def test_an_organisations_own_questionnaire_is_never_offered_across(app, make_organisation):
    first, _ = make_organisation("Maison Lyon")
    second, _ = make_organisation("Bazar Nord")
    with app.app_context():
        own = import_questionnaire(SAMPLE.read_bytes(), by=None, organisation_id=first)
        db.session.commit()
        own_id = own.id
    # the second customer cannot ask the first one's questionnaire at all; give it its own
    text = SAMPLE.read_text().replace("key: supplier-self-assessment", "key: bazar-questions")
    with app.app_context():
        theirs = import_questionnaire(text.encode(), by=None, organisation_id=second)
        db.session.commit()
        version_first = db.session.get(QuestionnaireVersion, own_id)
        _s, sent = _supplier_with_request(first, "Atelier Cuir Atlas", version_first)
        _s, request = _supplier_with_request(second, "Atelier Cuir Atlas", theirs)
        db.session.commit()
        sent_id, request_id = sent.id, request.id
    phone = _phone(app, db_user_id(app, EMAIL))
    _answer_and_send(phone, sent_id)

    assert OFFER not in phone.get(f"/s/assessments/{request_id}").get_data(as_text=True)


def test_stopping_and_starting_again_is_the_suppliers_choice_per_customer(app, two_customers):
    phone, second = two_customers["phone"], two_customers["second_assessment"]
    second_supplier = two_customers["second_supplier"]
    home = phone.get("/s/").get_data(as_text=True)
    assert "Who sees your answers" in home
    assert "Stop sharing with Bazar Nord" in home
    assert "Stop sharing with Maison Lyon" in home

    answer = phone.post(f"/s/sharing/{second_supplier}/stop")

    assert answer.status_code == 302
    home = phone.get("/s/").get_data(as_text=True)
    assert "Sharing stopped: this customer&#39;s new requests will start blank." in home
    assert "You stopped sharing with this customer on" in home
    assert "Share with Bazar Nord again" in home
    assert "Stop sharing with Maison Lyon" in home  # the other customer is untouched
    assert OFFER not in phone.get(f"/s/assessments/{second}").get_data(as_text=True)
    with app.app_context():
        stop = db.session.scalar(select(SharingStop))
        assert (stop.supplier_id, stop.stopped_by_id) == (second_supplier, two_customers["person"])
        assert stop.organisation_id == two_customers["second"]
    phone.post(f"/s/sharing/{second_supplier}/stop")  # twice is once
    with app.app_context():
        assert len(db.session.scalars(select(SharingStop)).all()) == 1

    phone.post(f"/s/sharing/{second_supplier}/resume")

    assert OFFER in phone.get(f"/s/assessments/{second}").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(SharingStop)) is None
        actions = db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.supplier_id == second_supplier)
        ).all()
        assert "answer_sharing_stopped" in actions
        assert "answer_sharing_resumed" in actions


def test_stopping_keeps_what_was_already_shared_and_lists_it(app, two_customers):
    phone, second = two_customers["phone"], two_customers["second_assessment"]
    _share(phone, second)
    _answer_and_send(phone, second)

    phone.post(f"/s/sharing/{two_customers['second_supplier']}/stop")

    home = phone.get("/s/").get_data(as_text=True)
    assert "you shared the answers you gave another customer on" in home
    with app.app_context():
        assert db.session.get(Assessment, second).status == AssessmentStatus.SUBMITTED
    # a new request of that customer starts blank, with no offer
    with app.app_context():
        scope_to(db.session, two_customers["second"])
        again = assign(
            db.session.get(Supplier, two_customers["second_supplier"]),
            db.session.scalar(select(QuestionnaireVersion)),
            date.today() + timedelta(days=60),
            by=None,
        )
        scope_to(db.session, None)
        db.session.commit()
        again_id = again.id
    assert OFFER not in phone.get(f"/s/assessments/{again_id}").get_data(as_text=True)


def test_a_contact_of_one_customer_sees_nothing_about_sharing(
    app, make_supplier, make_assessment, issue_link
):
    supplier_id, contact_id = make_supplier()
    make_assessment(supplier_id)
    phone = app.test_client()
    phone.post(f"/link/{issue_link(contact_id)}")

    home = phone.get("/s/").get_data(as_text=True)

    assert "Who sees your answers" not in home
    assert "another customer" not in home
