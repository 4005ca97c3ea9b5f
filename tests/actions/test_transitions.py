"""Every status move of a corrective action, allowed and refused, by role; overdue is derived."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.actions.logic import ActionRefused, post_update
from portal.actions.models import ActionStatus, ActionUpdate, CorrectiveAction
from portal.actions.status import TransitionRefused, change_action_status
from portal.audit.models import AuditEntry
from portal.auth.models import User
from portal.extensions import db

S = ActionStatus
OWN, OTHER, BUYER = "own supplier", "other supplier", "buyer"

# Written out by hand, not read from ALLOWED: (from, to) -> the one role that may move it.
EXPECTED = {
    (S.OPEN, S.IN_PROGRESS): OWN,
    (S.REOPENED, S.IN_PROGRESS): OWN,
    (S.IN_PROGRESS, S.READY_FOR_VERIFICATION): OWN,
    (S.READY_FOR_VERIFICATION, S.CLOSED): BUYER,
    (S.READY_FOR_VERIFICATION, S.REOPENED): BUYER,
    (S.CLOSED, S.REOPENED): BUYER,
}


@pytest.mark.parametrize("start", list(S))
def test_each_move_is_allowed_only_to_its_role(
    app, make_finding, make_action, make_supplier, buyer, start
):
    finding_id, _supplier_id, contact_id = make_finding()
    _other_supplier, other_contact_id = make_supplier()
    users = {OWN: contact_id, OTHER: other_contact_id, BUYER: buyer}
    for to in S:
        if to == start:
            continue
        for role, user_id in users.items():
            action_id = make_action(finding_id, status=start)
            with app.test_request_context():
                action = db.session.get(CorrectiveAction, action_id)
                db.session.add(ActionUpdate(action=action, author_id=contact_id, note="Done."))
                db.session.flush()
                audit_rows = len(db.session.scalars(select(AuditEntry)).all())
                by = db.session.get(User, user_id)
                if EXPECTED.get((start, to)) == role:
                    change_action_status(action, to, by=by, comment="Checked on site.")
                    assert action.status == to, (start, to, role)
                    assert (action.closed_at is not None) == (to == S.CLOSED)
                    assert action.events[-1].to_status == to
                    assert action.events[-1].comment == "Checked on site."
                    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()[-1]
                    assert entry.action == "action_status"
                    assert entry.actor_id == user_id
                    assert entry.detail["to_status"] == to
                else:
                    with pytest.raises(TransitionRefused) as refused:
                        change_action_status(action, to, by=by, comment="Checked on site.")
                    assert refused.value.message, (start, to, role)
                    assert action.status == start, (start, to, role)
                    assert len(db.session.scalars(select(AuditEntry)).all()) == audit_rows
                db.session.rollback()


def test_ready_for_verification_needs_an_update_with_a_note(app, make_finding, make_action):
    finding_id, _supplier_id, contact_id = make_finding()
    action_id = make_action(finding_id, status=S.IN_PROGRESS)
    with app.test_request_context():
        action = db.session.get(CorrectiveAction, action_id)
        contact = db.session.get(User, contact_id)
        with pytest.raises(TransitionRefused, match="Post an update"):
            change_action_status(action, S.READY_FOR_VERIFICATION, by=contact)
        with pytest.raises(ActionRefused):
            post_update(action, by=contact, note="   ", percent=50)
        post_update(action, by=contact, note="New locks fitted.", percent=80)
        change_action_status(action, S.READY_FOR_VERIFICATION, by=contact)
        assert action.status == S.READY_FOR_VERIFICATION


def test_ready_for_verification_accepts_an_update_with_evidence_only(
    app, make_finding, make_action
):
    from portal.evidence.models import EvidenceFile

    finding_id, _supplier_id, contact_id = make_finding()
    action_id = make_action(finding_id, status=S.IN_PROGRESS)
    with app.test_request_context():
        action = db.session.get(CorrectiveAction, action_id)
        contact = db.session.get(User, contact_id)
        photo = EvidenceFile(
            stored_name="0" * 32 + ".jpg",
            content_type="image/jpeg",
            size=10,
            original_name="lock.jpg",
            uploaded_by_id=contact_id,
        )
        action.updates.append(ActionUpdate(author_id=contact_id, note="", evidence=[photo]))
        db.session.flush()
        change_action_status(action, S.READY_FOR_VERIFICATION, by=contact)
        assert action.status == S.READY_FOR_VERIFICATION
        db.session.rollback()


def test_reopening_needs_a_comment(app, make_finding, make_action, buyer):
    finding_id, *_ = make_finding()
    action_id = make_action(finding_id, status=S.READY_FOR_VERIFICATION)
    with app.test_request_context():
        action = db.session.get(CorrectiveAction, action_id)
        with pytest.raises(TransitionRefused, match="Say why"):
            change_action_status(action, S.REOPENED, by=db.session.get(User, buyer), comment=" ")
        assert action.status == S.READY_FOR_VERIFICATION


def test_a_first_update_moves_an_open_action_in_progress(app, make_finding, make_action):
    finding_id, _supplier_id, contact_id = make_finding()
    action_id = make_action(finding_id)
    with app.test_request_context():
        action = db.session.get(CorrectiveAction, action_id)
        post_update(action, by=db.session.get(User, contact_id), note="Started.", percent=None)
        assert action.status == S.IN_PROGRESS


def test_overdue_is_derived_from_the_due_date_and_never_when_closed(app, make_finding, make_action):
    finding_id, *_ = make_finding()
    due = date.today() + timedelta(days=3)
    open_id = make_action(finding_id, due=due)
    closed_id = make_action(finding_id, due=due, status=S.CLOSED)
    with app.test_request_context():
        action = db.session.get(CorrectiveAction, open_id)
        closed = db.session.get(CorrectiveAction, closed_id)
        assert not action.is_overdue(due - timedelta(days=1))
        assert not action.is_overdue(due)  # due today is not late yet
        assert action.is_overdue(due + timedelta(days=1))
        assert not closed.is_overdue(due + timedelta(days=100))

        def overdue_ids(today):
            return set(
                db.session.scalars(
                    select(CorrectiveAction.id).where(CorrectiveAction.overdue_clause(today))
                )
            )

        assert overdue_ids(due) == set()
        assert overdue_ids(due + timedelta(days=1)) == {open_id}
