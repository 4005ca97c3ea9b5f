"""Mail waits in the outbox until a real SMTP server has taken it."""

from __future__ import annotations

import logging
from datetime import timedelta

from aiosmtpd.controller import Controller
from sqlalchemy import select

from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.logic import deliver_pending, queue_mail
from portal.notifications.models import OutboxMail
from tests.conftest_smtp import Inbox, free_port


def test_link_request_is_delivered_through_smtp(client, app, smtp_server, make_supplier):
    _supplier_id, contact_id = make_supplier()
    with app.app_context():
        email_address = db.session.get(User, contact_id).email
    response = client.post("/link/new", data={"email": email_address})
    assert response.status_code == 200
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == email_address
    assert message["Subject"] == "Your Closeloop sign-in link"
    assert "http://localhost/link/" in message.get_payload(decode=True).decode()
    with app.app_context():
        mail = db.session.scalar(select(OutboxMail))
        assert mail.sent_at is not None
        assert mail.attempts == 1


def _someone():
    return type("Someone", (), {"display_name": "Someone"})()


def test_mail_survives_the_mail_server_being_down_and_is_retried(app, monkeypatch):
    down_port = free_port()  # nothing listens there
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", down_port)
    with app.test_request_context():
        queue_mail(
            "someone@example.com", "en", "sign_in_link", user=_someone(), url="http://x/link/abc"
        )
        db.session.commit()
        sent, failed = deliver_pending()
        assert (sent, failed) == (0, 1)
        mail = db.session.scalar(select(OutboxMail))
        assert mail.sent_at is None
        assert mail.last_error
        assert mail.next_attempt_at > utcnow()

        # nothing is retried before its time
        assert deliver_pending() == (0, 0)

        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=down_port)
        controller.start()
        try:
            sent, failed = deliver_pending(now=utcnow() + timedelta(hours=1))
        finally:
            controller.stop()
        assert (sent, failed) == (1, 0)
        assert len(inbox.messages) == 1
        assert db.session.scalar(select(OutboxMail)).sent_at is not None


def test_without_a_mail_server_mail_goes_to_the_log_without_the_token(app, caplog):
    token = "S3cretTokenValue_abcdefghijklmnop"
    with app.test_request_context(), caplog.at_level(logging.INFO, logger="portal.mail"):
        queue_mail(
            "someone@example.com",
            "en",
            "sign_in_link",
            user=_someone(),
            url=f"http://localhost/link/{token}",
        )
        db.session.commit()
        assert deliver_pending() == (1, 0)
    assert "someone@example.com" in caplog.text
    assert "Your Closeloop sign-in link" in caplog.text
    assert token not in caplog.text


def test_send_outbox_command_delivers_what_is_queued(app, smtp_server):
    with app.test_request_context():
        queue_mail(
            "someone@example.com", "fr", "sign_in_link", user=_someone(), url="http://x/link/abc"
        )
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["send-outbox"])
    assert "Sent 1, failed 0." in result.output
    assert smtp_server.messages[0]["To"] == "someone@example.com"


def test_a_delivered_sign_in_link_does_not_stay_readable_in_the_outbox(app):
    token = "AnotherSecretTokenValue_0123456789"
    with app.test_request_context():
        queue_mail(
            "someone@example.com",
            "en",
            "sign_in_link",
            user=_someone(),
            url=f"http://localhost/link/{token}",
        )
        db.session.commit()
        deliver_pending()
        body = db.session.scalar(select(OutboxMail.body))
    assert token not in body
    assert "/link/[redacted]" in body
