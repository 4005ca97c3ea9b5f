"""Who is told what about an assessment: the supplier when its answers are returned or
accepted, the buyer who assigned it (else every buyer) when the supplier submits."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.assessments.logic import assign
from portal.auth.models import Role, User
from portal.extensions import db
from portal.notifications.models import OutboxMail
from portal.questionnaires.models import QuestionnaireVersion
from portal.suppliers.models import Supplier
from tests.answers_fixture import SAMPLE_ANSWERS
from tests.conftest_smtp import body


@pytest.fixture
def assigned(app, questionnaire, make_supplier):
    """Assign the questionnaire (as `by`, a user id or None); return (assessment, contact)."""

    def make(by: int | None, locale: str = "en") -> tuple[int, int]:
        supplier_id, contact_id = make_supplier(locale=locale)
        with app.test_request_context():
            assessment = assign(
                db.session.get(Supplier, supplier_id),
                db.session.get(QuestionnaireVersion, questionnaire),
                date.today() + timedelta(days=30),
                by=db.session.get(User, by) if by else None,
            )
            db.session.commit()
            return assessment.id, contact_id

    return make


def _submit(app, issue_link, assessment_id: int, contact_id: int):
    phone = app.test_client()
    phone.post(f"/link/{issue_link(contact_id)}")
    for number, answers in SAMPLE_ANSWERS.items():
        phone.post(f"/s/assessments/{assessment_id}/sections/{number}", data=answers)
    assert phone.post(f"/s/assessments/{assessment_id}/submit").status_code == 302
    return phone


def _email(app, user_id: int) -> str:
    with app.app_context():
        return db.session.get(User, user_id).email


def _outbox(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(OutboxMail.id)))


def test_submitting_mails_the_buyer_who_assigned_it_and_nobody_else(
    app, make_buyer, assigned, issue_link, smtp_server
):
    assigner, other = make_buyer(), make_buyer()
    assessment_id, contact_id = assigned(by=assigner)

    phone = _submit(app, issue_link, assessment_id, contact_id)

    [mail] = smtp_server.to(_email(app, assigner))
    assert mail["Subject"].endswith("submitted its answers")
    assert f"http://localhost/b/assessments/{assessment_id}" in body(mail)
    assert smtp_server.to(_email(app, other)) == []
    # a second tap on Submit (an old tab) tells nobody again
    phone.post(f"/s/assessments/{assessment_id}/submit")
    assert len(smtp_server.to(_email(app, assigner))) == 1


def test_without_an_active_assigner_every_active_buyer_is_told(
    app, make_buyer, assigned, issue_link, mailbox
):
    assigner, first, second, gone = make_buyer(), make_buyer(), make_buyer(), make_buyer()
    admin = make_buyer(role=Role.ADMIN)
    with app.app_context():
        db.session.get(User, assigner).active = False
        db.session.get(User, gone).active = False
        db.session.commit()
    assessment_id, contact_id = assigned(by=assigner)

    _submit(app, issue_link, assessment_id, contact_id)

    told = {recipient for recipient, _s, _b in mailbox if "submitted" in _s}
    assert told == {_email(app, first), _email(app, second)}
    assert _email(app, admin) not in told


def test_with_no_buyer_at_all_the_admins_are_told(app, make_buyer, assigned, issue_link, mailbox):
    admin = make_buyer(role=Role.ADMIN)
    assessment_id, contact_id = assigned(by=None)

    _submit(app, issue_link, assessment_id, contact_id)

    assert [r for r, subject, _b in mailbox if "submitted" in subject] == [_email(app, admin)]


def test_accepting_mails_the_supplier_with_the_comment_in_its_language(
    app, client, make_buyer, sign_in_buyer, assigned, issue_link, smtp_server
):
    buyer = make_buyer()
    assessment_id, contact_id = assigned(by=buyer, locale="es")
    _submit(app, issue_link, assessment_id, contact_id)
    sign_in_buyer(buyer)

    response = client.post(
        f"/b/assessments/{assessment_id}/accept", data={"comment": "Muy buen trabajo."}
    )

    assert response.status_code == 302
    [mail] = smtp_server.to(_email(app, contact_id))
    assert mail["Subject"] == "Su cliente ha aceptado sus respuestas"
    text = body(mail)
    assert "Muy buen trabajo." in text
    assert re.search(
        rf"http://localhost/link/\S+next=/s/assessments/{assessment_id}/submitted", text
    )


def test_returning_mails_the_supplier_a_link_to_its_questionnaire_in_its_language(
    app, client, make_buyer, sign_in_buyer, assigned, issue_link, smtp_server
):
    buyer = make_buyer()
    assessment_id, contact_id = assigned(by=buyer, locale="fr")
    _submit(app, issue_link, assessment_id, contact_id)
    sign_in_buyer(buyer)

    client.post(f"/b/assessments/{assessment_id}/return", data={"comment": "Deux questions."})

    [mail] = smtp_server.to(_email(app, contact_id))
    assert mail["Subject"] == "Votre client a des questions sur vos réponses"
    assert re.search(rf"/link/\S+next=/s/assessments/{assessment_id}\s", body(mail))


def test_a_supplier_cannot_accept_and_a_refused_decision_mails_nobody(
    app, client, make_buyer, sign_in_buyer, assigned, issue_link
):
    buyer = make_buyer()
    assessment_id, contact_id = assigned(by=buyer)
    phone = _submit(app, issue_link, assessment_id, contact_id)
    before = _outbox(app)

    assert phone.post(f"/b/assessments/{assessment_id}/accept").status_code == 403
    sign_in_buyer(buyer)
    client.post(f"/b/assessments/{assessment_id}/accept")
    after_accept = _outbox(app)
    client.post(f"/b/assessments/{assessment_id}/accept")  # already accepted: refused

    assert after_accept == before + 1
    assert _outbox(app) == after_accept


def test_the_review_page_says_which_language_the_supplier_reads(
    app, client, make_buyer, sign_in_buyer, assigned, issue_link
):
    buyer = make_buyer()
    assessment_id, contact_id = assigned(by=buyer, locale="fr")
    _submit(app, issue_link, assessment_id, contact_id)
    sign_in_buyer(buyer)

    english = client.get(f"/b/assessments/{assessment_id}").text
    spanish = client.get(f"/b/assessments/{assessment_id}", headers={"Accept-Language": "es"})

    review = english.split('id="review-title"', 1)[1].split("</form>", 1)[0]
    assert "The supplier reads French: write in French." in review
    assert "El proveedor lee en francés: escriba en francés." in spanish.text
