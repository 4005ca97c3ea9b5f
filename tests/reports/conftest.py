"""Reports test helpers: assessments answered on the phone, reviewed by a buyer, with
findings and corrective actions, and peers that answered the same questionnaire."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest

from portal.actions.logic import create_action
from portal.actions.models import ActionStatus
from portal.actions.status import change_action_status
from portal.assessments.models import Assessment
from portal.assessments.review import accept, latest_revision
from portal.auth.models import User
from portal.extensions import db
from portal.findings.logic import record_finding, red_flag_on
from tests.answers_fixture import SAMPLE_ANSWERS

# Exits locked (critical red flag) and some workers without a contract.
WITH_RED_FLAG = {
    **SAMPLE_ANSWERS,
    1: {**SAMPLE_ANSWERS[1], "q-written_contracts": "some"},
    2: {**SAMPLE_ANSWERS[2], "q-emergency_exits": "no"},
}
WEAKER = {
    **SAMPLE_ANSWERS,
    1: {**SAMPLE_ANSWERS[1], "q-written_contracts": "none"},
    5: {**SAMPLE_ANSWERS[5], "q-written_rules": "no"},
}


@pytest.fixture
def buyer(make_buyer) -> int:
    return make_buyer()


@pytest.fixture
def answer_and_submit(app, client, make_assessment, sign_in_supplier):
    """Answer every section on the phone as the supplier's contact and submit."""

    def run(supplier_id: int, contact_id: int, answers=SAMPLE_ANSWERS) -> int:
        assessment_id = make_assessment(supplier_id)
        sign_in_supplier(contact_id)
        for number, values in answers.items():
            url = f"/s/assessments/{assessment_id}/sections/{number}"
            assert client.post(url, data=values).status_code == 302
        assert client.post(f"/s/assessments/{assessment_id}/submit").status_code == 302
        client.post("/sign-out")
        return assessment_id

    return run


@pytest.fixture
def reviewed(app, make_supplier, answer_and_submit, buyer):
    """A supplier whose assessment (with a red flag) was accepted, with a finding on the
    locked exits and two actions: one open, one overdue. Returns a dict of ids."""

    def make(locale: str = "en", name: str = "Tejidos Andinos", actions: int = 2) -> dict:
        supplier_id, contact_id = make_supplier(name=name, locale=locale)
        assessment_id = answer_and_submit(supplier_id, contact_id, WITH_RED_FLAG)
        with app.test_request_context():
            by = db.session.get(User, buyer)
            assessment = db.session.get(Assessment, assessment_id)
            accept(assessment, by=by)
            flag = red_flag_on(latest_revision(assessment), "emergency_exits")
            finding = record_finding(
                assessment,
                by=by,
                title="Exits locked",
                severity="critical",
                description="Two exits were locked during the visit.",
                question_key="emergency_exits",
                critical_rule=flag["rule"],
            )
            action_ids = []
            for n in range(actions):
                action = create_action(
                    finding,
                    by=by,
                    title=f"Unlock exit door {n + 1}",
                    what_must_change="Keep every exit unlocked while people are at work.",
                    responsible_name="Ana Pérez",
                    responsible_role="Foreman",
                    due_date=date.today() + timedelta(days=10 + n) if n else date(2026, 1, 5),
                    today=date(2000, 1, 1),
                )
                action_ids.append(action.id)
            db.session.commit()
        return {
            "supplier": supplier_id,
            "contact": contact_id,
            "assessment": assessment_id,
            "finding": finding.id,
            "actions": action_ids,
        }

    return make


@pytest.fixture
def peers(app, make_supplier, answer_and_submit, buyer):
    """`count` other suppliers with an accepted assessment of the same questionnaire."""

    def make(count: int, answers=WEAKER) -> list[int]:
        ids = []
        for _ in range(count):
            supplier_id, contact_id = make_supplier()
            assessment_id = answer_and_submit(supplier_id, contact_id, answers)
            with app.test_request_context():
                accept(db.session.get(Assessment, assessment_id), by=db.session.get(User, buyer))
                db.session.commit()
            ids.append(supplier_id)
        return ids

    return make


def close_action(app, action_id: int) -> None:
    """The supplier reports the work done, the system walks the action to closed."""
    from portal.actions.logic import post_update
    from portal.actions.models import CorrectiveAction

    with app.test_request_context():
        action = db.session.get(CorrectiveAction, action_id)
        post_update(action, by=action.supplier.contact, note="Done.", percent=100)
        for to in (ActionStatus.READY_FOR_VERIFICATION, ActionStatus.CLOSED):
            change_action_status(action, to, by=None, comment="done")
        db.session.commit()


def pdf_text(data: bytes) -> str:
    """All the text of a PDF, pages joined, whitespace collapsed."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def pdf_fonts(data: bytes) -> set[str]:
    """The names of the fonts embedded in a PDF, without subset prefix or hyphens
    ("NotoSansArabic-Bold" and "Noto-Sans-Arabic-Bold" both give "NotoSansArabicBold")."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            if descriptor is None or not any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
            ):
                continue
            name = str(target["/BaseFont"]).lstrip("/").split("+", 1)[-1]
            names.add(name.replace("-", ""))
    return names


def pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)
