"""A save reads the stored answers once, under the lock, and runs a fixed number of statements.

Saves are what 200 suppliers do at once (benchmarks/save_load.py); every statement is a
round trip to PostgreSQL while the assessment's row is locked.
"""

from __future__ import annotations

from portal.assessments.logic import current_answers, store_section
from portal.assessments.models import Answer, Assessment
from portal.assessments.stamps import section_stamps
from portal.auth.models import User
from portal.extensions import db
from portal.questionnaires.answers import field_name
from tests.answers_fixture import SAMPLE_ANSWERS, post_section

LATER_SAVE_STATEMENTS = 8  # user, assessment, lock, receipt, answers, upsert, receipt, confirm


def _form(answers: dict) -> dict[str, list[str]]:
    return {key: value if isinstance(value, list) else [value] for key, value in answers.items()}


def test_a_save_runs_the_same_few_statements_however_many_answers_it_carries(
    client, make_supplier, make_assessment, sign_in_supplier, count_queries
):
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    sign_in_supplier(contact_id)
    base = f"/s/assessments/{assessment_id}/sections"
    post_section(client, f"{base}/1", {**SAMPLE_ANSWERS[1], "action": "stay"})  # the first

    counts = []
    for number in (2, 3, 4):
        page = client.get(f"{base}/{number}").text
        stamps = page.split('name="stamps" value="', 1)[1].split('"', 1)[0]
        save_id = page.split('name="save_id" value="', 1)[1].split('"', 1)[0]
        data = {**SAMPLE_ANSWERS[number], "stamps": stamps, "save_id": save_id, "action": "stay"}
        with count_queries() as statements:
            response = client.post(f"{base}/{number}", data=data)
        assert response.status_code == 302
        counts.append(len(statements))

    assert counts == [LATER_SAVE_STATEMENTS] * 3, counts  # 5, 3 and 3 answers


def test_a_stored_section_tells_the_answers_before_and_after_as_stored(
    app, ctx, make_supplier, make_assessment
):
    supplier_id, contact_id = make_supplier()
    assessment = db.session.get(Assessment, make_assessment(supplier_id))
    contact = db.session.get(User, contact_id)
    section = assessment.questionnaire.definition.sections[0]

    first = store_section(assessment, section, _form(SAMPLE_ANSWERS[1]), by=contact)
    assert first.errors == {}
    assert first.before == {}
    assert first.after == current_answers(assessment)

    # Another device changes one answer; this form, opened before, changes another one.
    opened = section_stamps(section, first.after)
    db.session.execute(
        Answer.__table__.update()
        .where(Answer.assessment_id == assessment.id, Answer.question_key == "weekly_hours")
        .values(value=50)
    )
    typed = {**SAMPLE_ANSWERS[1], "q-total_workers": "13"}
    second = store_section(assessment, section, _form(typed), by=contact, stamps=opened)

    assert second.errors == {}
    assert second.before["weekly_hours"] == 50
    assert second.after == current_answers(assessment)
    assert second.after["weekly_hours"] == 50  # left as the other device saved it
    assert second.after["total_workers"] == 13


def test_a_refused_or_resent_save_leaves_the_answers_as_they_were(
    app, ctx, make_supplier, make_assessment
):
    supplier_id, contact_id = make_supplier()
    assessment = db.session.get(Assessment, make_assessment(supplier_id))
    contact = db.session.get(User, contact_id)
    section = assessment.questionnaire.definition.sections[0]
    form = _form(SAMPLE_ANSWERS[1])
    store_section(assessment, section, form, by=contact, save_id="resent-save-0001")
    stored = current_answers(assessment)

    resent = store_section(assessment, section, form, by=contact, save_id="resent-save-0001")
    bad = {**form, field_name(section.questions[1]): ["lots"]}
    invalid = store_section(assessment, section, bad, by=contact, stamps="")

    assert resent.errors == {}
    assert resent.before == resent.after == stored
    assert invalid.errors
    assert invalid.before == invalid.after == stored
    assert current_answers(assessment) == stored
