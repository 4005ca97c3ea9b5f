"""The database set-up that keeps simultaneous suppliers from seeing errors."""

from __future__ import annotations

import threading

from sqlalchemy import func, select, text

from portal.assessments.models import Answer
from portal.extensions import db
from tests.answers_fixture import SAMPLE_ANSWERS


def test_connections_are_set_up_for_several_simultaneous_suppliers(app):
    with app.app_context(), db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 20000
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        else:
            assert connection.dialect.name == "postgresql"
            assert db.engine.pool._pre_ping
            isolation = connection.execute(text("SHOW transaction_isolation")).scalar()
            assert isolation == "read committed"


def test_suppliers_saving_at_the_same_moment_all_succeed(
    app, make_supplier, make_assessment, issue_link
):
    suppliers = []
    for _ in range(6):
        supplier_id, contact_id = make_supplier()
        suppliers.append((make_assessment(supplier_id), issue_link(contact_id)))
    statuses: list[int] = []
    start = threading.Barrier(len(suppliers))

    def answer(assessment_id: int, token: str) -> None:
        client = app.test_client()
        client.post(f"/link/{token}")
        start.wait()
        for number, answers in SAMPLE_ANSWERS.items():
            response = client.post(
                f"/s/assessments/{assessment_id}/sections/{number}", data=answers
            )
            statuses.append(response.status_code)

    threads = [threading.Thread(target=answer, args=pair) for pair in suppliers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302] * len(suppliers) * len(SAMPLE_ANSWERS)
    with app.app_context():
        rows = db.session.execute(
            select(Answer.assessment_id, func.count(Answer.id)).group_by(Answer.assessment_id)
        ).all()
    questions = 27  # every question of every section is stored, answered or blank
    assert sorted(rows) == [(assessment_id, questions) for assessment_id, _ in suppliers]


def test_behind_a_trusted_proxy_rate_limits_count_the_forwarded_client(app):
    from portal import create_app

    proxied = create_app(
        {
            "TRUSTED_PROXIES": 1,
            "DATABASE_URL": app.config["DATABASE_URL"],
            "RATELIMIT_ENABLED": False,
        }
    )
    seen = {}

    @proxied.get("/whoami-test")
    def whoami():
        from flask import request

        seen["ip"] = request.remote_addr
        return ""

    proxied.test_client().get(
        "/whoami-test",
        headers={"X-Forwarded-For": "203.0.113.9"},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    assert seen["ip"] == "203.0.113.9"
