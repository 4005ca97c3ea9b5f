"""Answers typed after a sign-in ended are kept until the supplier signs in again."""

from __future__ import annotations

import re

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


def _stamps(html: str) -> str:
    return re.search(r'name="stamps" value="([^"]*)"', html).group(1)


def test_answers_kept_in_two_tabs_come_back_for_each_section(
    app, client, csrf_on, make_supplier, make_assessment, issue_link
):
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    _sign_in_again(client, issue_link, contact_id)
    base = f"/s/assessments/{assessment_id}/sections"
    tokens = {n: csrf_token_from(client.get(f"{base}/{n}").text) for n in (1, 2)}
    client.delete_cookie("session")

    typed = {1: TYPED, 2: {**SAMPLE_ANSWERS[2], "q-hs_responsible": "Kept Two"}}
    for number in (1, 2):  # tab 1, then tab 2, both after the cookie was lost
        response = client.post(
            f"{base}/{number}", data={**typed[number], "csrf_token": tokens[number]}
        )
        assert response.status_code == 401
    assert _kept_count(app) == 2

    _sign_in_again(client, issue_link, contact_id)
    one, two = client.get(f"{base}/1").text, client.get(f"{base}/2").text
    assert "We kept the answers" in one
    assert 'value="37"' in one
    assert "We kept the answers" in two
    assert 'value="Kept Two"' in two

    saved = client.post(
        f"{base}/2", data={**typed[2], "csrf_token": csrf_token_from(two), "stamps": _stamps(two)}
    )
    assert saved.status_code == 302
    assert _kept_count(app) == 1  # section 1's kept answers still wait for their Save
    assert "We kept the answers" in client.get(f"{base}/1").text
    assert "We kept the answers" not in client.get(f"{base}/2").text


def test_a_restored_draft_still_notices_a_save_made_meanwhile_elsewhere(
    app, client, csrf_on, make_supplier, make_assessment, issue_link
):
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    url = f"/s/assessments/{assessment_id}/sections/1"
    laptop = app.test_client()
    _sign_in_again(laptop, issue_link, contact_id)
    laptop_page = laptop.get(url).text
    laptop.post(
        url,
        data={
            **SAMPLE_ANSWERS[1],
            "csrf_token": csrf_token_from(laptop_page),
            "stamps": _stamps(laptop_page),
        },
    )

    _sign_in_again(client, issue_link, contact_id)  # the phone opens the section ...
    page = client.get(url).text
    client.delete_cookie("session")  # ... and loses its cookie while the supplier types
    client.post(url, data={**TYPED, "csrf_token": csrf_token_from(page), "stamps": _stamps(page)})
    laptop_page = laptop.get(url).text  # meanwhile the laptop changes the same answer
    laptop.post(
        url,
        data={
            **SAMPLE_ANSWERS[1],
            "q-total_workers": "15",
            "csrf_token": csrf_token_from(laptop_page),
            "stamps": _stamps(laptop_page),
        },
    )

    _sign_in_again(client, issue_link, contact_id)
    restored = client.get(url).text
    assert _stamps(restored) == _stamps(page)  # the stamps it was typed against
    response = client.post(
        url, data={**TYPED, "csrf_token": csrf_token_from(restored), "stamps": _stamps(restored)}
    )

    assert response.status_code == 409
    assert "Saved on another device meanwhile: 15" in response.text
    assert 'value="37"' in response.text
    assert _answers(app, assessment_id)["total_workers"] == 15


def test_a_session_from_before_keeps_its_single_kept_draft(
    app, client, make_supplier, make_assessment, sign_in_supplier
):
    from werkzeug.datastructures import MultiDict

    from portal.assessments.kept import keep_typed_answers

    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    with app.test_request_context():
        token = keep_typed_answers(assessment_id, 1, MultiDict(TYPED))
        db.session.commit()
    sign_in_supplier(contact_id)
    with client.session_transaction() as session:
        session["kept"] = token  # as an older version kept it: one token

    assert 'value="37"' in client.get(f"/s/assessments/{assessment_id}/sections/1").text


def _keep_section_1(client, issue_link, contact_id, assessment_id):
    """Open section 1, lose the cookie, press Save: the typed answers are kept."""
    _sign_in_again(client, issue_link, contact_id)
    url = f"/s/assessments/{assessment_id}/sections/1"
    token = csrf_token_from(client.get(url).text)
    client.delete_cookie("session")
    assert client.post(url, data={**TYPED, "csrf_token": token}).status_code == 401


def test_a_kept_draft_is_shown_once_after_sign_in_and_does_not_trap_the_supplier(
    app, client, csrf_on, make_supplier, make_assessment, issue_link
):
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    _keep_section_1(client, issue_link, contact_id, assessment_id)

    signed_in = _sign_in_again(client, issue_link, contact_id)
    landing = client.get(signed_in.headers["Location"])
    assert landing.headers["Location"] == f"/s/assessments/{assessment_id}/sections/1"

    home = client.get("/s/")  # the brand link, "Your questionnaires": home, not the draft
    assert home.status_code == 200
    assert f'href="/s/assessments/{assessment_id}"' in home.text
    assert client.get("/s/actions").status_code == 200
    assert "We kept" not in client.get(f"/s/assessments/{assessment_id}/sections/2").text
    section = client.get(f"/s/assessments/{assessment_id}/sections/1").text
    assert "We kept the answers" in section  # still there, until it is saved
    assert 'value="37"' in section
    assert _kept_count(app) == 1


def test_a_kept_draft_of_an_assessment_submitted_meanwhile_leaves_home_open(
    app, client, csrf_on, make_supplier, make_assessment, issue_link
):
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    _keep_section_1(client, issue_link, contact_id, assessment_id)
    laptop = app.test_client()  # meanwhile the whole assessment is submitted elsewhere
    app.config["WTF_CSRF_ENABLED"] = False
    laptop.post(f"/link/{issue_link(contact_id)}")
    for number, answers in SAMPLE_ANSWERS.items():
        laptop.post(f"/s/assessments/{assessment_id}/sections/{number}", data=answers)
    assert laptop.post(f"/s/assessments/{assessment_id}/submit").status_code == 302
    app.config["WTF_CSRF_ENABLED"] = True

    signed_in = _sign_in_again(client, issue_link, contact_id)
    home = client.get(signed_in.headers["Location"])

    assert home.status_code == 200
    assert client.get("/s/").status_code == 200
