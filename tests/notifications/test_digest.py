"""The buyer's own choice between one mail each time and a daily digest, sent once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.assessments.logic import assign
from portal.auth.models import User
from portal.extensions import db
from portal.notifications.digest import send_digests
from portal.notifications.logic import deliver_pending
from portal.notifications.models import DigestItem
from portal.questionnaires.models import QuestionnaireVersion
from portal.suppliers.models import Supplier
from tests.answers_fixture import SAMPLE_ANSWERS
from tests.conftest_smtp import body


@pytest.fixture
def submitted_for(app, questionnaire, make_supplier, issue_link):
    """A supplier submits an assessment that buyer `by` assigned; returns its id."""

    def submit(by: int, name: str) -> int:
        supplier_id, contact_id = make_supplier(name=name)
        with app.test_request_context():
            assessment = assign(
                db.session.get(Supplier, supplier_id),
                db.session.get(QuestionnaireVersion, questionnaire),
                date.today() + timedelta(days=30),
                by=db.session.get(User, by),
            )
            db.session.commit()
            assessment_id = assessment.id
        phone = app.test_client()
        phone.post(f"/link/{issue_link(contact_id)}")
        for number, answers in SAMPLE_ANSWERS.items():
            phone.post(f"/s/assessments/{assessment_id}/sections/{number}", data=answers)
        assert phone.post(f"/s/assessments/{assessment_id}/submit").status_code == 302
        return assessment_id

    return submit


def _choose_digest(client, sign_in_buyer, buyer: int) -> None:
    sign_in_buyer(buyer)
    response = client.post("/b/notifications/", data={"how": "digest"})
    assert response.status_code == 302


def _email(app, user_id: int) -> str:
    with app.app_context():
        return db.session.get(User, user_id).email


def test_a_buyer_chooses_the_digest_on_its_own_page(app, client, make_buyer, sign_in_buyer):
    buyer = make_buyer()
    sign_in_buyer(buyer)

    page = client.get("/b/notifications/")
    assert page.status_code == 200
    assert 'checked id="how-0"' in page.text

    assert client.post("/b/notifications/", data={"how": "digest"}).status_code == 302
    with app.app_context():
        assert db.session.get(User, buyer).daily_digest is True
    assert 'checked id="how-1"' in client.get("/b/notifications/").text

    client.post("/b/notifications/", data={"how": "each"})
    with app.app_context():
        assert db.session.get(User, buyer).daily_digest is False


def test_a_bad_choice_is_refused_and_changes_nothing(app, client, make_buyer, sign_in_buyer):
    buyer = make_buyer()
    sign_in_buyer(buyer)

    for data in ({"how": "hourly"}, {}):
        response = client.post("/b/notifications/", data=data)
        assert response.status_code == 422
        assert 'class="error"' in response.text
    with app.app_context():
        assert db.session.get(User, buyer).daily_digest is False


def test_suppliers_and_strangers_have_no_notification_page(
    app, client, make_supplier, sign_in_supplier
):
    assert client.post("/b/notifications/", data={"how": "digest"}).status_code == 302  # sign in
    _supplier, contact_id = make_supplier()
    sign_in_supplier(contact_id)
    assert client.get("/b/notifications/").status_code == 403
    assert client.post("/b/notifications/", data={"how": "digest"}).status_code == 403


def test_the_digest_lists_what_happened_and_is_sent_once(
    app, client, make_buyer, sign_in_buyer, submitted_for, smtp_server
):
    digest_buyer, each_buyer = make_buyer(), make_buyer()
    _choose_digest(client, sign_in_buyer, digest_buyer)
    first = submitted_for(digest_buyer, "Taller Sol")
    second = submitted_for(digest_buyer, "Hilados Luna")
    submitted_for(each_buyer, "Other Works")
    smtp_server.messages.clear()
    assert smtp_server.to(_email(app, digest_buyer)) == []  # nothing mailed at once

    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-digests"])

    assert "Queued 1 digest mails." in result.output
    assert "Sent 1, failed 0." in result.output
    [mail] = smtp_server.messages
    assert mail["To"] == _email(app, digest_buyer)
    assert mail["Subject"] == "Closeloop: 2 things wait for you"
    text = body(mail)
    assert 'Taller Sol submitted "Supplier self-assessment"' in text
    assert "Hilados Luna submitted" in text
    assert f"http://localhost/b/assessments/{first}" in text
    assert f"http://localhost/b/assessments/{second}" in text
    assert "Other Works" not in text

    again = runner.invoke(args=["send-digests"])
    assert "Queued 0 digest mails." in again.output
    assert len(smtp_server.messages) == 1
    with app.app_context():
        assert all(i.sent_at for i in db.session.scalars(select(DigestItem)))


def test_a_digest_holds_only_what_happened_since_the_last_one(
    app, client, make_buyer, sign_in_buyer, submitted_for, mailbox
):
    buyer = make_buyer()
    _choose_digest(client, sign_in_buyer, buyer)
    submitted_for(buyer, "Early Ltd")
    with app.app_context():
        assert send_digests() == 1
        db.session.commit()
        deliver_pending()
    submitted_for(buyer, "Later Ltd")
    mailbox.clear()

    with app.app_context():
        assert send_digests() == 1
        db.session.commit()
        deliver_pending()
    [(_to, subject, text)] = mailbox
    assert subject == "Closeloop: 1 thing waits for you"
    assert "Later Ltd" in text
    assert "Early Ltd" not in text


def test_a_digest_is_in_the_buyers_language(
    app, client, make_buyer, sign_in_buyer, submitted_for, mailbox
):
    buyer = make_buyer()
    with app.app_context():
        db.session.get(User, buyer).locale = "fr"
        db.session.commit()
    _choose_digest(client, sign_in_buyer, buyer)
    submitted_for(buyer, "Taller Sol")
    mailbox.clear()

    app.test_cli_runner().invoke(args=["send-digests"])

    [(_to, subject, text)] = mailbox
    assert subject == "Closeloop : 1 élément vous attend"
    assert "Taller Sol a envoyé « " in text
    assert "Since your last digest" not in text


def test_two_runs_at_the_same_time_send_one_digest(
    app, client, make_buyer, sign_in_buyer, submitted_for
):
    import threading

    from portal.notifications.models import OutboxMail

    buyer = make_buyer()
    _choose_digest(client, sign_in_buyer, buyer)
    submitted_for(buyer, "Taller Sol")
    with app.app_context():
        before = db.session.scalar(select(func.count(OutboxMail.id)))
    start = threading.Barrier(2)
    queued: list[int] = []

    def run() -> None:
        with app.app_context():
            start.wait()
            queued.append(send_digests())
            db.session.commit()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(queued) == [0, 1]
    with app.app_context():
        assert db.session.scalar(select(func.count(OutboxMail.id))) == before + 1
