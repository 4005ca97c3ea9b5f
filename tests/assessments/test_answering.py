"""A supplier answers section by section on the phone pages, and submits; the buyer reads it."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC

import pytest
from babel.dates import format_datetime
from sqlalchemy import func, select

from portal.assessments.models import Answer, Assessment, AssessmentStatus, Revision
from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.questionnaires.definition import parse_definition
from tests.answers_fixture import SAMPLE_ANSWERS, post_section
from tests.conftest import SAMPLE, csrf_token_from

DEFINITION = parse_definition(SAMPLE.read_text("utf-8"))


# --- reading the rendered section form -------------------------------------------------------


def _fieldset(page: str, key: str) -> str:
    match = re.search(rf'<fieldset[^>]*\bid="q-{key}"[^>]*>.*?</fieldset>', page, re.S)
    assert match, f"no fieldset for question {key!r} in the page"
    return match.group(0)


def _is_hidden(page: str, key: str) -> bool:
    opening = re.search(rf'<fieldset[^>]*\bid="q-{key}"[^>]*>', page, re.S).group(0)
    return re.search(r"\shidden[\s>=]", opening) is not None


def _text_value(page: str, key: str) -> str:
    block = _fieldset(page, key)
    found = re.search(rf'<textarea name="q-{key}"[^>]*>(.*?)</textarea>', block, re.S)
    if found:
        return html.unescape(found.group(1))
    found = re.search(rf'<input[^>]*name="q-{key}"[^>]*value="([^"]*)"', block)
    assert found, f"no text input for {key!r}"
    return html.unescape(found.group(1))


def _checked(page: str, key: str) -> list[str]:
    block = _fieldset(page, key)
    ticked = rf'<input type="(?:radio|checkbox)" name="q-{key}" value="([^"]+)"[^>]*\schecked>'
    return re.findall(ticked, block)


def _error(page: str, key: str) -> str | None:
    found = re.search(r'<p class="error"[^>]*>(.*?)</p>', _fieldset(page, key), re.S)
    return html.unescape(found.group(1)).strip() if found else None


# --- set-up -----------------------------------------------------------------------------------


@dataclass
class Answering:
    assessment_id: int
    contact_id: int
    supplier_id: int

    def section(self, number: int) -> str:
        return f"/s/assessments/{self.assessment_id}/sections/{number}"

    @property
    def review(self) -> str:
        return f"/s/assessments/{self.assessment_id}/review"

    @property
    def submit(self) -> str:
        return f"/s/assessments/{self.assessment_id}/submit"

    @property
    def submitted(self) -> str:
        return f"/s/assessments/{self.assessment_id}/submitted"


@pytest.fixture
def answering(make_supplier, make_assessment, sign_in_supplier) -> Answering:
    """A fresh assessment and its supplier contact, signed in on `client`."""
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    sign_in_supplier(contact_id)
    return Answering(assessment_id, contact_id, supplier_id)


def _stored(app, assessment_id: int) -> dict:
    with app.app_context():
        rows = db.session.execute(
            select(Answer.question_key, Answer.value).where(Answer.assessment_id == assessment_id)
        )
        return dict(rows.all())


def _status(app, assessment_id: int) -> AssessmentStatus:
    with app.app_context():
        return AssessmentStatus(db.session.get(Assessment, assessment_id).status)


def _revisions(app, assessment_id: int) -> list[Revision]:
    with app.app_context():
        return list(
            db.session.scalars(select(Revision).where(Revision.assessment_id == assessment_id))
        )


def _answer_everything(client, answering: Answering) -> None:
    for number, answers in SAMPLE_ANSWERS.items():
        response = post_section(
            client, answering.section(number), data={**answers, "action": "next"}
        )
        assert response.status_code == 302, response.text


# --- saving drafts ----------------------------------------------------------------------------


def test_saving_a_section_stores_draft_answers_and_starts_the_assessment(app, client, answering):
    assert _status(app, answering.assessment_id) == AssessmentStatus.INVITED

    response = post_section(
        client, answering.section(1), data={**SAMPLE_ANSWERS[1], "action": "next"}
    )

    assert response.status_code == 302
    assert response.headers["Location"].endswith(answering.section(2))
    stored = _stored(app, answering.assessment_id)
    assert {key: value for key, value in stored.items() if value is not None} == {
        "total_workers": 12,
        "written_contracts": "all",
        "weekly_hours": 45,
        "minimum_wage": "all_paid",
        "keeps_id_or_deposit": "no",
        "employs_minors": "no",
    }
    assert _status(app, answering.assessment_id) == AssessmentStatus.IN_PROGRESS
    assert "Section saved." in client.get(response.headers["Location"]).text


def test_answers_come_back_on_another_device_signed_in_by_a_new_link(
    app, client, answering, issue_link
):
    post_section(client, answering.section(1), data={**SAMPLE_ANSWERS[1], "action": "stay"})
    post_section(client, answering.section(3), data={**SAMPLE_ANSWERS[3], "action": "stay"})

    phone = app.test_client()
    response = phone.post(f"/link/{issue_link(answering.contact_id)}")
    assert response.headers["Location"].endswith("/s/")

    page = phone.get(answering.section(1)).text
    assert _text_value(page, "total_workers") == "12"
    assert _text_value(page, "weekly_hours") == "45"
    assert _checked(page, "written_contracts") == ["all"]
    assert _checked(page, "minimum_wage") == ["all_paid"]
    assert _checked(page, "employs_minors") == ["no"]
    page = phone.get(answering.section(3)).text
    assert _checked(page, "waste_handling") == ["sorted_recycled", "collected"]
    assert _checked(page, "waste_water") == ["public_sewer"]


@pytest.mark.parametrize(
    ("key", "typed", "message"),
    [
        ("total_workers", "12a", "Enter a number."),
        ("weekly_hours", "150", "Enter a whole number between 0 and 100."),
        ("written_contracts", "sometimes", "Choose one of the options."),
    ],
)
def test_invalid_answer_is_refused_next_to_its_question_and_nothing_is_stored(
    app, client, answering, key, typed, message
):
    data = {**SAMPLE_ANSWERS[1], f"q-{key}": typed, "action": "next"}

    response = post_section(client, answering.section(1), data=data)

    assert response.status_code == 422
    page = response.text
    assert _error(page, key) == message
    assert "Nothing was saved yet" in page
    # Every other question shows no error and keeps what was typed.
    for other in ("total_workers", "weekly_hours", "written_contracts"):
        if other != key:
            assert _error(page, other) is None
    if key in ("total_workers", "weekly_hours"):
        assert _text_value(page, key) == typed
    else:
        assert _text_value(page, "total_workers") == "12"
    assert _text_value(page, "weekly_hours") == (typed if key == "weekly_hours" else "45")
    assert _checked(page, "minimum_wage") == ["all_paid"]
    assert _checked(page, "keeps_id_or_deposit") == ["no"]
    assert _stored(app, answering.assessment_id) == {}
    assert _status(app, answering.assessment_id) == AssessmentStatus.INVITED


def test_invalid_answer_does_not_overwrite_earlier_draft(app, client, answering):
    post_section(client, answering.section(1), data={**SAMPLE_ANSWERS[1], "action": "stay"})
    before = _stored(app, answering.assessment_id)

    data = {**SAMPLE_ANSWERS[1], "q-total_workers": "20", "q-weekly_hours": "lots"}
    response = post_section(client, answering.section(1), data=data)

    assert response.status_code == 422
    assert _text_value(response.text, "total_workers") == "20"
    assert _stored(app, answering.assessment_id) == before


# --- show-if without JavaScript ---------------------------------------------------------------


def test_answer_that_opens_a_follow_up_returns_to_it_in_the_same_section(app, client, answering):
    data = {**SAMPLE_ANSWERS[1], "q-employs_minors": "yes", "action": "next"}

    response = post_section(client, answering.section(1), data=data)

    assert response.status_code == 302
    assert response.headers["Location"].endswith(answering.section(1) + "#q-workers_under_18")
    page = client.get(answering.section(1)).text
    assert not _is_hidden(page, "workers_under_18")
    assert not _is_hidden(page, "minors_work")
    assert "Your answers opened more questions in this section." in page


def test_follow_up_is_rendered_hidden_when_its_condition_is_not_met(client, answering):
    response = post_section(
        client, answering.section(1), data={**SAMPLE_ANSWERS[1], "action": "next"}
    )

    assert response.headers["Location"].endswith(answering.section(2))
    page = client.get(answering.section(1)).text
    assert _is_hidden(page, "workers_under_18")
    assert _is_hidden(page, "minors_work")
    assert not _is_hidden(page, "employs_minors")


def test_refused_save_shows_the_follow_ups_that_the_typed_answers_open(client, answering):
    post_section(client, answering.section(1), data={**SAMPLE_ANSWERS[1], "action": "stay"})
    data = {**SAMPLE_ANSWERS[1], "q-employs_minors": "yes", "q-total_workers": "many"}

    response = post_section(client, answering.section(1), data=data)

    assert response.status_code == 422
    assert _checked(response.text, "employs_minors") == ["yes"]
    assert not _is_hidden(response.text, "workers_under_18")
    assert not _is_hidden(response.text, "minors_work")


def test_refused_save_hides_the_follow_ups_that_the_typed_answers_close(client, answering):
    minors = {**SAMPLE_ANSWERS[1], "q-employs_minors": "yes", "q-workers_under_18": "2"}
    post_section(client, answering.section(1), data={**minors, "action": "stay"})
    data = {**minors, "q-employs_minors": "no", "q-total_workers": "many"}

    response = post_section(client, answering.section(1), data=data)

    assert response.status_code == 422
    assert _is_hidden(response.text, "workers_under_18")
    assert _text_value(response.text, "workers_under_18") == "2"  # still posted next time


def test_answers_to_follow_ups_that_became_hidden_are_not_submitted(app, client, answering):
    minors = {
        **SAMPLE_ANSWERS[1],
        "q-employs_minors": "yes",
        "q-workers_under_18": "2",
        "q-minors_work": "Packing after school",
    }
    post_section(client, answering.section(1), data={**minors, "action": "stay"})
    assert _stored(app, answering.assessment_id)["workers_under_18"] == 2
    # Without JavaScript the hidden fields are still posted with their old values.
    post_section(
        client, answering.section(1), data={**minors, "q-employs_minors": "no", "action": "stay"}
    )
    _answer_everything(client, answering)

    response = client.post(answering.submit)

    assert response.headers["Location"].endswith(answering.submitted)
    (revision,) = _revisions(app, answering.assessment_id)
    assert revision.answers["employs_minors"] == "no"
    assert "workers_under_18" not in revision.answers
    assert "minors_work" not in revision.answers
    assert revision.answers["total_workers"] == 12


# --- review and submit ------------------------------------------------------------------------


def _submit_button(page: str) -> str:
    return re.search(r'<button type="submit"[^>]*>\s*Submit my answers', page).group(0)


def test_review_lists_unanswered_required_questions_with_links_and_disables_submit(
    client, answering
):
    post_section(client, answering.section(1), data={**SAMPLE_ANSWERS[1], "action": "stay"})

    page = client.get(answering.review).text

    for key, number in [
        ("protective_equipment", 2),
        ("emergency_exits", 2),
        ("env_permits", 3),
        ("anti_bribery_rule", 4),
        ("grievance_channel", 5),
    ]:
        assert f'href="{answering.section(number)}#q-{key}"' in page
    assert "Do you give workers the protective equipment they need, free of charge?" in page
    assert "#q-total_workers" not in page  # answered
    assert "#q-hs_responsible" not in page  # optional
    assert "#q-workers_under_18" not in page  # hidden follow-up
    assert "disabled" in _submit_button(page)


def test_review_enables_submit_when_everything_required_is_answered(client, answering):
    _answer_everything(client, answering)

    page = client.get(answering.review).text

    assert "All required questions are answered." in page
    assert "disabled" not in _submit_button(page)


def test_submit_with_missing_answers_is_refused_with_a_message_and_changes_nothing(
    app, client, answering
):
    post_section(client, answering.section(1), data={**SAMPLE_ANSWERS[1], "action": "stay"})
    with app.app_context():
        audit_rows = db.session.scalar(select(func.count(AuditEntry.id)))

    response = client.post(answering.submit)

    assert response.status_code == 302
    assert response.headers["Location"].endswith(answering.review)
    page = client.get(response.headers["Location"]).text
    assert "required questions are still unanswered" in page
    assert _status(app, answering.assessment_id) == AssessmentStatus.IN_PROGRESS
    assert _revisions(app, answering.assessment_id) == []
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEntry.id))) == audit_rows
        assert db.session.get(Assessment, answering.assessment_id).submitted_at is None


def test_double_submit_makes_one_revision_and_both_taps_see_the_confirmation(
    app, client, answering
):
    _answer_everything(client, answering)

    first = client.post(answering.submit)
    second = client.post(answering.submit)

    assert first.status_code == second.status_code == 302
    assert first.headers["Location"].endswith(answering.submitted)
    assert second.headers["Location"].endswith(answering.submitted)
    assert len(_revisions(app, answering.assessment_id)) == 1
    assert _status(app, answering.assessment_id) == AssessmentStatus.SUBMITTED
    page = client.get(answering.submitted).text
    assert "Thank you, your answers are submitted" in page
    assert "What happens next" in page


def test_after_submit_sections_redirect_to_the_confirmation(client, answering):
    _answer_everything(client, answering)
    client.post(answering.submit)

    for url in (
        answering.section(2),
        answering.review,
        f"/s/assessments/{answering.assessment_id}",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].endswith(answering.submitted)


def test_saving_after_submit_is_refused_keeps_what_was_typed_and_stores_nothing(
    app, client, answering
):
    _answer_everything(client, answering)
    client.post(answering.submit)
    before = _stored(app, answering.assessment_id)

    data = {**SAMPLE_ANSWERS[1], "q-total_workers": "99", "q-weekly_hours": "40"}
    response = post_section(client, answering.section(1), data=data)

    assert response.status_code == 409
    page = response.text
    assert "its answers can no longer be changed" in page
    assert _text_value(page, "total_workers") == "99"
    assert _text_value(page, "weekly_hours") == "40"
    assert _stored(app, answering.assessment_id) == before
    assert len(_revisions(app, answering.assessment_id)) == 1


# --- an expired form token --------------------------------------------------------------------


def test_expired_form_token_shows_the_typed_answers_again_and_stores_nothing(
    app, client, answering, monkeypatch
):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    data = {**SAMPLE_ANSWERS[1], "q-total_workers": "17", "csrf_token": "expired-or-forged"}

    response = post_section(client, answering.section(1), data={**data, "action": "next"})

    assert response.status_code == 400
    page = response.text
    assert "press Save again" in page
    assert _text_value(page, "total_workers") == "17"
    assert _text_value(page, "weekly_hours") == "45"
    assert _checked(page, "written_contracts") == ["all"]
    assert _checked(page, "minimum_wage") == ["all_paid"]
    assert _stored(app, answering.assessment_id) == {}
    assert _status(app, answering.assessment_id) == AssessmentStatus.INVITED

    # The page carries a fresh token: pressing Save again works.
    data["csrf_token"] = csrf_token_from(page)
    response = post_section(client, answering.section(1), data={**data, "action": "next"})
    assert response.status_code == 302
    assert _stored(app, answering.assessment_id)["total_workers"] == 17


# --- what the pages show ----------------------------------------------------------------------


def test_section_page_says_which_section_of_how_many(client, answering):
    page = client.get(answering.section(2)).text

    assert "Section 2 of 5" in page
    assert "<h1>Health and safety</h1>" in page
    assert "Section 5 of 5" in client.get(answering.section(5)).text


def test_buyer_sees_every_answer_by_section_with_labels_units_and_who_submitted(
    app, client, answering, make_buyer, sign_in_buyer
):
    _answer_everything(client, answering)
    client.post(answering.submit)
    (revision,) = _revisions(app, answering.assessment_id)
    client.post("/sign-out")
    sign_in_buyer(make_buyer())

    response = client.get(f"/b/assessments/{answering.assessment_id}")

    assert response.status_code == 200
    page = html.unescape(response.text)
    with app.app_context():
        contact = db.session.get(Assessment, answering.assessment_id).supplier.contact
        who = contact.display_name
    when = format_datetime(revision.submitted_at, "medium", tzinfo=UTC, locale="en")
    assert f"{when} by {who}" in page

    blocks = re.findall(r'<section class="card answers">(.*?)</section>', page, re.S)
    assert len(blocks) == len(DEFINITION.sections)
    for section, block in zip(DEFINITION.sections, blocks, strict=True):
        assert section.title["en"] in block
    expected = {
        1: ["12 workers", "45 hours", "Yes, all of them", "Yes, every worker"],
        2: ["Ana López", "March 14, 2026"],
        3: [],
        4: [],
        5: [],
    }
    for number, answers in SAMPLE_ANSWERS.items():
        block = blocks[number - 1]
        for field, value in answers.items():
            question = DEFINITION.question(field.removeprefix("q-"))
            assert question.label["en"] in block
            values = value if isinstance(value, list) else [value]
            for option in question.options:
                if option.key in values:
                    assert option.label["en"] in block, (question.key, option.key)
        for shown in expected[number]:
            assert shown in block
    for key in ("all_paid", "yes_all", "have_all", "sorted_recycled", "public_sewer"):
        assert key not in page
    # A hidden follow-up is not listed as unanswered.
    assert DEFINITION.question("workers_under_18").label["en"] not in page
