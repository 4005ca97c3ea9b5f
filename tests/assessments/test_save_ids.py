"""Every save carries an id made on the phone: a resent save is stored once, never twice."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import func, select

from portal.assessments.logic import current_answers
from portal.assessments.models import Answer, Assessment, SaveReceipt
from portal.extensions import db
from tests.answers_fixture import SAMPLE_ANSWERS


def _hidden(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(stamps|save_id)" value="([^"]*)"', html))


def _answers(app, assessment_id):
    with app.app_context():
        return current_answers(db.session.get(Assessment, assessment_id))


def _receipts(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(SaveReceipt.id)))


@pytest.fixture
def section(app, client, make_supplier, make_assessment, sign_in_supplier):
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    sign_in_supplier(contact_id)
    return assessment_id, f"/s/assessments/{assessment_id}/sections/1"


def test_every_section_page_carries_a_fresh_save_id(client, section):
    _assessment_id, url = section
    first, second = _hidden(client.get(url).text), _hidden(client.get(url).text)
    assert len(first["save_id"]) >= 16
    assert first["save_id"] != second["save_id"]


def test_a_resent_save_is_stored_once_and_does_not_undo_a_later_one(app, client, section):
    assessment_id, url = section
    hidden = _hidden(client.get(url).text)
    first = {**SAMPLE_ANSWERS[1], **hidden}
    assert client.post(url, data=first).status_code == 302
    later = _hidden(client.get(url).text)
    client.post(url, data={**SAMPLE_ANSWERS[1], "q-total_workers": "20", **later})

    resent = client.post(url, data=first)  # the first save again, after a timeout

    assert resent.status_code == 302
    assert _answers(app, assessment_id)["total_workers"] == 20
    assert _receipts(app) == 2


def test_the_same_save_id_with_other_answers_is_refused(app, client, section):
    assessment_id, url = section
    hidden = _hidden(client.get(url).text)
    client.post(url, data={**SAMPLE_ANSWERS[1], **hidden})
    with app.app_context():
        before = db.session.scalar(select(func.count(Answer.id)))

    reused = client.post(url, data={**SAMPLE_ANSWERS[1], "q-total_workers": "99", **hidden})

    assert reused.status_code == 409
    assert "already received with other answers" in reused.text
    assert _answers(app, assessment_id)["total_workers"] == 12
    with app.app_context():
        assert db.session.scalar(select(func.count(Answer.id))) == before


@pytest.mark.parametrize("save_id", ["short", "x" * 65, "not an id!", "ü" * 20])
def test_an_unusable_save_id_is_ignored_and_the_save_goes_through(app, client, section, save_id):
    assessment_id, url = section
    hidden = {**_hidden(client.get(url).text), "save_id": save_id}

    assert client.post(url, data={**SAMPLE_ANSWERS[1], **hidden}).status_code == 302
    assert _answers(app, assessment_id)["total_workers"] == 12
    assert _receipts(app) == 0


def test_two_copies_of_one_save_at_the_same_moment_are_stored_once(
    app, make_supplier, make_assessment, issue_link
):
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    url = f"/s/assessments/{assessment_id}/sections/1"
    token = issue_link(contact_id)
    opener = app.test_client()
    opener.post(f"/link/{token}")
    data = {**SAMPLE_ANSWERS[1], **_hidden(opener.get(url).text)}
    statuses: list[int] = []
    start = threading.Barrier(2)

    def send():
        client = app.test_client()
        client.post(f"/link/{issue_link(contact_id)}")
        start.wait()
        statuses.append(client.post(url, data=data).status_code)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302, 302]
    assert _receipts(app) == 1
    assert _answers(app, assessment_id)["total_workers"] == 12


def test_receipts_go_once_the_assessment_is_submitted(app, client, section):
    assessment_id, _url = section
    for number, answers in SAMPLE_ANSWERS.items():
        url = f"/s/assessments/{assessment_id}/sections/{number}"
        client.post(url, data={**answers, **_hidden(client.get(url).text)})
    assert _receipts(app) == len(SAMPLE_ANSWERS)

    assert client.post(f"/s/assessments/{assessment_id}/submit").status_code == 302
    assert _receipts(app) == 0
