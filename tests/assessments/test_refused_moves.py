"""A refused move of an assessment, whatever the view answers, changes no row anywhere."""

from __future__ import annotations

import pytest

from tests.answers_fixture import SAMPLE_ANSWERS


@pytest.fixture
def phone(app, make_supplier, make_assessment, issue_link):
    """The supplier's signed-in client and its assessment, every section saved: (client, id)."""
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    phone = app.test_client()
    phone.post(f"/link/{issue_link(contact_id)}")
    for number, answers in SAMPLE_ANSWERS.items():
        url = f"/s/assessments/{assessment_id}/sections/{number}"
        assert phone.post(url, data=answers).status_code == 302
    return phone, assessment_id


@pytest.fixture
def buyer(client, make_buyer, sign_in_buyer):
    sign_in_buyer(make_buyer())
    return client


def _submit(phone, assessment_id):
    assert phone.post(f"/s/assessments/{assessment_id}/submit").status_code == 302


def test_submitting_an_accepted_assessment_from_an_old_tab_changes_nothing(
    phone, buyer, database_unchanged
):
    phone, assessment_id = phone
    _submit(phone, assessment_id)
    assert buyer.post(f"/b/assessments/{assessment_id}/accept").status_code == 302

    with database_unchanged():
        response = phone.post(f"/s/assessments/{assessment_id}/submit", follow_redirects=True)

    assert "This assessment is already accepted; it cannot change now." in response.text


def test_submitting_with_required_answers_missing_changes_nothing(
    app, make_supplier, make_assessment, issue_link, database_unchanged
):
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    phone = app.test_client()
    phone.post(f"/link/{issue_link(contact_id)}")
    phone.post(f"/s/assessments/{assessment_id}/sections/1", data=SAMPLE_ANSWERS[1])

    with database_unchanged():
        response = phone.post(f"/s/assessments/{assessment_id}/submit", follow_redirects=True)

    assert "required questions are still unanswered" in response.text


def test_saving_a_section_of_a_submitted_assessment_changes_nothing(phone, database_unchanged):
    phone, assessment_id = phone
    _submit(phone, assessment_id)

    with database_unchanged():
        response = phone.post(
            f"/s/assessments/{assessment_id}/sections/1",
            data={**SAMPLE_ANSWERS[1], "q-total_workers": "13"},
        )

    assert response.status_code == 409


@pytest.mark.parametrize(
    ("state", "action", "data"),
    [
        ("accepted", "accept", {}),  # a second tab, or a double click
        ("accepted", "return", {"comment": "Why?"}),
        ("returned", "accept", {}),
        ("returned", "return", {"comment": "Why?"}),
        ("in_progress", "accept", {}),
        ("in_progress", "return", {"comment": "Why?"}),
        ("submitted", "return", {"comment": " "}),  # says nothing to the supplier
        ("submitted", "accept", {"comment": "x" * 2001}),
    ],
)
def test_a_refused_review_changes_nothing(phone, buyer, database_unchanged, state, action, data):
    phone, assessment_id = phone
    if state != "in_progress":
        _submit(phone, assessment_id)
    if state == "accepted":
        buyer.post(f"/b/assessments/{assessment_id}/accept")
    elif state == "returned":
        buyer.post(f"/b/assessments/{assessment_id}/return", data={"comment": "Check q1"})

    with database_unchanged():
        response = buyer.post(f"/b/assessments/{assessment_id}/{action}", data=data)

    assert response.status_code == 302  # back to the page, with the reason flashed


def test_the_refusal_is_shown_after_the_rollback(phone, buyer):
    phone, assessment_id = phone
    _submit(phone, assessment_id)
    buyer.post(f"/b/assessments/{assessment_id}/accept")

    page = buyer.post(f"/b/assessments/{assessment_id}/accept", follow_redirects=True).text

    assert "Only a submitted assessment can be reviewed." in page


@pytest.mark.parametrize("action", ["accept", "return"])
def test_a_supplier_posting_a_review_changes_nothing(phone, database_unchanged, action):
    phone, assessment_id = phone
    _submit(phone, assessment_id)

    with database_unchanged():
        response = phone.post(f"/b/assessments/{assessment_id}/{action}", data={"comment": "ok"})

    assert response.status_code in (302, 403, 404)


def test_another_supplier_submitting_changes_nothing(
    app, phone, make_supplier, issue_link, database_unchanged
):
    _phone, assessment_id = phone
    _supplier_id, other_contact = make_supplier()
    other = app.test_client()
    other.post(f"/link/{issue_link(other_contact)}")

    with database_unchanged():
        response = other.post(f"/s/assessments/{assessment_id}/submit")

    assert response.status_code == 404
