"""Buyer pages for suppliers: creating them, assigning questionnaires, sign-in links."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from babel.messages.mofile import read_mo
from sqlalchemy import func, select

from portal import PROJECT_ROOT
from portal.assessments.models import Assessment, AssessmentStatus
from portal.assessments.status import change_status
from portal.audit.models import AuditEntry
from portal.auth.models import Role, User
from portal.extensions import db
from portal.notifications.models import OutboxMail
from portal.questionnaires.logic import import_questionnaire
from portal.suppliers.models import Supplier
from tests.conftest import SAMPLE

VALID = {
    "name": "Taller Textil Luna",
    "country": "MX",
    "category": "Textiles",
    "contact_name": "Rosa Pérez",
    "contact_email": "Rosa@Luna.example",
    "contact_locale": "es",
}
INVITATION_SUBJECT = "Your customer invites you to answer a questionnaire"


@pytest.fixture
def buyer(make_buyer, sign_in_buyer) -> int:
    """A buyer, signed in on `client`."""
    buyer_id = make_buyer()
    sign_in_buyer(buyer_id)
    return buyer_id


def _counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count(Supplier.id))),
            db.session.scalar(select(func.count(User.id))),
            db.session.scalar(select(func.count(AuditEntry.id))),
        )


def _link_on_page(page: str) -> str:
    match = re.search(r'<input id="link" type="text" readonly value="([^"]+)"', page)
    assert match, "no sign-in link on the page"
    return html.unescape(match.group(1))


def _path(url: str) -> str:
    assert url.startswith("http://localhost/link/")
    return url.removeprefix("http://localhost")


def _french(msgid: str) -> str | None:
    """The French translation shipped for `msgid`, if the catalog has one."""
    mo = PROJECT_ROOT / "translations" / "fr" / "LC_MESSAGES" / "messages.mo"
    if not mo.exists():
        return None
    with mo.open("rb") as file:
        message = read_mo(file).get(msgid)
    return message.string if message is not None and message.string else None


# --- creating suppliers -----------------------------------------------------------------------


def test_buyer_creates_a_supplier_with_its_contact_and_an_audit_row(app, client, buyer):
    response = client.post("/b/suppliers/new", data=VALID)

    assert response.status_code == 302
    with app.app_context():
        supplier = db.session.scalar(select(Supplier))
        assert response.headers["Location"].endswith(f"/b/suppliers/{supplier.id}")
        assert (supplier.name, supplier.country, supplier.category) == (
            "Taller Textil Luna",
            "MX",
            "Textiles",
        )
        (contact,) = supplier.contacts
        assert contact.email == "rosa@luna.example"
        assert contact.name == "Rosa Pérez"
        assert contact.role == Role.SUPPLIER
        assert contact.locale == "es"
        assert contact.password_hash is None
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "supplier_created"))
        assert entry.actor_id == buyer
        assert entry.object_id == supplier.id
    page = client.get(response.headers["Location"]).text
    assert "Supplier <bdi>Taller Textil Luna</bdi> created." in page
    assert "rosa@luna.example" in page
    assert "Mexico (MX)" in page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"name": "   "}, "name", "This field is required."),
        ({"contact_email": "not-an-email"}, "contact_email", "Invalid email address."),
        ({"contact_email": ""}, "contact_email", "This field is required."),
        ({"country": "XX"}, "country", "Not a valid choice."),
        ({"country": ""}, "country", "This field is required."),
        ({"category": ""}, "category", "This field is required."),
    ],
)
def test_bad_supplier_input_is_refused_with_a_message_and_stores_nothing(
    app, client, buyer, change, field, message
):
    before = _counts(app)

    response = client.post("/b/suppliers/new", data={**VALID, **change})

    assert response.status_code == 422
    block = re.search(
        rf'<div class="field has-error">\s*<label for="{field}".*?</div>', response.text, re.S
    )
    assert block, f"no error shown next to {field}"
    assert message in html.unescape(block.group(0))
    assert _counts(app) == before


def test_a_buyer_s_address_as_contact_is_refused_and_no_supplier_is_stored(
    app, client, buyer, make_buyer
):
    with app.app_context():
        taken = db.session.get(User, make_buyer()).email
    before = _counts(app)

    response = client.post(
        "/b/suppliers/new", data={**VALID, "contact_email": taken.upper(), "name": "Copycat"}
    )

    assert response.status_code == 422
    assert "Someone already uses this email address." in response.text
    assert 'value="Copycat"' in response.text  # what the buyer typed stays in the form
    assert _counts(app) == before
    with app.app_context():
        assert db.session.scalar(select(Supplier).where(Supplier.name == "Copycat")) is None


def test_a_contact_of_another_supplier_answers_for_the_new_one_too(
    app, client, buyer, make_supplier
):
    first_id, contact_id = make_supplier()
    with app.app_context():
        email = db.session.get(User, contact_id).email

    response = client.post(
        "/b/suppliers/new", data={**VALID, "contact_email": email.upper(), "name": "Sister Co"}
    )

    assert response.status_code == 302
    with app.app_context():
        second = db.session.scalar(select(Supplier).where(Supplier.name == "Sister Co"))
        assert sorted(db.session.get(User, contact_id).supplier_ids) == [first_id, second.id]


# --- assigning questionnaires -----------------------------------------------------------------


def test_assigning_with_a_past_due_date_is_refused(
    app, client, buyer, make_supplier, questionnaire
):
    supplier_id, _contact = make_supplier()
    yesterday = date.today() - timedelta(days=1)

    response = client.post(
        f"/b/suppliers/{supplier_id}/assign",
        data={"questionnaire": questionnaire, "due_date": yesterday.isoformat()},
    )

    assert response.status_code == 422
    assert "The due date cannot be in the past." in response.text
    with app.app_context():
        assert db.session.scalar(select(func.count(Assessment.id))) == 0


def test_assigning_creates_an_invited_assessment_on_the_exact_version(
    app, client, buyer, make_supplier, questionnaire
):
    with app.app_context():
        newer = import_questionnaire(
            SAMPLE.read_text("utf-8").replace("\nversion: 1\n", "\nversion: 2\n", 1), by=None
        )
        db.session.commit()
        newer_id = newer.id
    supplier_id, _contact = make_supplier()
    due = date.today() + timedelta(days=21)

    response = client.post(
        f"/b/suppliers/{supplier_id}/assign",
        data={"questionnaire": newer_id, "due_date": due.isoformat()},
    )

    assert response.status_code == 302
    with app.app_context():
        (assessment,) = db.session.scalars(select(Assessment)).all()
        assert assessment.supplier_id == supplier_id
        assert assessment.questionnaire_id == newer_id != questionnaire
        assert assessment.questionnaire.version == 2
        assert assessment.status == AssessmentStatus.INVITED
        assert assessment.due_date == due
        assert assessment.created_by_id == buyer
    assert response.headers["Location"].endswith(f"/b/suppliers/{supplier_id}#a-{assessment.id}")
    page = client.get(f"/b/suppliers/{supplier_id}").text
    assert f'id="a-{assessment.id}"' in page
    assert "(v2)" in page


# --- sign-in links ----------------------------------------------------------------------------


def test_emailing_a_sign_in_link_queues_a_mail_in_the_contacts_language_that_signs_in(
    app, client, buyer, make_supplier, make_assessment, mailbox
):
    supplier_id, contact_id = make_supplier(locale="fr")
    make_assessment(supplier_id)
    with app.app_context():
        email = db.session.get(User, contact_id).email

    response = client.post(f"/b/suppliers/contacts/{contact_id}/link", data={"send": "email"})

    assert response.status_code == 200
    assert f"We are emailing this link to <bdi>{email}</bdi>." in response.text
    ((recipient, subject, body),) = mailbox
    assert recipient == email
    assert subject == (_french(INVITATION_SUBJECT) or INVITATION_SUBJECT)
    url = re.search(r"http://localhost/link/\S+", body).group(0)
    with app.app_context():
        assert db.session.scalar(select(OutboxMail)).sent_at is not None
    assert url == _link_on_page(response.text)

    supplier = app.test_client()
    signed_in = supplier.post(_path(url))
    assert signed_in.status_code == 302
    assert signed_in.headers["Location"].endswith("/s/")
    assert supplier.get("/s/").status_code == 200


def test_link_to_copy_is_shown_once_and_signs_in(
    app, client, buyer, make_supplier, make_assessment
):
    supplier_id, contact_id = make_supplier()
    make_assessment(supplier_id)

    response = client.post(f"/b/suppliers/contacts/{contact_id}/link", data={"send": "copy"})

    assert response.status_code == 200
    url = _link_on_page(response.text)
    assert "It is shown only now." in response.text
    assert "We are emailing" not in response.text
    with app.app_context():
        assert db.session.scalar(select(func.count(OutboxMail.id))) == 0
    token = url.rsplit("/", 1)[1]
    supplier_page = client.get(f"/b/suppliers/{supplier_id}").text
    assert token not in supplier_page
    assert "1 sign-in link can still be used" in supplier_page

    supplier = app.test_client()
    assert supplier.post(_path(url)).headers["Location"].endswith("/s/")


def test_revoking_links_refuses_them_and_signs_the_contact_out(
    app, client, buyer, make_supplier, make_assessment, issue_link
):
    supplier_id, contact_id = make_supplier()
    make_assessment(supplier_id)
    url = _link_on_page(
        client.post(f"/b/suppliers/contacts/{contact_id}/link", data={"send": "copy"}).text
    )
    phone = app.test_client()
    assert phone.post(f"/link/{issue_link(contact_id)}").status_code == 302
    assert phone.get("/s/").status_code == 200

    response = client.post(f"/b/suppliers/contacts/{contact_id}/revoke")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/b/suppliers/{supplier_id}")
    page = client.get(response.headers["Location"]).text
    assert "Sign-in links revoked: 1." in page
    assert "0 sign-in links can still be used" in page
    other = app.test_client()
    refused = other.post(_path(url))
    assert refused.status_code == 410
    assert other.get("/s/").status_code == 302  # not signed in
    signed_out = phone.get("/s/")
    assert signed_out.status_code == 302
    assert "/link/new" in signed_out.headers["Location"]
    with app.app_context():
        assert db.session.scalar(
            select(AuditEntry).where(
                AuditEntry.action == "links_revoked", AuditEntry.actor_id == buyer
            )
        )


# --- lists ------------------------------------------------------------------------------------


def test_supplier_list_searches_by_name(client, buyer, make_supplier):
    make_supplier(name="Alpha Weaving")
    make_supplier(name="Beta Orchards")
    make_supplier(name="alphabet Soup Co")

    page = client.get("/b/suppliers/?q=alpha").text

    assert "Alpha Weaving" in page
    assert "alphabet Soup Co" in page
    assert "Beta Orchards" not in page
    everyone = client.get("/b/suppliers/").text
    assert all(name in everyone for name in ("Alpha Weaving", "Beta Orchards", "alphabet Soup Co"))
    assert "No suppliers found." in client.get("/b/suppliers/?q=zzz").text


def test_supplier_search_treats_percent_and_underscore_as_plain_characters(
    client, buyer, make_supplier
):
    make_supplier(name="100% Cotton Mill")
    make_supplier(name="Tool_Works")
    make_supplier(name="Plain Supplies")

    percent = client.get("/b/suppliers/?q=%25").text
    underscore = client.get("/b/suppliers/?q=_").text

    assert "100% Cotton Mill" in percent
    assert "Plain Supplies" not in percent
    assert "Tool_Works" in underscore
    assert "Plain Supplies" not in underscore


def test_buyer_assessment_list_filters_by_status(
    app, client, buyer, make_supplier, make_assessment
):
    invited_supplier, _ = make_supplier(name="Invited Ltd")
    started_supplier, started_contact = make_supplier(name="Started Ltd")
    make_assessment(invited_supplier)
    started = make_assessment(started_supplier)
    with app.app_context():
        change_status(
            db.session.get(Assessment, started),
            AssessmentStatus.IN_PROGRESS,
            by=db.session.get(User, started_contact),
        )
        db.session.commit()

    in_progress = client.get("/b/?status=in_progress").text
    invited = client.get("/b/?status=invited").text
    submitted = client.get("/b/?status=submitted").text
    everything = client.get("/b/").text
    unknown = client.get("/b/?status=bogus").text

    assert "Started Ltd" in in_progress
    assert "Invited Ltd" not in in_progress
    assert '<option value="in_progress" selected>' in in_progress
    assert "Invited Ltd" in invited
    assert "Started Ltd" not in invited
    assert "Invited Ltd" not in submitted
    assert "Started Ltd" not in submitted
    assert "Invited Ltd" in everything
    assert "Started Ltd" in everything
    assert "Invited Ltd" in unknown
    assert "Started Ltd" in unknown
