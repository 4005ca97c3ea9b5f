"""The autosave endpoint: the page's script saves as the supplier goes and reads JSON."""

from __future__ import annotations

import re

import pytest

from portal.assessments.logic import current_answers
from portal.assessments.models import Assessment
from portal.extensions import db
from tests.answers_fixture import SAMPLE_ANSWERS


def _hidden(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(stamps|save_id)" value="([^"]*)"', html))


def _answers(app, assessment_id):
    with app.app_context():
        return current_answers(db.session.get(Assessment, assessment_id))


@pytest.fixture
def answering(app, client, make_supplier, make_assessment, sign_in_supplier):
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    sign_in_supplier(contact_id)
    url = f"/s/assessments/{assessment_id}/sections/1"
    return assessment_id, url, contact_id


def test_an_autosave_stores_the_answers_and_hands_back_new_stamps(app, client, answering):
    assessment_id, url, _contact = answering
    hidden = _hidden(client.get(url).text)

    response = client.post(f"{url}/autosave", data={**SAMPLE_ANSWERS[1], **hidden})

    assert response.status_code == 200
    assert response.json["status"] == "saved"
    assert response.json["stamps"] != hidden["stamps"]
    assert _answers(app, assessment_id)["total_workers"] == 12
    # the next autosave with the new stamps changes the answer again, with no conflict
    again = client.post(
        f"{url}/autosave",
        data={**SAMPLE_ANSWERS[1], "q-total_workers": "13", "stamps": response.json["stamps"]},
    )
    assert again.json["status"] == "saved"
    assert _answers(app, assessment_id)["total_workers"] == 13


def test_invalid_answers_come_back_per_question_and_nothing_is_stored(app, client, answering):
    assessment_id, url, _contact = answering
    data = {**SAMPLE_ANSWERS[1], "q-total_workers": "lots", **_hidden(client.get(url).text)}

    response = client.post(f"{url}/autosave", data=data)

    assert response.status_code == 422
    assert response.json["status"] == "invalid"
    assert set(response.json["errors"]) == {"total_workers"}
    assert _answers(app, assessment_id) == {}


def test_a_conflict_names_what_the_other_device_saved(app, client, answering, issue_link):
    assessment_id, url, contact_id = answering
    hidden = _hidden(client.get(url).text)
    laptop = app.test_client()
    laptop.post(f"/link/{issue_link(contact_id)}")
    laptop.post(url, data={**SAMPLE_ANSWERS[1], **_hidden(laptop.get(url).text)})

    response = client.post(
        f"{url}/autosave", data={**SAMPLE_ANSWERS[1], "q-total_workers": "40", **hidden}
    )

    assert response.status_code == 409
    assert response.json["status"] == "conflict"
    conflicts = response.json["conflicts"]
    assert conflicts == {"total_workers": "Saved on another device meanwhile: 12 workers"}
    assert _answers(app, assessment_id)["total_workers"] == 12


def test_a_resend_is_stored_once_and_a_reused_id_is_refused_as_json(app, client, answering):
    assessment_id, url, _contact = answering
    hidden = _hidden(client.get(url).text)
    data = {**SAMPLE_ANSWERS[1], **hidden}

    assert client.post(f"{url}/autosave", data=data).json["status"] == "saved"
    assert client.post(f"{url}/autosave", data=data).json["status"] == "saved"
    reused = client.post(f"{url}/autosave", data={**data, "q-total_workers": "50"})

    assert reused.status_code == 409
    assert reused.json["status"] == "refused"
    assert "already received" in reused.json["message"]
    assert _answers(app, assessment_id)["total_workers"] == 12


def test_an_expired_token_gets_a_fresh_one_and_the_resend_saves(
    app, client, answering, monkeypatch
):
    assessment_id, url, _contact = answering
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    data = {**SAMPLE_ANSWERS[1], **_hidden(client.get(url).text), "csrf_token": "expired"}

    expired = client.post(f"{url}/autosave", data=data)

    assert expired.status_code == 400
    assert expired.json["status"] == "expired"
    resent = client.post(f"{url}/autosave", data={**data, "csrf_token": expired.json["csrf_token"]})
    assert resent.json["status"] == "saved"
    assert _answers(app, assessment_id)["total_workers"] == 12


def test_a_signed_out_autosave_keeps_the_answers_for_the_next_sign_in(app, client, answering):
    assessment_id, url, _contact = answering
    hidden = _hidden(client.get(url).text)
    client.delete_cookie("session")

    response = client.post(f"{url}/autosave", data={**SAMPLE_ANSWERS[1], **hidden})

    assert response.status_code == 401
    assert response.json["status"] == "signed_out"
    assert "kept what you typed" in response.json["message"]
    assert _answers(app, assessment_id) == {}


def test_another_suppliers_assessment_is_not_found(
    app, client, answering, make_supplier, make_assessment
):
    other_supplier, _other_contact = make_supplier()
    other = make_assessment(other_supplier)

    response = client.post(f"/s/assessments/{other}/sections/1/autosave", data=SAMPLE_ANSWERS[1])

    assert response.status_code == 404
    assert _answers(app, other) == {}


def test_a_submitted_assessment_refuses_an_autosave(app, client, answering):
    assessment_id, url, _contact = answering
    for number, answers in SAMPLE_ANSWERS.items():
        section = f"/s/assessments/{assessment_id}/sections/{number}"
        client.post(section, data={**answers, **_hidden(client.get(section).text)})
    client.post(f"/s/assessments/{assessment_id}/submit")

    response = client.post(f"{url}/autosave", data={**SAMPLE_ANSWERS[1], "q-total_workers": "1"})

    assert response.status_code == 409
    assert response.json["status"] == "refused"
    assert _answers(app, assessment_id)["total_workers"] == 12


def test_a_buyer_cannot_autosave(client, answering, make_buyer, sign_in_buyer):
    _assessment_id, url, _contact = answering
    sign_in_buyer(make_buyer())
    assert client.post(f"{url}/autosave", data=SAMPLE_ANSWERS[1]).status_code == 403
