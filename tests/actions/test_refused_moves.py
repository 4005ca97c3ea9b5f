"""A refused move of a corrective action, whatever the view answers, changes no row anywhere."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.actions.models import ActionStatus

S = ActionStatus


@pytest.fixture
def setting(make_finding, make_action):
    """An action in a given status: returns (action_id, contact_id)."""

    def make(status: ActionStatus) -> tuple[int, int]:
        finding_id, _supplier_id, contact_id = make_finding()
        return make_action(finding_id, status=status), contact_id

    return make


@pytest.mark.parametrize(
    ("status", "path", "data"),
    [
        (S.IN_PROGRESS, "ready", {}),  # no update says what was done
        (S.READY_FOR_VERIFICATION, "ready", {}),  # an old tab
        (S.CLOSED, "ready", {}),
        (S.CLOSED, "updates", {"note": "Done again."}),
        (S.READY_FOR_VERIFICATION, "updates", {"note": "More."}),
        (S.OPEN, "updates", {"note": " "}),
    ],
)
def test_a_refused_supplier_move_changes_nothing(
    client, sign_in_supplier, setting, database_unchanged, status, path, data
):
    action_id, contact_id = setting(status)
    sign_in_supplier(contact_id)

    with database_unchanged():
        response = client.post(f"/s/actions/{action_id}/{path}", data=data)

    assert response.status_code == 422


@pytest.mark.parametrize(
    ("status", "path", "data"),
    [
        (S.OPEN, "verify", {}),
        (S.IN_PROGRESS, "verify", {}),
        (S.CLOSED, "verify", {}),  # an old tab
        (S.OPEN, "reopen", {"comment": "Again."}),
        (S.READY_FOR_VERIFICATION, "reopen", {"comment": " "}),  # says nothing to the supplier
        (S.READY_FOR_VERIFICATION, "reopen", {"comment": "x" * 5001}),
        (S.CLOSED, "due-date", {"due_date": "2099-01-01", "reason": "Later."}),
        (S.OPEN, "due-date", {"due_date": "2001-01-01", "reason": "Earlier."}),
        (S.OPEN, "due-date", {"due_date": "2099-01-01", "reason": " "}),
    ],
)
def test_a_refused_buyer_move_changes_nothing(
    client, buyer, sign_in_buyer, setting, database_unchanged, status, path, data
):
    action_id, _contact_id = setting(status)
    sign_in_buyer(buyer)

    with database_unchanged():
        response = client.post(f"/b/actions/{action_id}/{path}", data=data)

    assert response.status_code == 422


def test_a_due_date_in_the_past_is_refused_by_the_rule_itself(app, make_finding, make_action):
    from portal.actions.logic import ActionRefused, change_due_date
    from portal.actions.models import CorrectiveAction
    from portal.auth.models import Role, User
    from portal.extensions import db

    action_id = make_action(make_finding()[0])
    with app.test_request_context():
        action = db.session.get(CorrectiveAction, action_id)
        buyer = db.session.query(User).filter_by(role=Role.BUYER).first()
        with pytest.raises(ActionRefused, match="cannot be in the past"):
            change_due_date(
                action, date.today() - timedelta(days=1), by=buyer, reason="Earlier, please."
            )


@pytest.mark.parametrize("path", ["verify", "reopen", "due-date"])
def test_a_supplier_posting_a_buyers_move_changes_nothing(
    client, sign_in_supplier, setting, database_unchanged, path
):
    action_id, contact_id = setting(S.READY_FOR_VERIFICATION)
    sign_in_supplier(contact_id)

    with database_unchanged():
        response = client.post(
            f"/b/actions/{action_id}/{path}",
            data={"comment": "ok", "due_date": "2099-01-01", "reason": "ok"},
        )

    assert response.status_code in (302, 403, 404)


def test_another_supplier_marking_an_action_ready_changes_nothing(
    client, make_supplier, sign_in_supplier, setting, database_unchanged
):
    action_id, _contact_id = setting(S.IN_PROGRESS)
    sign_in_supplier(make_supplier()[1])

    with database_unchanged():
        response = client.post(f"/s/actions/{action_id}/ready")

    assert response.status_code == 404
