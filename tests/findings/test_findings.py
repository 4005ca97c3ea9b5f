"""Buyers record findings from red flags, from any answer or on their own; nothing else can."""

from __future__ import annotations

import re

import pytest
from flask import render_template_string
from sqlalchemy import func, select

from portal.assessments.models import Assessment
from portal.audit.models import AuditEntry
from portal.auth.models import User
from portal.extensions import db
from portal.findings.logic import FindingRefused, findings_for, proposal, record_finding
from portal.findings.models import Finding
from portal.suppliers.models import SupplierContact
from tests.answers_fixture import SAMPLE_ANSWERS

EXITS_FINDING = "Emergency exits are locked or not clearly marked while people work."
EXITS_LOCKED = {**SAMPLE_ANSWERS, 2: {**SAMPLE_ANSWERS[2], "q-emergency_exits": "no"}}


@pytest.fixture
def submit(client, make_supplier, make_assessment, sign_in_supplier, sign_in_buyer):
    """Submit an assessment as its supplier (exits locked: one critical red flag), sign out,
    then sign in as `then` (a buyer's id) when given."""

    def submit_one(answers=EXITS_LOCKED, *, then: int | None = None, locale: str = "en") -> int:
        supplier_id, contact_id = make_supplier(locale=locale)
        assessment_id = make_assessment(supplier_id)
        sign_in_supplier(contact_id)
        for number, values in answers.items():
            url = f"/s/assessments/{assessment_id}/sections/{number}"
            assert client.post(url, data=values).status_code == 302
        assert client.post(f"/s/assessments/{assessment_id}/submit").status_code == 302
        client.post("/sign-out")
        if then is not None:
            sign_in_buyer(then)
        return assessment_id

    return submit_one


@pytest.fixture
def buyer(make_buyer) -> int:
    return make_buyer()


def _new(assessment_id: int, question: str | None = None) -> str:
    url = f"/b/assessments/{assessment_id}/findings/new"
    return f"{url}?question={question}" if question else url


def _findings(app) -> list[Finding]:
    with app.app_context():
        rows = db.session.scalars(select(Finding).order_by(Finding.id)).all()
        db.session.expunge_all()
        return list(rows)


# --- recording through the page --------------------------------------------------------


def test_a_red_flag_prefills_the_definitions_finding_and_severity(app, client, submit, buyer):
    assessment_id = submit(then=buyer)

    page = client.get(_new(assessment_id, "emergency_exits"))

    assert page.status_code == 200
    assert "Are emergency exits clearly marked and never locked" in page.text  # the question …
    assert "<dd>No" in page.text  # … and the supplier's answer
    assert f'value="{EXITS_FINDING}"' in page.text
    assert "In a fire, workers could be trapped and die" in page.text
    assert '<option selected value="critical">critical</option>' in page.text

    response = client.post(
        _new(assessment_id, "emergency_exits"),
        data={"title": EXITS_FINDING, "severity": "critical", "description": "Seen on site."},
    )

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/b/assessments/{assessment_id}#findings")
    [finding] = _findings(app)
    assert (finding.question_key, finding.critical_rule) == ("emergency_exits", 0)
    assert (finding.title, finding.severity, finding.description) == (
        EXITS_FINDING,
        "critical",
        "Seen on site.",
    )
    assert finding.created_by_id == buyer
    assert finding.revision_id is not None


def test_the_proposal_is_in_the_suppliers_language_and_the_labels_in_the_buyers(
    app, client, submit, buyer
):
    english_supplier = submit(then=buyer)

    page = client.get(_new(english_supplier, "emergency_exits"), headers={"Accept-Language": "fr"})

    assert EXITS_FINDING in page.text.replace("&#39;", "'")  # the supplier reads English
    assert "Les sorties de secours sont fermées" not in page.text
    assert '<option selected value="critical">critique</option>' in page.text
    assert "Le fournisseur lit en anglais : écrivez en anglais." in page.text.replace("&#39;", "'")


def test_a_red_flag_is_proposed_in_the_language_the_supplier_reads(app, client, submit, buyer):
    client.post("/sign-out")
    french_supplier = submit(locale="fr", then=buyer)

    page = client.get(_new(french_supplier, "emergency_exits"))  # the buyer reads English

    text = page.text.replace("&#39;", "'")
    assert "Les sorties de secours sont fermées à clé ou mal signalées pendant le travail." in text
    assert "The supplier reads French: write in French." in text
    assert '<option selected value="critical">critical</option>' in page.text


def test_a_finding_from_a_plain_answer_starts_blank_at_medium(app, client, submit, buyer):
    assessment_id = submit(then=buyer)

    page = client.get(_new(assessment_id, "total_workers"))

    assert page.status_code == 200
    assert "How many people work for you today?" in page.text
    assert re.search(r'<input [^>]*name="title" [^>]*value="">', page.text)
    assert '<option selected value="medium">' in page.text
    assert "raised a red flag" not in page.text

    response = client.post(
        _new(assessment_id, "total_workers"),
        data={"title": "Headcount does not match the payroll", "severity": "low"},
    )

    assert response.status_code == 302
    [finding] = _findings(app)
    assert (finding.question_key, finding.critical_rule, finding.severity) == (
        "total_workers",
        None,
        "low",
    )


def test_a_finding_without_a_question(app, client, submit, buyer):
    assessment_id = submit(then=buyer)

    assert client.get(_new(assessment_id)).status_code == 200
    response = client.post(
        _new(assessment_id),
        data={"title": "No fire extinguishers seen", "severity": "high", "description": ""},
    )

    assert response.status_code == 302
    [finding] = _findings(app)
    assert (finding.question_key, finding.critical_rule, finding.severity) == (None, None, "high")


def test_recording_appends_an_audit_row(app, client, submit, buyer):
    assessment_id = submit(then=buyer)
    client.post(_new(assessment_id), data={"title": "Dusty workshop", "severity": "low"})

    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "finding_recorded"))
        finding = db.session.scalar(select(Finding))
        assert (entry.object_type, entry.object_id) == ("finding", finding.id)
        assert entry.actor_id == buyer
        assert entry.supplier_id == finding.supplier_id
        assert entry.detail["severity"] == "low"


# --- bad input: a clear message, nothing stored ----------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "   ", "severity": "high"}, "This field is required."),
        ({"title": "x" * 201, "severity": "high"}, "Field cannot be longer than 200 characters."),
        ({"title": "Fine", "severity": "urgent"}, "Not a valid choice."),
        ({"title": "Fine", "severity": "high", "description": "x" * 5001}, "5000 characters"),
    ],
)
def test_bad_input_is_refused_with_a_message(app, client, submit, buyer, data, message):
    assessment_id = submit(then=buyer)

    response = client.post(_new(assessment_id, "emergency_exits"), data=data)

    assert response.status_code == 422
    assert message in response.text
    assert _findings(app) == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_question_or_assessment_is_not_found(client, submit, buyer, method):
    assessment_id = submit(then=buyer)
    data = {"title": "Fine", "severity": "high"}
    send = getattr(client, method)

    assert send(_new(assessment_id, "no_such_question"), data=data).status_code == 404
    assert send(_new(assessment_id + 1000), data=data).status_code == 404


def test_nothing_can_be_recorded_before_the_first_submission(
    app, client, make_supplier, make_assessment, buyer, sign_in_buyer
):
    supplier_id, _contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    sign_in_buyer(buyer)

    page = client.get(_new(assessment_id))
    response = client.post(_new(assessment_id), data={"title": "Too early", "severity": "high"})

    assert "once the supplier has submitted" in page.text
    assert 'name="title"' not in page.text
    assert response.status_code == 422
    assert "once the supplier has submitted" in response.text
    assert _findings(app) == []


# --- who may ------------------------------------------------------------------------------


@pytest.mark.parametrize("question", [None, "emergency_exits"])
def test_a_supplier_can_reach_none_of_the_finding_pages(
    app, client, submit, sign_in_supplier, question
):
    assessment_id = submit()
    with app.app_context():
        supplier_id = db.session.get(Assessment, assessment_id).supplier_id
        contact_id = db.session.scalar(_contact_of(supplier_id))
    sign_in_supplier(contact_id)

    assert client.get(_new(assessment_id, question)).status_code == 403
    response = client.post(_new(assessment_id, question), data={"title": "Mine", "severity": "low"})
    assert response.status_code == 403
    assert _findings(app) == []


def test_anonymous_visitors_are_sent_to_sign_in(app, client, submit):
    assessment_id = submit()

    for response in (
        client.get(_new(assessment_id)),
        client.post(_new(assessment_id), data={"title": "Anon", "severity": "low"}),
    ):
        assert response.status_code == 302
        assert "/sign-in" in response.headers["Location"]
    assert _findings(app) == []


# --- the logic, without HTTP ---------------------------------------------------------------


@pytest.fixture
def submitted(submit, make_buyer) -> tuple[int, int]:
    return submit(), make_buyer()


def _record(assessment_id: int, by_id: int, **changes) -> Finding:
    values = {"title": "Locked exit", "severity": "critical", "question_key": "emergency_exits"}
    return record_finding(
        db.session.get(Assessment, assessment_id),
        by=db.session.get(User, by_id),
        **{**values, **changes},
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": " "}, "Give the finding a title."),
        ({"title": "x" * 201}, "The title is too long (at most 200 characters)."),
        ({"description": "x" * 5001}, "The description is too long (at most 5000 characters)."),
        ({"severity": "urgent"}, "Choose a severity from the list."),
        ({"question_key": "no_such_question"}, "This question is not in the questionnaire."),
        ({"critical_rule": 1}, "This question has no such red flag."),
        ({"critical_rule": -1}, "This question has no such red flag."),
        ({"question_key": None, "critical_rule": 0}, "A red flag belongs to a question"),
    ],
)
def test_record_finding_refuses_bad_values(ctx, submitted, changes, message):
    assessment_id, buyer_id = submitted

    with pytest.raises(FindingRefused) as refused:
        _record(assessment_id, buyer_id, **changes)

    assert message in refused.value.message
    assert db.session.scalar(select(func.count(Finding.id))) == 0


def test_record_finding_refuses_a_supplier_user(ctx, submitted):
    assessment_id, _buyer_id = submitted
    supplier_id = db.session.get(Assessment, assessment_id).supplier_id
    contact_id = db.session.scalar(_contact_of(supplier_id))

    with pytest.raises(FindingRefused, match="Only buyers"):
        _record(assessment_id, contact_id)


def test_record_finding_refuses_before_the_first_submission(
    ctx, make_supplier, make_assessment, make_buyer
):
    supplier_id, _contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)

    with pytest.raises(FindingRefused, match="once the supplier has submitted"):
        _record(assessment_id, make_buyer())


def test_record_finding_links_the_latest_revision_and_trims(ctx, submitted):
    assessment_id, buyer_id = submitted

    finding = _record(assessment_id, buyer_id, title="  Locked exit ", critical_rule=0)

    assessment = db.session.get(Assessment, assessment_id)
    assert finding.revision is assessment.revisions[-1]
    assert finding.supplier_id == assessment.supplier_id
    assert (finding.title, finding.critical_rule) == ("Locked exit", 0)


def test_proposal_uses_the_first_sentence_of_the_finding_text(ctx, submitted):
    assessment = db.session.get(Assessment, submitted[0])

    flagged = proposal(assessment, "emergency_exits", "es")
    plain = proposal(assessment, "total_workers", "es")

    assert flagged["title"] == (
        "Las salidas de emergencia están cerradas con llave o mal señalizadas mientras se trabaja."
    )
    assert flagged["description"].startswith(flagged["title"])
    assert (flagged["severity"], flagged["critical_rule"]) == ("critical", 0)
    assert plain == {"title": "", "severity": "medium", "description": "", "critical_rule": None}


def test_findings_for_lists_newest_first_in_one_statement(ctx, submitted, count_queries):
    assessment_id, buyer_id = submitted
    for title in ("First", "Second", "Third"):
        _record(assessment_id, buyer_id, title=title)
    db.session.commit()
    db.session.expire_all()
    assessment = db.session.get(Assessment, assessment_id)

    with count_queries() as statements:
        findings = findings_for(assessment)
        shown = [(f.title, f.created_by.display_name, f.revision.number) for f in findings]

    assert len(statements) == 1
    assert shown == [
        ("Third", "Bea Buyer", 1),
        ("Second", "Bea Buyer", 1),
        ("First", "Bea Buyer", 1),
    ]


def test_the_list_partial_and_link_macro_render(ctx, submitted):
    assessment_id, buyer_id = submitted
    _record(assessment_id, buyer_id, title="Locked exit", description="Back door chained.")
    _record(assessment_id, buyer_id, title="General remark", severity="low", question_key=None)
    assessment = db.session.get(Assessment, assessment_id)

    html = render_template_string(
        '{% include "findings/_list.html" %}'
        '{% from "findings/_links.html" import finding_link %}'
        "{{ finding_link(assessment.id, 'emergency_exits') }}|{{ finding_link(assessment.id) }}",
        findings=findings_for(assessment),
        assessment=assessment,
        definition=assessment.questionnaire.definition,
        locale="en",
    )

    assert 'id="findings"' in html
    assert "2 findings" in html
    assert html.index("General remark") < html.index("Locked exit")
    assert "Back door chained." in html
    assert (
        '<a href="#q-emergency_exits">Are emergency exits clearly marked and never locked' in html
    )
    assert 'class="badge severity-critical"' in html
    assert "by Bea Buyer" in html
    assert f'href="/b/assessments/{assessment_id}/findings/new?question=emergency_exits"' in html
    assert f'href="/b/assessments/{assessment_id}/findings/new">Record a finding</a>' in html


def test_the_list_partial_says_when_there_are_none(ctx, submitted):
    assessment = db.session.get(Assessment, submitted[0])

    html = render_template_string(
        '{% include "findings/_list.html" %}',
        findings=[],
        definition=assessment.questionnaire.definition,
        locale="en",
    )

    assert "0 findings" in html
    assert "No findings recorded yet." in html


def _contact_of(supplier_id: int):
    return select(SupplierContact.user_id).where(SupplierContact.supplier_id == supplier_id)
