"""Bidirectional controls typed into the portal are not stored, and user-written text is
shown isolated from the words around it, on pages and in the PDF reports."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.actions.models import ActionUpdate
from portal.assessments.models import Answer
from portal.auth.models import Role
from portal.extensions import db
from portal.findings.models import Finding
from portal.typed_input import BIDI_CONTROLS, isolated, without_bidi_controls
from tests.answers_fixture import SAMPLE_ANSWERS
from tests.reports.conftest import pdf_text

RLO, PDF_MARK, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"
TRICK = f"We fixed {RLO}gnp.exe{PDF_MARK} the leaks {LRI}and more"
CLEAN = "We fixed gnp.exe the leaks and more"


@pytest.mark.parametrize(
    "control", [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]
)
def test_every_embedding_override_and_isolate_control_is_removed(control):
    assert without_bidi_controls(f"a{control}b") == "ab"


def test_marks_and_right_to_left_text_are_kept():
    arabic = "\u0645\u0635\u0646\u0639 \u200f(12)\u200e \u061c\u0627"
    assert without_bidi_controls(arabic) == arabic


def test_the_bdi_filter_escapes_and_isolates():
    assert isolated("<b>Sol & Co</b>") == "<bdi>&lt;b&gt;Sol &amp; Co&lt;/b&gt;</bdi>"


def _answered(app, client, make_supplier, make_assessment, sign_in_supplier):
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    sign_in_supplier(contact_id)
    answers = {**SAMPLE_ANSWERS, 3: {**SAMPLE_ANSWERS[3], "q-env_improvements": TRICK}}
    for number, values in answers.items():
        url = f"/s/assessments/{assessment_id}/sections/{number}"
        assert client.post(url, data=values).status_code == 302
    assert client.post(f"/s/assessments/{assessment_id}/submit").status_code == 302
    client.post("/sign-out")
    return assessment_id, contact_id


def test_an_answer_is_stored_without_controls_and_shown_isolated_to_the_buyer(
    app, client, make_supplier, make_assessment, sign_in_supplier, make_buyer, sign_in_buyer
):
    assessment_id, _contact = _answered(
        app, client, make_supplier, make_assessment, sign_in_supplier
    )
    with app.app_context():
        stored = db.session.scalar(
            select(Answer.value).where(
                Answer.assessment_id == assessment_id, Answer.question_key == "env_improvements"
            )
        )
    assert stored == CLEAN
    sign_in_buyer(make_buyer())
    page = client.get(f"/b/assessments/{assessment_id}").text
    assert f"<bdi>{CLEAN}</bdi>" in page
    assert not BIDI_CONTROLS.search(page)


def test_buyer_texts_are_stored_without_controls_and_shown_isolated(
    app, client, make_supplier, make_assessment, sign_in_supplier, make_buyer, sign_in_buyer
):
    assessment_id, contact_id = _answered(
        app, client, make_supplier, make_assessment, sign_in_supplier
    )
    sign_in_buyer(make_buyer())
    created = client.post(
        f"/b/assessments/{assessment_id}/findings/new",
        data={"title": f"Leaks {RLO}kaeL", "severity": "low", "description": TRICK},
    )
    assert created.status_code == 302, created.text
    with app.app_context():
        finding = db.session.scalar(select(Finding).where(Finding.assessment_id == assessment_id))
        assert (finding.title, finding.description) == ("Leaks kaeL", CLEAN)
    assert (
        "<strong><bdi>Leaks kaeL</bdi></strong>"
        in client.get(f"/b/assessments/{assessment_id}").text
    )
    returned = client.post(
        f"/b/assessments/{assessment_id}/return",
        data={"comment": TRICK, "comment-env_improvements": f"Which {RLO}skael?"},
    )
    assert returned.status_code == 302
    client.post("/sign-out")
    sign_in_supplier(contact_id)
    section = client.get(f"/s/assessments/{assessment_id}/sections/3").text
    assert "<bdi>Which skael?</bdi>" in section
    assert not BIDI_CONTROLS.search(section)


def test_an_action_update_note_is_stored_without_controls(
    app, client, make_supplier, make_assessment, sign_in_supplier, make_buyer, sign_in_buyer
):
    from portal.actions.logic import create_action
    from portal.auth.models import User

    assessment_id, contact_id = _answered(
        app, client, make_supplier, make_assessment, sign_in_supplier
    )
    buyer = make_buyer()
    sign_in_buyer(buyer)
    client.post(
        f"/b/assessments/{assessment_id}/findings/new",
        data={"title": "Leaks", "severity": "low", "description": ""},
    )
    client.post("/sign-out")
    with app.test_request_context():
        finding = db.session.scalar(select(Finding).where(Finding.assessment_id == assessment_id))
        action = create_action(
            finding,
            by=db.session.get(User, buyer),
            title="Fix the leaks",
            what_must_change="No leak left.",
            responsible_name="Ana",
            due_date=finding.created_at.date().replace(year=finding.created_at.year + 1),
        )
        db.session.commit()
        action_id = action.id
    sign_in_supplier(contact_id)
    posted = client.post(
        f"/s/actions/{action_id}/updates",
        data={"note": TRICK, "percent": "50"},
        content_type="multipart/form-data",
    )
    assert posted.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ActionUpdate.note)) == CLEAN


def test_a_password_is_compared_as_typed(app, client):
    from portal.auth.logic import create_user

    password = f"correct {RLO}horse battery"
    with app.app_context():
        create_user("rtl@example.com", Role.BUYER, name="Rita", password=password)
        db.session.commit()
    response = client.post("/sign-in", data={"email": "rtl@example.com", "password": password})
    assert response.status_code == 302


def test_a_search_is_read_without_controls(app, client, make_supplier, make_buyer, sign_in_buyer):
    make_supplier(name="Taller Sol")
    sign_in_buyer(make_buyer())
    page = client.get(f"/b/suppliers/?q=Sol{RLO}").text
    assert "Taller Sol" in page
    assert not BIDI_CONTROLS.search(page)


def test_an_imported_supplier_name_is_stored_without_controls(app):
    from portal.suppliers.import_reading import read_rows

    data = f"name,country,category,contact_email\nTaller {RLO}loS,MX,Textiles,a@b.example\n"
    with app.test_request_context():
        [row] = read_rows(data.encode())
    assert row.cells["name"] == "Taller loS"


def test_the_feedback_report_isolates_what_people_wrote(
    app, client, make_supplier, make_assessment, sign_in_supplier, make_buyer, sign_in_buyer
):
    from portal.assessments.models import Assessment
    from portal.reports.documents import feedback_html

    assessment_id, contact_id = _answered(
        app, client, make_supplier, make_assessment, sign_in_supplier
    )
    sign_in_buyer(make_buyer())
    client.post(
        f"/b/assessments/{assessment_id}/findings/new?question=env_improvements",
        data={"title": f"Leaks {RLO}kaeL", "severity": "low", "description": TRICK},
    )
    assert client.post(f"/b/assessments/{assessment_id}/accept").status_code == 302
    client.post("/sign-out")
    with app.test_request_context():
        html = feedback_html(db.session.get(Assessment, assessment_id), "en", "a4")
    assert "<bdi>Leaks kaeL</bdi>" in html
    assert f"<bdi>{CLEAN}</bdi>" in html
    sign_in_supplier(contact_id)
    pdf = client.get(f"/s/assessments/{assessment_id}/report.pdf")
    assert pdf.status_code == 200
    text = pdf_text(pdf.data)
    assert "Leaks kaeL" in text
    assert not BIDI_CONTROLS.search(text)
