"""Bulk assignment can invite the suppliers' contacts by mail; the form checks only shapes."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import func, select

from portal.assessments.models import Assessment
from portal.auth.logic import create_user
from portal.auth.models import Role, User
from portal.extensions import db
from portal.notifications.models import OutboxMail
from tests.conftest_smtp import body

DUE = (date.today() + timedelta(days=20)).isoformat()


def _counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count(Assessment.id))),
            db.session.scalar(select(func.count(OutboxMail.id))),
        )


def test_the_invitation_box_is_ticked_by_default(
    client, make_buyer, sign_in_buyer, make_supplier, questionnaire
):
    make_supplier()
    sign_in_buyer(make_buyer())
    page = client.get("/b/dashboard/").text
    assert re.search(r'<input type="checkbox" name="invite" value="y" checked>', page)


def test_ticked_invites_every_active_contact_in_its_language_and_counts_the_mails(
    app, client, make_buyer, sign_in_buyer, make_supplier, questionnaire, smtp_server
):
    french, french_contact = make_supplier(name="Atelier Dupont", locale="fr")
    spanish, spanish_contact = make_supplier(name="Taller Sol", locale="es")
    with app.app_context():
        create_user("second@sol.example", Role.SUPPLIER, supplier_id=spanish, locale="en")
        db.session.commit()
        emails = {i: db.session.get(User, i).email for i in (french_contact, spanish_contact)}
    sign_in_buyer(make_buyer())

    response = client.post(
        "/b/dashboard/assign",
        data={
            "supplier": [french, spanish],
            "scope": "selected",
            "questionnaire": questionnaire,
            "due_date": DUE,
            "invite": "y",
        },
        follow_redirects=True,
    )

    assert "Assigned to 2 suppliers. 3 invitation mails queued." in response.text
    [fr] = smtp_server.to(emails[french_contact])
    [es] = smtp_server.to(emails[spanish_contact])
    [en] = smtp_server.to("second@sol.example")
    assert fr["Subject"].startswith("Votre client vous demande de répondre à « ")
    assert es["Subject"].startswith("Su cliente le pide que responda a «")
    assert en["Subject"].startswith('Your customer asks you to answer "')
    with app.app_context():
        assessment_id = db.session.scalar(
            select(Assessment.id).where(Assessment.supplier_id == french)
        )
    assert f"next=/s/assessments/{assessment_id}" in body(fr)


def test_unticked_assigns_and_sends_nothing(
    app, client, make_buyer, sign_in_buyer, make_supplier, questionnaire, smtp_server
):
    supplier_id, _contact = make_supplier()
    sign_in_buyer(make_buyer())

    response = client.post(
        "/b/dashboard/assign",
        data={"supplier": [supplier_id], "questionnaire": questionnaire, "due_date": DUE},
        follow_redirects=True,
    )

    assert "Assigned to 1 supplier." in response.text
    assert "invitation" not in response.text
    assert _counts(app) == (1, 0)
    assert smtp_server.messages == []


def test_badly_shaped_input_is_refused_with_a_message_and_changes_nothing(
    app, client, make_buyer, sign_in_buyer, make_supplier, questionnaire
):
    supplier_id, _contact = make_supplier()
    sign_in_buyer(make_buyer())
    good = {"supplier": [supplier_id], "questionnaire": questionnaire, "due_date": DUE}

    for bad, message in (
        ({"supplier": ["abc"]}, "Invalid choice"),
        ({"questionnaire": "x"}, "Not a valid integer value."),
        ({"due_date": "31/12/2099"}, "Choose a due date."),
    ):
        response = client.post(
            "/b/dashboard/assign", data={**good, **bad, "invite": "y"}, follow_redirects=True
        )
        assert message in response.text, bad
        assert _counts(app) == (0, 0)


def test_a_due_date_in_the_past_is_refused_by_the_rule_not_the_form(
    app, client, make_buyer, sign_in_buyer, make_supplier, questionnaire
):
    supplier_id, _contact = make_supplier()
    sign_in_buyer(make_buyer())
    yesterday = (date.today() - timedelta(days=1)).isoformat()

    from portal.dashboard.forms import BulkAssignForm

    with app.test_request_context(
        method="POST", data={"questionnaire": questionnaire, "due_date": yesterday}
    ):
        assert BulkAssignForm().validate()  # the form checks the shape only

    response = client.post(
        "/b/dashboard/assign",
        data={
            "supplier": [supplier_id],
            "questionnaire": questionnaire,
            "due_date": yesterday,
            "invite": "y",
        },
        follow_redirects=True,
    )
    assert "The due date cannot be in the past." in response.text
    assert _counts(app) == (0, 0)
