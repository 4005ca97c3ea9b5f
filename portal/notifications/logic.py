"""Queue mail in the recipient's language and deliver the outbox, retrying failures."""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import TYPE_CHECKING

import click
from flask import current_app, g, render_template
from flask_babel import force_locale
from sqlalchemy import select

from portal.db import utcnow
from portal.extensions import db
from portal.lifecycle import redact
from portal.notifications.models import OutboxMail

if TYPE_CHECKING:
    from portal.auth.models import User

log = logging.getLogger("portal.mail")


def queue_mail(recipient: str, locale: str | None, template: str, **context: object) -> OutboxMail:
    """Render `mail/<template>.txt` in `locale` (first line: subject) and put it in the outbox."""
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        rendered = render_template(f"mail/{template}.txt", **context)
    subject, _, body = rendered.lstrip().partition("\n")
    mail = OutboxMail(recipient=recipient, subject=subject.strip(), body=body.strip() + "\n")
    db.session.add(mail)
    g.mail_queued = True
    return mail


def mail_user(user: User, template: str, **context: object) -> OutboxMail:
    """Queue `mail/<template>.txt` to any user (buyer, admin or contact) in the user's own
    language; the template gets `user` on top of `context`."""
    return queue_mail(user.email, user.locale, template, user=user, **context)


def retry_delay(attempts: int) -> timedelta:
    """Back off exponentially from one minute up to six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def _send_smtp(mail: OutboxMail) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message.set_content(mail.body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def _send_to_log(mail: OutboxMail) -> None:
    """Without a mail server: in development (MAIL_CONSOLE, or debug mode) print the whole
    mail, link included, so that it can be read and followed; elsewhere log it without its
    sign-in token (logs are read by more people than mailboxes)."""
    if current_app.config.get("MAIL_CONSOLE") or current_app.debug:
        rule = "-" * 72
        click.echo(
            f"{rule}\nMail to {mail.recipient} (MAIL_SERVER is not set: printed, not sent)\n"
            f"Subject: {mail.subject}\n\n{mail.body.rstrip()}\n{rule}"
        )
        return
    log.info("Mail to %s\nSubject: %s\n\n%s", mail.recipient, mail.subject, redact(mail.body))


def deliver_pending(now: datetime | None = None, limit: int = 100) -> tuple[int, int]:
    """Try every mail that is due; return (sent, failed). Failures stay queued for a retry."""
    now = now or utcnow()
    query = (
        select(OutboxMail)
        .where(OutboxMail.sent_at.is_(None), OutboxMail.next_attempt_at <= now)
        .order_by(OutboxMail.id)
        .limit(limit)
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    send = _send_smtp if current_app.config["MAIL_SERVER"] else _send_to_log
    sent = failed = 0
    for mail in db.session.scalars(query).all():
        mail.attempts += 1
        try:
            send(mail)
        except (OSError, smtplib.SMTPException) as error:
            mail.last_error = f"{type(error).__name__}: {error}"[:1000]
            mail.next_attempt_at = now + retry_delay(mail.attempts)
            failed += 1
            log.warning("Mail %s to %s not delivered: %s", mail.id, mail.recipient, error)
        else:
            mail.sent_at = utcnow()
            mail.last_error = None
            mail.body = redact(mail.body)  # a delivered sign-in link must not stay readable
            sent += 1
    db.session.commit()
    return sent, failed


def deliver_pending_soon() -> None:
    """After a request that queued mail, hand delivery to the job queue when Redis is
    configured (the request never waits for SMTP), else deliver in-process. Failures stay
    queued in the outbox either way."""
    if g.pop("mail_queued", False):
        if current_app.config.get("REDIS_URL"):
            from portal.jobs import enqueue

            try:
                enqueue("portal.notifications.jobs.deliver_outbox")
            except Exception:
                log.exception("Could not enqueue outbox delivery; mail stays queued")
            return
        try:
            deliver_pending()
        except Exception:
            db.session.rollback()
            log.exception("Outbox delivery failed; mail stays queued")
