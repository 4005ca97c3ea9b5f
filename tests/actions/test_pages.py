"""The buyer's and the supplier's action pages: creating, listing, updating, deciding, access."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.actions.models import ActionStatus, CorrectiveAction
from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.risk.models import SupplierRisk
from tests.actions.conftest import load
from tests.conftest import without_csrf_token

S = ActionStatus
EXITS_FR = "Les sorties de secours sont fermées à clé ou mal signalées pendant le travail."


def _unescape(text: str) -> str:
    return text.replace("&#39;", "'").replace("&#34;", '"')


def test_buyer_creates_an_action_proposed_in_the_contacts_language_and_mails_it(
    app, client, make_finding, buyer, sign_in_buyer, mailbox
):
    finding_id, supplier_id, _contact = make_finding(locale="fr")
    mailbox.clear()  # the buyer was told of the submission
    sign_in_buyer(buyer)

    page = client.get(f"/b/findings/{finding_id}/actions/new")  # the buyer reads English

    assert page.status_code == 200
    assert f'value="{EXITS_FR}"' in _unescape(page.text)
    assert "gardez chaque sortie ouverte" in _unescape(page.text)

    due = date.today() + timedelta(days=20)
    response = client.post(
        f"/b/findings/{finding_id}/actions/new",
        data={
            "title": EXITS_FR,
            "what_must_change": "Gardez les sorties ouvertes.",
            "responsible_name": "Marie",
            "responsible_role": "Cheffe d'atelier",
            "due_date": due.isoformat(),
        },
    )

    assert response.status_code == 302
    with app.app_context():
        action = db.session.scalar(select(CorrectiveAction))
        assert (action.supplier_id, action.status, action.due_date) == (supplier_id, S.OPEN, due)
        assert action.responsible_role == "Cheffe d'atelier"
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "action_created"))
    [(recipient, subject, body)] = mailbox
    assert recipient.endswith("@supplier.example")
    assert subject.startswith("Votre client")
    assert "/link/" in body


def test_creating_refuses_a_due_date_in_the_past(app, client, make_finding, buyer, sign_in_buyer):
    finding_id, *_ = make_finding()
    sign_in_buyer(buyer)
    response = client.post(
        f"/b/findings/{finding_id}/actions/new",
        data={
            "title": "Fix",
            "what_must_change": "Fix it.",
            "due_date": (date.today() - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 422
    assert "cannot be in the past" in response.text
    with app.app_context():
        assert db.session.scalar(select(CorrectiveAction)) is None


def test_a_due_date_change_needs_a_reason_and_is_audited(
    app, client, make_finding, make_action, buyer, sign_in_buyer
):
    finding_id, *_ = make_finding()
    action_id = make_action(finding_id)
    sign_in_buyer(buyer)
    later = date.today() + timedelta(days=60)

    refused = client.post(f"/b/actions/{action_id}/due-date", data={"due_date": later.isoformat()})
    assert refused.status_code == 422
    assert load(app, action_id).due_date != later

    response = client.post(
        f"/b/actions/{action_id}/due-date",
        data={"due_date": later.isoformat(), "reason": "Locks must be ordered abroad."},
    )
    assert response.status_code == 302
    assert load(app, action_id).due_date == later
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "action_due_date"))
        assert entry.detail["reason"] == "Locks must be ordered abroad."
        assert entry.detail["new"] == later.isoformat()
        assert entry.actor_id == buyer
    assert "Locks must be ordered abroad." in client.get(f"/b/actions/{action_id}").text


def test_buyer_verifies_and_the_supplier_is_mailed_or_reopens_with_a_comment(
    app, client, make_finding, make_action, buyer, sign_in_buyer, mailbox
):
    finding_id, *_ = make_finding()
    first = make_action(finding_id, status=S.READY_FOR_VERIFICATION)
    second = make_action(finding_id, status=S.READY_FOR_VERIFICATION)
    mailbox.clear()  # the buyer was told of the submission
    sign_in_buyer(buyer)

    assert client.post(f"/b/actions/{first}/verify", data={"comment": ""}).status_code == 302
    assert load(app, first).status == S.CLOSED
    [(_to, subject, _body)] = mailbox
    assert "verified" in subject

    missing = client.post(f"/b/actions/{second}/reopen", data={"comment": ""})
    assert missing.status_code == 422
    assert "Say why" in _unescape(missing.text)
    assert load(app, second).status == S.READY_FOR_VERIFICATION
    response = client.post(f"/b/actions/{second}/reopen", data={"comment": "Exit 2 still locked."})
    assert response.status_code == 302
    assert load(app, second).status == S.REOPENED


def test_supplier_posts_an_update_and_asks_for_verification_from_the_phone(
    app, client, make_finding, make_action, sign_in_supplier
):
    finding_id, _supplier_id, contact_id = make_finding()
    action_id = make_action(finding_id)
    sign_in_supplier(contact_id)

    refused = client.post(f"/s/actions/{action_id}/ready")
    assert refused.status_code == 422
    assert load(app, action_id).status == S.OPEN

    response = client.post(f"/s/actions/{action_id}/updates", data={"note": "", "percent": "20"})
    assert response.status_code == 422
    response = client.post(
        f"/s/actions/{action_id}/updates", data={"note": "New locks fitted.", "percent": "80"}
    )
    assert response.status_code == 302
    assert load(app, action_id).status == S.IN_PROGRESS

    assert client.post(f"/s/actions/{action_id}/ready").status_code == 302
    assert load(app, action_id).status == S.READY_FOR_VERIFICATION
    page = client.get(f"/s/actions/{action_id}")
    assert "New locks fitted." in page.text
    assert "Keep every exit unlocked." in page.text


def test_ready_for_verification_without_a_note_shows_why(
    app, client, make_finding, make_action, sign_in_supplier
):
    finding_id, _supplier_id, contact_id = make_finding()
    action_id = make_action(finding_id, status=S.IN_PROGRESS)
    sign_in_supplier(contact_id)
    response = client.post(f"/s/actions/{action_id}/ready")
    assert response.status_code == 422
    assert "Post an update that says what was done" in response.text


def test_supplier_list_puts_the_soonest_first_and_marks_overdue(
    app, client, make_finding, make_action, sign_in_supplier
):
    finding_id, _supplier_id, contact_id = make_finding()
    later = make_action(finding_id, due=date.today() + timedelta(days=30))
    late = make_action(finding_id, due=date.today() - timedelta(days=2))
    closed = make_action(finding_id, due=date.today() - timedelta(days=5), status=S.CLOSED)
    sign_in_supplier(contact_id)

    home = client.get("/s/")
    assert "2 open corrective actions" in home.text
    page = client.get("/s/actions")

    assert page.status_code == 200
    assert page.text.index(f"/s/actions/{late}") < page.text.index(f"/s/actions/{later}")
    assert f"/s/actions/{closed}" not in page.text
    assert page.text.count("Overdue since") == 1


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/s/actions/{id}"),
        ("post", "/s/actions/{id}/updates"),
        ("post", "/s/actions/{id}/ready"),
    ],
)
def test_another_suppliers_action_is_exactly_as_missing(
    app, client, make_finding, make_action, make_supplier, sign_in_supplier, method, path
):
    finding_id, *_ = make_finding()
    action_id = make_action(finding_id)
    _other, other_contact = make_supplier()
    sign_in_supplier(other_contact)

    theirs = getattr(client, method)(path.format(id=action_id), data={"note": "x"})
    missing = getattr(client, method)(path.format(id=action_id + 1000), data={"note": "x"})

    assert theirs.status_code == missing.status_code == 404
    assert without_csrf_token(theirs.text).replace(f"/{action_id}", "/N") == without_csrf_token(
        missing.text
    ).replace(f"/{action_id + 1000}", "/N")
    assert f"/s/actions/{action_id}" not in client.get("/s/actions").text
    with app.app_context():
        assert db.session.get(CorrectiveAction, action_id).updates == []


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/b/actions"),
        ("get", "/b/actions/{id}"),
        ("get", "/b/findings/{finding}/actions/new"),
        ("post", "/b/findings/{finding}/actions/new"),
        ("post", "/b/actions/{id}/due-date"),
        ("post", "/b/actions/{id}/verify"),
        ("post", "/b/actions/{id}/reopen"),
    ],
)
def test_suppliers_get_403_on_buyer_action_pages(
    app, client, make_finding, make_action, sign_in_supplier, method, path
):
    finding_id, _supplier_id, contact_id = make_finding()
    action_id = make_action(finding_id, status=S.READY_FOR_VERIFICATION)
    sign_in_supplier(contact_id)
    response = getattr(client, method)(path.format(id=action_id, finding=finding_id))
    assert response.status_code == 403
    assert load(app, action_id).status == S.READY_FOR_VERIFICATION


def test_buyers_get_403_on_supplier_action_pages(
    client, make_finding, make_action, buyer, sign_in_buyer
):
    finding_id, *_ = make_finding()
    action_id = make_action(finding_id)
    sign_in_buyer(buyer)
    assert client.get("/s/actions").status_code == 403
    assert client.get(f"/s/actions/{action_id}").status_code == 403
    assert client.post(f"/s/actions/{action_id}/updates", data={"note": "x"}).status_code == 403


def test_buyer_list_filters_and_shows_overdue(
    app, client, make_finding, make_action, buyer, sign_in_buyer
):
    finding_id, *_ = make_finding()
    late = make_action(finding_id, due=date.today() - timedelta(days=1))
    ready = make_action(finding_id, status=S.READY_FOR_VERIFICATION)
    closed = make_action(finding_id, status=S.CLOSED)
    sign_in_buyer(buyer)

    def listed(show=""):
        text = client.get(f"/b/actions?show={show}").text
        return {i for i in (late, ready, closed) if f'/b/actions/{i}"' in text}, text

    everything, text = listed()
    assert everything == {late, ready, closed}
    assert 'class="overdue-row"' in text
    assert listed("open")[0] == {late, ready}
    assert listed("overdue")[0] == {late}
    assert listed("ready")[0] == {ready}


def test_list_pages_run_a_fixed_number_of_statements(
    app, client, make_finding, make_action, buyer, sign_in_buyer, sign_in_supplier, count_queries
):
    finding_id, _supplier_id, contact_id = make_finding()
    make_action(finding_id)

    def statements(url):
        with count_queries() as counted:
            assert client.get(url).status_code == 200
        return len(counted)

    sign_in_supplier(contact_id)
    supplier_one = statements("/s/actions")
    client.post("/sign-out")
    sign_in_buyer(buyer)
    buyer_one = statements("/b/actions")
    for _ in range(4):
        other_finding, *_ = make_finding()
        make_action(other_finding)
        make_action(finding_id)
    sign_in_buyer(buyer)  # making findings signs the client out
    assert statements("/b/actions") == buyer_one
    client.post("/sign-out")
    sign_in_supplier(contact_id)
    assert statements("/s/actions") == supplier_one


def test_an_overdue_action_counts_in_the_suppliers_risk(app, make_finding, make_action, buyer):
    from portal.actions.models import CorrectiveAction as Action
    from portal.auth.models import User
    from portal.risk.logic import refresh_supplier_risk

    finding_id, supplier_id, _contact = make_finding()
    action_id = make_action(finding_id)

    def overdue_points():
        with app.test_request_context():
            supplier = db.session.get(Action, action_id).supplier
            refresh_supplier_risk(supplier, by=None)
            db.session.commit()
            risk = db.session.scalar(
                select(SupplierRisk).where(SupplierRisk.supplier_id == supplier_id)
            )
            [part] = [c for c in risk.contributions if c["params"].get("overdue") is not None]
            return part["params"]["overdue"], part["points"]

    assert overdue_points() == (0, 0)
    with app.test_request_context():
        action = db.session.get(Action, action_id)
        action.due_date = date.today() - timedelta(days=1)  # time passes
        db.session.commit()
        assert db.session.get(User, buyer)
    overdue, points = overdue_points()
    assert overdue == 1
    assert points > 0


def test_the_submission_page_partial_lists_actions_and_offers_one_per_finding(
    app, make_finding, make_action
):
    from flask import render_template_string

    from portal.assessments.models import Assessment
    from portal.findings.logic import findings_for
    from portal.findings.models import Finding

    finding_id, *_ = make_finding()
    action_id = make_action(finding_id)
    with app.test_request_context():
        assessment = db.session.get(Assessment, db.session.get(Finding, finding_id).assessment_id)
        html = render_template_string(
            '{% include "actions/_for_assessment.html" %}',
            assessment=assessment,
            findings=findings_for(assessment),
        )
    assert f"/b/actions/{action_id}" in html
    assert f"/b/findings/{finding_id}/actions/new" in html
    assert "1 corrective action" in html
