"""A reassessment starts from the last accepted answers; the supplier confirms each section."""

from __future__ import annotations

import re

import pytest
import yaml

from portal.assessments.logic import assign, current_answers
from portal.assessments.models import Assessment
from portal.extensions import db
from portal.questionnaires.logic import import_questionnaire
from portal.questionnaires.models import QuestionnaireVersion
from portal.suppliers.models import Supplier
from tests.answers_fixture import SAMPLE_ANSWERS, post_section
from tests.conftest import SAMPLE


@pytest.fixture
def accepted(app, make_supplier, make_assessment, issue_link, make_buyer):
    """A supplier whose first assessment was submitted and accepted: (supplier, contact, it)."""
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    phone = app.test_client()
    phone.post(f"/link/{issue_link(contact_id)}")
    for number, answers in SAMPLE_ANSWERS.items():
        post_section(phone, f"/s/assessments/{assessment_id}/sections/{number}", data=answers)
    phone.post(f"/s/assessments/{assessment_id}/submit")
    buyer = app.test_client()
    buyer.post(
        "/sign-in", data={"email": _email(app, make_buyer()), "password": "correct horse battery"}
    )
    assert buyer.post(f"/b/assessments/{assessment_id}/accept").status_code == 302
    return supplier_id, contact_id, assessment_id


def _email(app, user_id):
    from portal.auth.models import User

    with app.app_context():
        return db.session.get(User, user_id).email


def _reassess(app, supplier_id, version_id=None) -> int:
    with app.app_context():
        version = (
            db.session.get(QuestionnaireVersion, version_id)
            if version_id
            else (db.session.query(QuestionnaireVersion).first())
        )
        from datetime import date, timedelta

        assessment = assign(
            db.session.get(Supplier, supplier_id),
            version,
            date.today() + timedelta(days=30),
            by=None,
        )
        db.session.commit()
        return assessment.id


def _confirmed(app, assessment_id) -> list:
    with app.app_context():
        return db.session.get(Assessment, assessment_id).confirmed_sections


def _answers(app, assessment_id):
    with app.app_context():
        return current_answers(db.session.get(Assessment, assessment_id))


def test_a_reassessment_starts_with_the_last_accepted_answers(app, accepted):
    supplier_id, _contact, first = accepted
    first_answers = _answers(app, first)

    again = _reassess(app, supplier_id)

    assert _answers(app, again) == {k: v for k, v in first_answers.items() if v is not None}
    with app.app_context():
        assert db.session.get(Assessment, again).previous_id is not None


def test_questions_new_or_changed_in_a_newer_version_are_the_only_blank_ones(app, accepted):
    supplier_id, _contact, _first = accepted
    data = yaml.safe_load(SAMPLE.read_text())
    data["version"] = 2
    workers = data["sections"][0]["questions"]
    contracts = next(q for q in workers if q["key"] == "written_contracts")
    contracts["options"] = [o for o in contracts["options"] if o["key"] != "all"]
    contracts.pop("score", None)
    contracts.pop("critical", None)
    labels = {code: f"New ({code})?" for code in data["languages"]}
    workers.append({"key": "has_canteen", "type": "yes_no", "label": labels})
    with app.app_context():
        version = import_questionnaire(yaml.safe_dump(data, allow_unicode=True), by=None)
        db.session.commit()
        version_id = version.id

    again = _reassess(app, supplier_id, version_id)
    answers = _answers(app, again)

    assert "has_canteen" not in answers  # new in version 2
    assert "written_contracts" not in answers  # the earlier answer "all" no longer exists
    assert answers["weekly_hours"] == 45


def test_every_section_must_be_confirmed_before_submitting_again(app, accepted, issue_link):
    supplier_id, contact_id, _first = accepted
    again = _reassess(app, supplier_id)
    phone = app.test_client()
    phone.post(f"/link/{issue_link(contact_id)}")

    section = phone.get(f"/s/assessments/{again}/sections/1").text
    assert "These answers come from your last assessment." in section
    assert 'value="12"' in section  # pre-filled
    review = phone.get(f"/s/assessments/{again}/review").text
    assert "5 sections still need your confirmation" in review
    refused = phone.post(f"/s/assessments/{again}/submit", follow_redirects=True)
    assert "5 sections still need your confirmation." in refused.text

    for number, answers in SAMPLE_ANSWERS.items():
        data = {**answers, "q-weekly_hours": "50"} if number == 1 else answers
        post_section(phone, f"/s/assessments/{again}/sections/{number}", data=data)
    assert "These answers come" not in phone.get(f"/s/assessments/{again}/sections/1").text
    assert phone.post(f"/s/assessments/{again}/submit").status_code == 302
    with app.app_context():
        assert db.session.get(Assessment, again).status == "submitted"


def test_an_autosave_does_not_confirm_a_carried_over_section_but_a_save_does(
    app, accepted, issue_link
):
    supplier_id, contact_id, _first = accepted
    again = _reassess(app, supplier_id)
    phone = app.test_client()
    phone.post(f"/link/{issue_link(contact_id)}")
    url = f"/s/assessments/{again}/sections/1"
    page = phone.get(url).text
    hidden = dict(re.findall(r'<input type="hidden" name="(stamps|save_id)" value="([^"]*)"', page))

    saved = phone.post(f"{url}/autosave", data={**SAMPLE_ANSWERS[1], **hidden})
    assert saved.json["status"] == "saved"
    assert _confirmed(app, again) == []
    post_section(phone, url, {**SAMPLE_ANSWERS[1], "action": "stay"})  # Save
    assert _confirmed(app, again) == ["workers"]


def test_a_first_assessment_has_no_sections_to_confirm(
    app, client, make_supplier, make_assessment, sign_in_supplier
):
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    sign_in_supplier(contact_id)
    for number, answers in SAMPLE_ANSWERS.items():
        post_section(client, f"/s/assessments/{assessment_id}/sections/{number}", data=answers)

    assert _confirmed(app, assessment_id) == []  # nothing was carried over to confirm
    assert "need your confirmation" not in client.get(f"/s/assessments/{assessment_id}/review").text
    assert client.post(f"/s/assessments/{assessment_id}/submit").status_code == 302
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).status == "submitted"


def test_the_buyer_sees_which_answers_changed_since_the_accepted_assessment(
    app, accepted, issue_link, client, make_buyer, sign_in_buyer
):
    supplier_id, contact_id, _first = accepted
    again = _reassess(app, supplier_id)
    phone = app.test_client()
    phone.post(f"/link/{issue_link(contact_id)}")
    for number, answers in SAMPLE_ANSWERS.items():
        data = {**answers, "q-weekly_hours": "50"} if number == 1 else answers
        post_section(phone, f"/s/assessments/{again}/sections/{number}", data=data)
    phone.post(f"/s/assessments/{again}/submit")
    sign_in_buyer(make_buyer())

    page = " ".join(client.get(f"/b/assessments/{again}").text.split())

    assert "1 answer changed since the assessment accepted on" in page
    changes = page.split("changes-title", 1)[1].split("</table>", 1)[0]
    assert "45 hours" in changes
    assert "50 hours" in changes


def test_a_submission_that_was_not_accepted_is_not_carried_over(
    app, make_supplier, make_assessment, issue_link
):
    supplier_id, contact_id = make_supplier()
    first = make_assessment(supplier_id)
    phone = app.test_client()
    phone.post(f"/link/{issue_link(contact_id)}")
    post_section(phone, f"/s/assessments/{first}/sections/1", data=SAMPLE_ANSWERS[1])

    again = _reassess(app, supplier_id)

    assert _answers(app, again) == {}
    with app.app_context():
        assert db.session.get(Assessment, again).previous_id is None
