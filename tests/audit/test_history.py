"""A supplier's history: readable, newest first, exportable, and never rewritten."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select

from portal.audit.history import describe, history
from portal.audit.logic import record
from portal.audit.models import AuditEntry
from portal.auth.models import User
from portal.extensions import db
from tests.answers_fixture import SAMPLE_ANSWERS

START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def buyer(make_buyer, sign_in_buyer) -> int:
    buyer_id = make_buyer()
    sign_in_buyer(buyer_id)
    return buyer_id


def _history_url(supplier_id: int) -> str:
    return f"/b/suppliers/{supplier_id}/history/"


def _add(app, supplier_id: int, action: str, *, at: datetime, by: int | None = None, **detail):
    with app.app_context():
        entry = record(
            action,
            object_type="supplier",
            object_id=supplier_id,
            by=db.session.get(User, by) if by else None,
            supplier_id=supplier_id,
            **detail,
        )
        entry.at = at
        db.session.commit()


# --- sentences --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "detail", "english"),
    [
        (
            "assessment_status",
            {"from_status": "invited", "to_status": "in_progress"},
            "Assessment status: invited → in progress",
        ),
        ("link_issued", {}, "Sign-in link issued"),
        (
            "risk_changed",
            {"old_tier": "medium", "new_tier": "high", "old_score": "58.0", "new_score": "63"},
            "Risk changed: medium → high (58 → 63)",
        ),
        ("links_revoked", {"count": "2"}, "2 sign-in links revoked, sessions ended"),
        ("finding_recorded", {"severity": "critical"}, "Finding recorded (critical)"),
        ("action_verified", {"comment": "{'x': 1}"}, "Action verified"),  # added later
        ("assessment_status", {}, "Assessment status"),  # a broken detail is no crash
    ],
)
def test_each_action_reads_as_a_sentence(ctx, action, detail, english):
    entry = AuditEntry(action=action, object_type="x", object_id=1, detail=detail)
    assert describe(entry, "en") == english


def test_sentences_follow_the_readers_language(ctx):
    status = AuditEntry(
        action="assessment_status",
        object_type="assessment",
        object_id=1,
        detail={"from_status": "submitted", "to_status": "returned"},
    )
    risk = AuditEntry(
        action="risk_changed",
        object_type="supplier",
        object_id=1,
        detail={"old_tier": "low", "new_tier": "medium", "old_score": "20.5", "new_score": "41"},
    )
    assert describe(status, "fr") != describe(status, "en")
    assert describe(status, "es") != describe(status, "en")
    assert "20,5" in describe(risk, "fr")
    assert "{" not in describe(status, "fr")


# --- the page ---------------------------------------------------------------------------


def test_entries_are_listed_newest_first_with_who_and_when(app, client, buyer, make_supplier):
    supplier_id, _contact = make_supplier()
    with app.app_context():  # the creation, by the system, comes first
        db.session.get(AuditEntry, _entry_id(supplier_id)).at = START - timedelta(days=1)
        db.session.commit()
    _add(app, supplier_id, "link_issued", at=START, by=buyer)
    _add(app, supplier_id, "signed_in_by_link", at=START + timedelta(hours=1))

    page = client.get(_history_url(supplier_id))

    assert page.status_code == 200
    text = page.text
    rows = text.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr ")[1:]
    assert len(rows) == 3
    assert "Signed in with a link" in rows[0]
    assert "System" in rows[0]
    assert "Sign-in link issued" in rows[1]
    assert "Bea Buyer" in rows[1]
    assert "Supplier created" in rows[2]
    assert "System" in rows[2]
    assert "3/2/26" in rows[1]
    assert "9:30" in rows[1]
    assert 'datetime="2026-03-02T09:30:00' in rows[1]


def _entry_id(supplier_id: int) -> int:
    return db.session.scalar(
        select(AuditEntry.id).where(
            AuditEntry.supplier_id == supplier_id, AuditEntry.action == "supplier_created"
        )
    )


def test_the_supplier_page_links_to_its_history(client, buyer, make_supplier):
    supplier_id, _contact = make_supplier()
    assert _history_url(supplier_id) in client.get(f"/b/suppliers/{supplier_id}").text


def test_history_pages_hold_fifty_entries(app, client, buyer, make_supplier):
    supplier_id, _contact = make_supplier()
    for n in range(55):
        _add(app, supplier_id, "link_issued", at=START + timedelta(minutes=n))
    with app.app_context():
        first, second = history(supplier_id, page=1), history(supplier_id, page=2)
        assert (first.total, first.pages, len(first.entries), len(second.entries)) == (56, 2, 50, 6)
        moments = [e.at.replace(tzinfo=None) for e in first.entries + second.entries]
        assert moments == sorted(moments, reverse=True)
        assert history(supplier_id, page=99).page == 2
    assert "Next" in client.get(_history_url(supplier_id)).text
    assert "Previous" in client.get(_history_url(supplier_id) + "?page=2").text


def test_the_page_runs_the_same_statements_however_long_the_history(
    app, client, buyer, make_supplier, count_queries
):
    supplier_id, _contact = make_supplier()
    client.get(_history_url(supplier_id))  # warm up (first request loads things once)
    with count_queries() as short:
        assert client.get(_history_url(supplier_id)).status_code == 200
    for n in range(30):
        _add(app, supplier_id, "link_issued", at=START + timedelta(minutes=n), by=buyer)
    with count_queries() as long:
        assert client.get(_history_url(supplier_id)).status_code == 200
    assert len(long) == len(short)


# --- the export -------------------------------------------------------------------------


def test_the_export_has_a_header_and_neutralises_formulas(
    app, client, buyer, make_supplier, issue_link
):
    supplier_id, contact_id = make_supplier(name="=cmd")
    with app.app_context():
        db.session.get(User, contact_id).name = "=cmd|' /C calc'!A0"
        db.session.commit()
    app.test_client().post(f"/link/{issue_link(contact_id)}")  # audited with the contact

    response = client.get(f"/b/suppliers/{supplier_id}/history/export.csv")

    assert response.status_code == 200
    assert response.content_type.startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["When (UTC)", "Who", "What", "Action", "Object", "Object id"]
    assert rows[1][1] == "'=cmd|' /C calc'!A0"  # the newest: the contact signing in
    assert rows[1][2] == "Signed in with a link"
    assert rows[-1][1:4] == ["System", "Supplier created: =cmd", "supplier_created"]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


# --- access -----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["/history/", "/history/export.csv"])
def test_anonymous_visitors_are_sent_to_sign_in(client, make_supplier, suffix):
    supplier_id, _contact = make_supplier()
    response = client.get(f"/b/suppliers/{supplier_id}{suffix}")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("suffix", ["/history/", "/history/export.csv"])
def test_suppliers_may_not_read_histories(client, make_supplier, sign_in_supplier, suffix):
    supplier_id, contact_id = make_supplier()
    sign_in_supplier(contact_id)
    assert client.get(f"/b/suppliers/{supplier_id}{suffix}").status_code == 403


@pytest.mark.parametrize("suffix", ["/history/", "/history/export.csv"])
def test_an_unknown_supplier_is_not_found(client, buyer, suffix):
    assert client.get(f"/b/suppliers/9999{suffix}").status_code == 404


# --- append-only ------------------------------------------------------------------------


def test_the_application_never_updates_or_deletes_audit_rows(
    app, client, buyer, questionnaire, issue_link, count_queries
):
    rewritten: list[str] = []

    def refuse(kind):
        return lambda _mapper, _connection, target: rewritten.append(f"{kind} {target.action}")

    on_update, on_delete = refuse("update"), refuse("delete")
    event.listen(AuditEntry, "before_update", on_update)
    event.listen(AuditEntry, "before_delete", on_delete)
    try:
        with count_queries() as statements:
            supplier_id, assessment_id = _full_loop(app, client, questionnaire, issue_link)
    finally:
        event.remove(AuditEntry, "before_update", on_update)
        event.remove(AuditEntry, "before_delete", on_delete)

    assert rewritten == []
    touching = [
        s
        for s in statements
        if s.lstrip().upper().startswith(("UPDATE", "DELETE")) and "AUDIT_LOG" in s.upper()
    ]
    assert touching == []
    assert any(s.lstrip().upper().startswith("INSERT INTO AUDIT_LOG") for s in statements)

    page = client.get(_history_url(supplier_id)).text
    for sentence in (
        "Supplier created: Taller Sol",
        "Assessment assigned: ",
        "Sign-in link issued",
        "Signed in with a link",
        "Assessment status: invited → in progress",
        "Assessment status: in progress → submitted",
        "Assessment status: submitted → returned",
        "Assessment status: returned → submitted",
        "Assessment status: submitted → accepted",
        "Finding recorded (high)",
    ):
        assert sentence in page, sentence
    assert f'href="/b/assessments/{assessment_id}"' in page
    assert "{" not in page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def _full_loop(app, client, questionnaire, issue_link) -> tuple[int, int]:
    """Create, assign, answer, submit, return, resubmit, accept and record a finding."""
    response = client.post(
        "/b/suppliers/new",
        data={
            "name": "Taller Sol",
            "country": "MX",
            "category": "Textiles",
            "contact_name": "Lucía",
            "contact_email": "lucia@sol.example",
            "contact_locale": "en",
        },
    )
    supplier_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    client.post(
        f"/b/suppliers/{supplier_id}/assign",
        data={"questionnaire": questionnaire, "due_date": "2099-01-31"},
    )
    with app.app_context():
        from portal.assessments.models import Assessment
        from portal.suppliers.models import Supplier

        assessment_id = db.session.scalar(
            select(Assessment.id).where(Assessment.supplier_id == supplier_id)
        )
        contact_id = db.session.get(Supplier, supplier_id).contacts[0].id

    phone = app.test_client()
    assert phone.post(f"/link/{issue_link(contact_id)}").status_code == 302
    for number, answers in SAMPLE_ANSWERS.items():
        url = f"/s/assessments/{assessment_id}/sections/{number}"
        assert phone.post(url, data=answers).status_code == 302
    assert phone.post(f"/s/assessments/{assessment_id}/submit").status_code == 302

    returned = client.post(
        f"/b/assessments/{assessment_id}/return", data={"comment": "Hours, please."}
    )
    assert returned.status_code == 302
    phone.post(
        f"/s/assessments/{assessment_id}/sections/1",
        data={**SAMPLE_ANSWERS[1], "q-weekly_hours": "52"},
    )
    assert phone.post(f"/s/assessments/{assessment_id}/submit").status_code == 302
    assert client.post(f"/b/assessments/{assessment_id}/accept").status_code == 302
    finding = client.post(
        f"/b/assessments/{assessment_id}/findings/new",
        data={"title": "Long weeks", "severity": "high", "description": "52 hours."},
    )
    assert finding.status_code == 302, finding.text
    return supplier_id, assessment_id


def test_corrective_action_entries_read_as_sentences_in_the_readers_language(ctx):
    from portal.audit.history import describe
    from portal.audit.models import AuditEntry

    moved = AuditEntry(
        action="action_status",
        object_type="corrective_action",
        object_id=1,
        detail={"from_status": "ready_for_verification", "to_status": "closed", "comment": ""},
    )
    posted = AuditEntry(
        action="action_update",
        object_type="corrective_action",
        object_id=1,
        detail={"update": "3", "percent": "", "files": "2"},
    )
    assert describe(moved, "en").startswith("Corrective action: ")
    assert "action_status" not in describe(moved, "fr")
    assert describe(moved, "fr").startswith("Action corrective")
    assert describe(posted, "es") == "Avance publicado en una acción correctiva, con 2 archivos"
