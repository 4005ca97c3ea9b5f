"""Background jobs: in-process without Redis, on RQ (retried with backoff) with it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.auth.models import User
from portal.extensions import db
from portal.jobs import QUEUE_NAME, enqueue
from portal.notifications.logic import queue_mail
from portal.notifications.models import OutboxMail
from tests.conftest import work_queue
from tests.conftest_smtp import free_port
from tests.reminders import job_helpers


@pytest.fixture(autouse=True)
def _no_calls():
    job_helpers.CALLS.clear()


def test_without_redis_a_job_runs_in_process_at_once(app, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "")
    with app.app_context():
        assert enqueue("tests.reminders.job_helpers.echo", "hello") == f"hello in {app.name}"
    assert job_helpers.CALLS == ["hello"]


def test_without_redis_outbox_delivery_runs_in_process(app, monkeypatch, mailbox):
    monkeypatch.setitem(app.config, "REDIS_URL", "")
    with app.test_request_context():
        queue_mail("someone@example.com", "en", "sign_in_link", user=None, url="http://x/link/a")
        db.session.commit()
        assert enqueue("portal.notifications.jobs.deliver_outbox") == (1, 0)
    assert [recipient for recipient, _s, _b in mailbox] == ["someone@example.com"]


def test_with_redis_a_job_is_enqueued_and_run_by_a_worker(app, redis_queue):
    job = enqueue("tests.reminders.job_helpers.echo", "queued")
    assert job.origin == QUEUE_NAME
    assert job.retries_left == 5
    assert job_helpers.CALLS == []  # nothing ran in this process yet
    work_queue(app, redis_queue)
    job.refresh()
    assert job.get_status() == "finished"
    assert job.return_value() == f"queued in {app.name}"


def test_a_request_leaves_mail_delivery_to_the_worker(
    app, client, redis_queue, make_supplier, mailbox
):
    _supplier, contact_id = make_supplier()
    with app.app_context():
        address = db.session.get(User, contact_id).email
    assert client.post("/link/new", data={"email": address}).status_code == 200
    assert mailbox == []  # the request did not wait for delivery
    assert redis_queue.count == 1
    work_queue(app, redis_queue)
    assert [recipient for recipient, _s, _b in mailbox] == [address]
    with app.app_context():
        assert db.session.scalar(select(OutboxMail.sent_at)) is not None


def test_a_failing_job_is_retried_until_its_retries_are_used_up(app, redis_queue):
    from rq.registry import FailedJobRegistry

    job = enqueue("tests.reminders.job_helpers.always_fails", intervals=(0, 0, 0))
    work_queue(app, redis_queue)
    job.refresh()
    assert job_helpers.CALLS == ["fail"] * 4  # the first run and three retries
    assert job.retries_left == 0
    assert job.get_status() == "failed"
    assert job.id in FailedJobRegistry(queue=redis_queue)  # kept, not lost


def test_a_failed_delivery_is_scheduled_for_a_retry_with_backoff(app, redis_queue, monkeypatch):
    from rq.registry import ScheduledJobRegistry

    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # the mail server is down
    queue_mail("someone@example.com", "en", "sign_in_link", user=None, url="http://x/link/a")
    db.session.commit()
    job = enqueue("portal.notifications.jobs.deliver_outbox")
    work_queue(app, redis_queue)
    job.refresh()
    assert job.get_status() == "scheduled"
    assert job.retries_left == 4
    assert job.id in ScheduledJobRegistry(queue=redis_queue)
    with app.app_context():
        mail = db.session.scalar(select(OutboxMail))
        assert mail.sent_at is None
        assert mail.attempts == 1
