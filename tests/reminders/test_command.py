"""`flask --app portal send-reminders` through a real SMTP server on loopback, and without one."""

from __future__ import annotations

from datetime import timedelta

from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from portal.db import utcnow
from portal.extensions import db
from portal.notifications.models import OutboxMail
from tests.conftest_smtp import Inbox, free_port
from tests.reminders.conftest import SUNDAY

DAY = timedelta(days=1)


def _invoke(app, day):
    return app.test_cli_runner().invoke(args=["send-reminders", "--today", day.isoformat()])


def test_the_command_delivers_reminders_through_smtp_once(app, make_action, smtp_server):  # noqa: F811
    _action, contact, _buyer = make_action(SUNDAY)
    result = _invoke(app, SUNDAY - 7 * DAY)
    assert result.exit_code == 0, result.output
    assert "Queued 1 reminders" in result.output
    assert "Sent 1, failed 0." in result.output
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == contact
    assert message["Subject"] == "Reminder: Unlock the exits is due in 7 days"
    assert "http://localhost/link/" in message.get_payload(decode=True).decode()

    again = _invoke(app, SUNDAY - 7 * DAY)
    assert again.exit_code == 0
    assert "Queued 0 reminders" in again.output
    assert len(smtp_server.messages) == 1


def test_the_command_survives_the_mail_server_being_down(app, make_action, monkeypatch):
    make_action(SUNDAY)
    port = free_port()  # nothing listens there yet
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    result = _invoke(app, SUNDAY - 7 * DAY)
    assert result.exit_code == 0, result.output
    assert "Sent 0, failed 1." in result.output
    assert "stay in the outbox" in result.output
    with app.app_context():
        mail = db.session.scalar(select(OutboxMail))
        assert mail.sent_at is None
        assert mail.last_error

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with app.app_context():  # the retry time has come
            db.session.execute(update(OutboxMail).values(next_attempt_at=utcnow() - DAY))
            db.session.commit()
        result = _invoke(app, SUNDAY - 7 * DAY)
    finally:
        controller.stop()
    assert result.exit_code == 0, result.output
    assert "Queued 0 reminders" in result.output
    assert "Sent 1, failed 0." in result.output
    assert len(inbox.messages) == 1
