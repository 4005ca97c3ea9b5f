"""A word longer than a line wraps in the PDF reports: every letter is printed, and no
line runs past the edge of the page."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from portal.assessments.models import Assessment
from portal.assessments.review import accept
from portal.auth.models import User
from portal.extensions import db
from portal.findings.logic import record_finding
from tests.answers_fixture import SAMPLE_ANSWERS

ANSWER, COMMENT, DESCRIPTION = "W" * 2000, "C" * 2000, "D" * 1500
# An unbroken run of letters no longer than this fits on one line of the page: 9.5 pt
# letters are at least 0.5 em wide, and the text area of A4 is under 180 mm.
LONGEST_LINE = int(180 / 25.4 * 72 / (0.5 * 9.5))


def _runs(data: bytes) -> list[str]:
    """Every unbroken run of letters drawn by one text operation, on every page."""
    runs: list[str] = []
    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=lambda text, *_: runs.extend(re.findall(r"\w+", text)))
    return runs


def _printed(runs: list[str], letter: str) -> int:
    return sum(run.count(letter) for run in runs if set(run) == {letter})


def test_a_2000_letter_word_wraps_in_the_feedback_report(
    app, client, make_supplier, answer_and_submit, buyer, sign_in_supplier
):
    supplier_id, contact_id = make_supplier()
    answers = {**SAMPLE_ANSWERS, 3: {**SAMPLE_ANSWERS[3], "q-env_improvements": ANSWER}}
    assessment_id = answer_and_submit(supplier_id, contact_id, answers)
    with app.test_request_context():
        assessment = db.session.get(Assessment, assessment_id)
        by = db.session.get(User, buyer)
        record_finding(
            assessment,
            by=by,
            title="Improvements",
            severity="low",
            description=DESCRIPTION,
            question_key="env_improvements",
        )
        accept(assessment, by=by, comment=COMMENT)
        db.session.commit()
    sign_in_supplier(contact_id)
    response = client.get(f"/s/assessments/{assessment_id}/report.pdf")
    assert response.status_code == 200
    runs = _runs(response.data)
    for letter, typed in (("W", ANSWER), ("C", COMMENT), ("D", DESCRIPTION)):
        assert _printed(runs, letter) == len(typed), letter
    assert max(len(run) for run in runs) <= LONGEST_LINE
