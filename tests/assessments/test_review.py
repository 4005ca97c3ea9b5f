"""The buyer accepts a submission or returns it with questions; the supplier amends it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal.assessments.models import Assessment, ReviewComment, Revision
from portal.audit.models import AuditEntry
from portal.extensions import db
from tests.answers_fixture import SAMPLE_ANSWERS, post_section


@pytest.fixture
def submitted(app, make_supplier, make_assessment, issue_link):
    """A fully answered and submitted assessment; returns (assessment id, contact id)."""
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    phone = app.test_client()
    phone.post(f"/link/{issue_link(contact_id)}")
    for number, answers in SAMPLE_ANSWERS.items():
        post_section(phone, f"/s/assessments/{assessment_id}/sections/{number}", data=answers)
    assert phone.post(f"/s/assessments/{assessment_id}/submit").status_code == 302
    return assessment_id, contact_id


@pytest.fixture
def buyer(client, make_buyer, sign_in_buyer):
    sign_in_buyer(make_buyer())
    return client


def _state(app, assessment_id):
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        return assessment.status, [(r.number, r.decision) for r in assessment.revisions]


def test_buyer_accepts_a_submission(app, buyer, submitted):
    assessment_id, _contact = submitted

    response = buyer.post(f"/b/assessments/{assessment_id}/accept", data={"comment": "Thanks"})

    assert response.status_code == 302
    assert _state(app, assessment_id) == ("accepted", [(1, "accepted")])
    page = buyer.get(f"/b/assessments/{assessment_id}").text
    assert "Thanks" in page
    assert "Your review" not in page  # nothing left to decide
    with app.app_context():
        moves = db.session.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == "assessment_status")
        ).all()
    assert {"from_status": "submitted", "to_status": "accepted"} in moves


def test_accepting_twice_is_refused_and_changes_nothing(app, buyer, submitted):
    assessment_id, _contact = submitted
    buyer.post(f"/b/assessments/{assessment_id}/accept")

    response = buyer.post(f"/b/assessments/{assessment_id}/accept", follow_redirects=True)

    assert "Only a submitted assessment can be reviewed." in response.text
    assert _state(app, assessment_id) == ("accepted", [(1, "accepted")])


def test_returning_needs_a_comment_and_refuses_unknown_questions(app, buyer, submitted):
    assessment_id, _contact = submitted

    empty = buyer.post(
        f"/b/assessments/{assessment_id}/return",
        data={"comment": "  ", "comment-total_workers": ""},
        follow_redirects=True,
    )
    unknown = buyer.post(
        f"/b/assessments/{assessment_id}/return",
        data={"comment-nope": "Why?"},
        follow_redirects=True,
    )

    assert "write a comment or a question on an answer" in empty.text
    assert "not in this questionnaire" in unknown.text
    assert _state(app, assessment_id) == ("submitted", [(1, None)])


def test_returned_submission_is_amended_and_the_buyer_sees_what_changed(
    app, buyer, submitted, issue_link, mailbox
):
    assessment_id, contact_id = submitted
    response = buyer.post(
        f"/b/assessments/{assessment_id}/return",
        data={
            "comment": "Two questions, please.",
            "comment-weekly_hours": "Is 45 hours including overtime?",
        },
    )
    assert response.status_code == 302
    assert _state(app, assessment_id) == ("returned", [(1, "returned")])

    # the contact is told, in a mail with a link that signs in
    ((recipient, subject, body),) = mailbox
    assert subject == "Your customer has questions about your answers"
    link = re.search(r"http://localhost(/link/\S+)", body).group(1)
    phone = app.test_client()
    phone.post(link)
    home = phone.get("/s/").text
    assert "Your customer has questions about your answers." in home
    overview = phone.get(f"/s/assessments/{assessment_id}").text
    assert "Two questions, please." in overview
    assert f"/s/assessments/{assessment_id}/sections/1#q-weekly_hours" in overview
    section = phone.get(f"/s/assessments/{assessment_id}/sections/1").text
    assert "Your customer asks:" in section
    assert "Is 45 hours including overtime?" in section

    post_section(
        phone,
        f"/s/assessments/{assessment_id}/sections/1",
        data={**SAMPLE_ANSWERS[1], "q-weekly_hours": "52"},
    )
    assert phone.post(f"/s/assessments/{assessment_id}/submit").status_code == 302
    assert _state(app, assessment_id) == ("submitted", [(1, "returned"), (2, None)])

    latest = buyer.get(f"/b/assessments/{assessment_id}").text
    assert "1 answer changed since revision 1" in " ".join(latest.split())
    changes = latest.split("changes-title", 1)[1].split("</table>", 1)[0]
    assert "45 hours" in changes
    assert "52 hours" in changes
    first = buyer.get(f"/b/assessments/{assessment_id}?revision=1").text
    assert "Is 45 hours including overtime?" in first
    assert "Your review" not in first  # an earlier revision is read-only
    with app.app_context():
        assert db.session.scalar(select(func.count(ReviewComment.id))) == 1
        assert db.session.scalar(select(func.count(Revision.id))) == 2


def test_an_unknown_revision_number_is_not_found(buyer, submitted):
    assessment_id, _contact = submitted
    assert buyer.get(f"/b/assessments/{assessment_id}?revision=9").status_code == 404


def test_an_assessment_still_being_answered_cannot_be_reviewed(
    app, buyer, make_supplier, make_assessment
):
    supplier_id, _contact = make_supplier()
    assessment_id = make_assessment(supplier_id)

    buyer.post(f"/b/assessments/{assessment_id}/accept")
    buyer.post(f"/b/assessments/{assessment_id}/return", data={"comment": "Hm"})

    assert _state(app, assessment_id) == ("invited", [])


@pytest.mark.parametrize("action", ["accept", "return"])
def test_a_supplier_cannot_review_its_own_submission(
    app, client, submitted, sign_in_supplier, action
):
    assessment_id, contact_id = submitted
    sign_in_supplier(contact_id)

    response = client.post(f"/b/assessments/{assessment_id}/{action}", data={"comment": "ok"})

    assert response.status_code == 403
    assert _state(app, assessment_id) == ("submitted", [(1, None)])
