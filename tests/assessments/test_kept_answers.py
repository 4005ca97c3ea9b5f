"""Answers typed after a sign-in ended are kept until the supplier signs in again."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.assessments.logic import current_answers
from portal.assessments.models import Assessment, KeptAnswers
from portal.auth.logic import revoke_links
from portal.auth.models import User
from portal.extensions import db
from tests.answers_fixture import SAMPLE_ANSWERS
from tests.conftest import csrf_token_from

TYPED = {**SAMPLE_ANSWERS[1], "q-total_workers": "37"}


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def _kept_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(KeptAnswers.id)))


def _answers(app, assessment_id: int) -> dict:
    with app.app_context():
        return current_answers(db.session.get(Assessment, assessment_id))


def _sign_in_again(client, issue_link, contact_id):
    token = issue_link(contact_id)
    page = client.get(f"/link/{token}")
    return client.post(f"/link/{token}", data={"csrf_token": csrf_token_from(page.text)})


def test_a_save_after_the_session_cookie_is_gone_keeps_the_typed_answers_for_later(
    app, client, csrf_on, make_supplier, make_assessment, issue_link
):
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    _sign_in_again(client, issue_link, contact_id)
    page = client.get(f"/s/assessments/{assessment_id}/sections/1")
    token = csrf_token_from(page.text)
    client.delete_cookie("session")  # the phone lost its cookie while the supplier typed

    response = client.post(
        f"/s/assessments/{assessment_id}/sections/1", data={**TYPED, "csrf_token": token}
    )

    assert response.status_code == 401
    assert "We have kept what you typed on this phone." in response.text
    assert 'name="email"' in response.text
    assert _kept_count(app) == 1
    assert _answers(app, assessment_id) == {}

    signed_in = _sign_in_again(client, issue_link, contact_id)
    home = client.get(signed_in.headers["Location"])
    assert home.status_code == 302
    assert home.headers["Location"] == f"/s/assessments/{assessment_id}/sections/1"
    section = client.get(home.headers["Location"])
    assert "We kept the answers you typed before your sign-in ended." in section.text
    assert 'value="37"' in section.text

    saved = client.post(
        f"/s/assessments/{assessment_id}/sections/1",
        data={**TYPED, "csrf_token": csrf_token_from(section.text)},
    )
    assert saved.status_code == 302
    assert _answers(app, assessment_id)["total_workers"] == 37
    assert _kept_count(app) == 0
    assert "We kept" not in client.get(f"/s/assessments/{assessment_id}/sections/1").text


def test_a_save_after_the_links_were_revoked_keeps_the_typed_answers(
    app, client, make_supplier, make_assessment, sign_in_supplier
):
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    sign_in_supplier(contact_id)
    with app.app_context():
        revoke_links(db.session.get(User, contact_id), by=None)
        db.session.commit()

    response = client.post(f"/s/assessments/{assessment_id}/sections/1", data=TYPED)

    assert response.status_code == 401
    assert _kept_count(app) == 1
    assert _answers(app, assessment_id) == {}


def test_kept_answers_are_never_shown_to_another_supplier(
    app, client, make_supplier, make_assessment, sign_in_supplier
):
    supplier_id, _contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    client.post(f"/s/assessments/{assessment_id}/sections/1", data=TYPED)
    assert _kept_count(app) == 1

    other_supplier, other_contact = make_supplier()
    other_assessment = make_assessment(other_supplier)
    sign_in_supplier(other_contact)  # same browser, another supplier

    assert client.get("/s/").status_code == 200
    page = client.get(f"/s/assessments/{other_assessment}/sections/1")
    assert "We kept" not in page.text
    assert 'value="37"' not in page.text
    assert client.get(f"/s/assessments/{assessment_id}/sections/1").status_code == 404


def test_nothing_is_kept_for_an_assessment_that_does_not_exist(app, client):
    response = client.post("/s/assessments/999/sections/1", data=TYPED)
    assert response.status_code == 401
    assert _kept_count(app) == 0
