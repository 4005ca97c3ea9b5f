"""The supplier sees every answer before submitting, reads them back afterwards, and is told
what really happens next once they are accepted."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest

from portal.actions.logic import create_action
from portal.assessments.models import Assessment
from portal.assessments.next_steps import NextSteps
from portal.assessments.review import accept
from portal.auth.models import User
from portal.extensions import db
from portal.findings.logic import record_finding
from portal.questionnaires.definition import parse_definition
from tests.answers_fixture import SAMPLE_ANSWERS
from tests.conftest import SAMPLE

DEFINITION = parse_definition(SAMPLE.read_text("utf-8"))


def label(key: str, language: str = "en") -> str:
    return DEFINITION.question(key).label[language]


def answer_rows(page: str) -> dict[str, str]:
    """Question label -> answer shown, from the answer sheet of a page."""
    rows = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", page, re.S)
    return {
        html.unescape(dt).strip(): html.unescape(re.sub(r"<[^>]+>", "", dd)).strip()
        for dt, dd in rows
    }


@pytest.fixture
def supplier(make_supplier, make_assessment, sign_in_supplier):
    """(supplier_id, contact_id, assessment_id), the contact signed in on `client`."""
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    sign_in_supplier(contact_id)
    return supplier_id, contact_id, assessment_id


def _answer(client, assessment_id: int, answers: dict = SAMPLE_ANSWERS) -> None:
    for number, values in answers.items():
        url = f"/s/assessments/{assessment_id}/sections/{number}"
        assert client.post(url, data={**values, "action": "next"}).status_code == 302


def _submit(client, assessment_id: int) -> None:
    _answer(client, assessment_id)
    assert client.post(f"/s/assessments/{assessment_id}/submit").status_code == 302


def test_check_and_submit_shows_every_section_and_answer_or_not_answered(client, supplier):
    _supplier, _contact, assessment = supplier
    _answer(client, assessment, {1: SAMPLE_ANSWERS[1]})

    page = client.get(f"/s/assessments/{assessment}/review").text

    for section in DEFINITION.sections:
        assert html.escape(section.title["en"]) in page
    rows = answer_rows(page)
    assert rows[label("total_workers")] == "12 workers"
    assert rows[label("weekly_hours")].startswith("45")
    assert (
        rows[label("written_contracts")]
        == DEFINITION.question("written_contracts").options[0].label["en"]
    )
    assert rows[label("employs_minors")] == "No"
    assert rows[label("hs_responsible")] == "Not answered"
    assert rows[label("certifications")] == "Not answered"
    assert label("workers_under_18") not in rows  # its show-if does not hold
    for number in range(1, len(DEFINITION.sections) + 1):
        assert f'href="/s/assessments/{assessment}/sections/{number}"' in page


def test_check_and_submit_shows_the_follow_ups_the_answers_open(client, supplier):
    _supplier, _contact, assessment = supplier
    five = {**SAMPLE_ANSWERS[5], "q-certifications": ["iso9001", "other"]}
    five["q-certifications_other"] = "BSCI\nsince 2021"
    _answer(client, assessment, {**SAMPLE_ANSWERS, 5: five})

    rows = answer_rows(client.get(f"/s/assessments/{assessment}/review").text)

    assert rows[label("certifications")] == "ISO 9001 (quality), Other"
    assert rows[label("certifications_other")] == "BSCI\nsince 2021"
    assert rows[label("env_improvements")] == "Not answered"  # optional, still listed


def test_submitted_answers_can_be_read_from_the_home_page(app, client, supplier):
    _supplier, _contact, assessment = supplier
    _submit(client, assessment)

    home = client.get("/s/").text
    assert f'href="/s/assessments/{assessment}/answers"' in home
    page = client.get(f"/s/assessments/{assessment}/answers")

    assert page.status_code == 200
    main = page.text.split("<main", 1)[1].split("</main>")[0]
    for field in ("<form", "<input", "<textarea", "<select"):  # read-only
        assert field not in main
    rows = answer_rows(page.text)
    assert rows[label("hs_responsible")] == "Ana López"
    assert rows[label("certifications")] == "None"
    assert "Your customer is reviewing these answers" in page.text


def test_an_open_assessment_has_no_answers_page_but_its_review(client, supplier):
    _supplier, _contact, assessment = supplier

    response = client.get(f"/s/assessments/{assessment}/answers")

    assert response.headers["Location"] == f"/s/assessments/{assessment}/review"


def test_another_suppliers_answers_are_not_found(
    app, client, supplier, make_supplier, make_assessment, issue_link
):
    _supplier, _contact, assessment = supplier
    _submit(client, assessment)
    _other_supplier, other = make_supplier()
    stranger = app.test_client()
    stranger.post(f"/link/{issue_link(other)}")

    assert stranger.get(f"/s/assessments/{assessment}/answers").status_code == 404
    assert client.get("/s/assessments/999999/answers").status_code == 404


def test_a_buyer_cannot_open_the_suppliers_answers_page(
    app, client, supplier, make_buyer, sign_in_buyer
):
    _supplier, _contact, assessment = supplier
    _submit(client, assessment)
    client.post("/sign-out")
    sign_in_buyer(make_buyer())

    assert client.get(f"/s/assessments/{assessment}/answers").status_code == 403


# --- after acceptance -----------------------------------------------------------------------


def _accept(app, assessment_id: int, buyer_id: int, *, comment: str = "", actions=()) -> None:
    with app.test_request_context():
        assessment = db.session.get(Assessment, assessment_id)
        buyer = db.session.get(User, buyer_id)
        for title, due in actions:
            finding = record_finding(
                assessment, by=buyer, title=title, severity="high", description="Seen."
            )
            create_action(
                finding,
                by=buyer,
                title=title,
                what_must_change="Fix it.",
                due_date=due,
                today=date(2000, 1, 1),
            )
        accept(assessment, by=buyer, comment=comment)
        db.session.commit()


def test_after_acceptance_what_happens_next_lists_open_actions_and_the_next_date(
    app, client, supplier, make_buyer
):
    _supplier, _contact, assessment = supplier
    _submit(client, assessment)
    due = date.today() + timedelta(days=20)
    late = date.today() - timedelta(days=3)
    _accept(
        app,
        assessment,
        make_buyer(),
        comment="Good work on safety.",
        actions=[("Give written contracts", due), ("Mark the exits", late)],
    )

    page = html.unescape(client.get(f"/s/assessments/{assessment}/submitted").text)

    assert "Your customer wrote: Good work on safety." in re.sub(r"<[^>]+>", "", page)
    assert "2 corrective actions are open." in page
    assert "Give written contracts" in page
    assert "Mark the exits" in page
    assert "Overdue since" in page
    assert re.search(r'href="/s/actions/\d+"><bdi>Give written contracts</bdi></a>', page)
    assert "Your customer will ask you to answer again around" in page
    assert "Your customer reviews your answers" not in page  # no generic text
    assert f'href="/s/assessments/{assessment}/report.pdf"' in page


def test_after_acceptance_without_actions_there_is_nothing_to_do(app, client, supplier, make_buyer):
    _supplier, _contact, assessment = supplier
    _submit(client, assessment)
    _accept(app, assessment, make_buyer())

    page = html.unescape(client.get(f"/s/assessments/{assessment}/submitted").text)

    assert "No corrective action is open from these answers" in page
    assert "Your customer wrote" not in page


def test_after_acceptance_a_waiting_reassessment_is_the_next_step(
    app, client, supplier, make_buyer, make_assessment
):
    supplier_id, _contact, assessment = supplier
    _submit(client, assessment)
    _accept(app, assessment, make_buyer())
    again = make_assessment(supplier_id, due=date.today() + timedelta(days=40))

    page = html.unescape(client.get(f"/s/assessments/{assessment}/submitted").text)

    assert "A new questionnaire is waiting for you" in page
    assert f'href="/s/assessments/{again}"' in page


def test_before_acceptance_what_happens_next_says_the_review_comes_first(client, supplier):
    _supplier, _contact, assessment = supplier
    _submit(client, assessment)

    page = html.unescape(client.get(f"/s/assessments/{assessment}/submitted").text)

    assert "Your customer reviews your answers" in page
    assert f'href="/s/assessments/{assessment}/answers"' in page


@pytest.mark.parametrize(
    ("next_due", "due_now"),
    [(None, True), (date.today() - timedelta(days=1), True), (date.today(), True)]
    + [(date.today() + timedelta(days=1), False)],
)
def test_the_next_assessment_is_due_now_once_its_date_has_come(next_due, due_now):
    steps = NextSteps(open_actions=(), comment="", next_open=None, next_due=next_due)

    assert steps.due_now is due_now
