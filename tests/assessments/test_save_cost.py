"""A save reads the stored answers once, under the lock, and runs a fixed number of statements.

Saves are what 200 suppliers do at once (benchmarks/save_load.py); every statement is a
round trip to PostgreSQL while the assessment's row is locked.
"""

from __future__ import annotations

import pytest

from portal.assessments.logic import current_answers, store_section
from portal.assessments.models import Answer, Assessment
from portal.assessments.stamps import section_stamps
from portal.assessments.status import TransitionRefused
from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.questionnaires.answers import field_name
from tests.answers_fixture import SAMPLE_ANSWERS

# user, the assessment read under its lock, receipt, answers, upsert, receipt
LATER_SAVE_STATEMENTS = 6
# and the move to in progress: its audit row, the status, the dashboard row's status
FIRST_SAVE_STATEMENTS = LATER_SAVE_STATEMENTS + 3


def _form(answers: dict) -> dict[str, list[str]]:
    return {key: value if isinstance(value, list) else [value] for key, value in answers.items()}


def test_a_save_runs_the_same_few_statements_however_many_answers_it_carries(
    client, make_supplier, make_assessment, sign_in_supplier, count_queries
):
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    sign_in_supplier(contact_id)
    base = f"/s/assessments/{assessment_id}/sections"

    counts = []
    for number in (1, 2, 3, 4):
        page = client.get(f"{base}/{number}").text
        stamps = page.split('name="stamps" value="', 1)[1].split('"', 1)[0]
        save_id = page.split('name="save_id" value="', 1)[1].split('"', 1)[0]
        data = {**SAMPLE_ANSWERS[number], "stamps": stamps, "save_id": save_id, "action": "stay"}
        with count_queries() as statements:
            response = client.post(f"{base}/{number}", data=data)
        assert response.status_code == 302
        counts.append(len(statements))

    # 6, 5, 3 and 3 answers
    assert counts == [FIRST_SAVE_STATEMENTS] + [LATER_SAVE_STATEMENTS] * 3, counts


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


def test_a_save_reads_the_assessment_afresh_under_its_lock(
    app, ctx, make_supplier, make_assessment
):
    """What was read before the lock may be stale: a submit on another connection came
    first, so the save waiting for the lock must be refused, not undo the submission."""
    supplier_id, contact_id = make_supplier()
    assessment = db.session.get(Assessment, make_assessment(supplier_id))
    contact = db.session.get(User, contact_id)
    section = assessment.questionnaire.definition.sections[0]
    assert assessment.status == "invited"  # read before the lock
    db.session.execute(
        Assessment.__table__.update()
        .where(Assessment.id == assessment.id)
        .values(status="submitted", submitted_at=utcnow())
    )

    with pytest.raises(TransitionRefused):
        store_section(assessment, section, _form(SAMPLE_ANSWERS[1]), by=contact)
    assert assessment.status == "submitted"
    assert current_answers(assessment) == {}


def test_sections_confirmed_meanwhile_on_another_device_stay_confirmed(
    app, ctx, make_supplier, make_assessment
):
    supplier_id, contact_id = make_supplier()
    earlier = make_assessment(supplier_id)
    assessment = db.session.get(Assessment, make_assessment(supplier_id))
    contact = db.session.get(User, contact_id)
    assessment.previous_id = earlier  # a reassessment: each section is confirmed by a Save
    assessment.prefilled = True
    db.session.flush()
    first, second = assessment.questionnaire.definition.sections[:2]
    assert assessment.confirmed_sections == []  # read before the lock
    db.session.execute(  # the other device saved the second section meanwhile
        Assessment.__table__.update()
        .where(Assessment.id == assessment.id)
        .values(confirmed_sections=[second.key])
    )

    store_section(assessment, first, _form(SAMPLE_ANSWERS[1]), by=contact)
    db.session.flush()

    db.session.expire(assessment)
    assert sorted(assessment.confirmed_sections) == sorted([first.key, second.key])
