"""Migration 0016 lets an instance admin belong to no organisation, and goes back, on the
database the suite runs on (SQLite or PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.migrate import downgrade, upgrade

BEFORE = "0015"
NOW = "2026-12-05 10:00:00"


def _insert_user(connection, user_id: int, role: str, organisation_id: int | None) -> None:
    connection.execute(
        text(
            "INSERT INTO users (id, email, name, role, organisation_id, active,"
            " session_version, daily_digest, created_at)"
            " VALUES (:id, :email, '', :role, :o, true, 1, false, :now)"
        ),
        {
            "id": user_id,
            "email": f"u{user_id}@example.com",
            "role": role,
            "o": organisation_id,
            "now": NOW,
        },
    )


def _refused(user_id: int, role: str, organisation_id: int | None) -> bool:
    try:
        with db.engine.begin() as connection:
            _insert_user(connection, user_id, role, organisation_id)
    except IntegrityError:
        return True
    return False


@pytest.fixture
def organisation(scratch):
    """The scratch database at 0015 with one organisation and its buyer; its id."""
    with scratch.app_context():
        upgrade(BEFORE)
        with db.engine.begin() as connection:
            connection.execute(
                text("INSERT INTO organisations (id, name, created_at) VALUES (1, 'Acme', :now)"),
                {"now": NOW},
            )
            _insert_user(connection, 1, "buyer", 1)
    return 1


def test_before_0016_an_account_outside_organisations_must_be_a_supplier_contact(
    scratch, organisation
):
    with scratch.app_context():
        assert _refused(2, "instance_admin", None)


def test_an_instance_admin_belongs_to_no_organisation_and_a_buyer_still_to_one(
    scratch, organisation
):
    with scratch.app_context():
        upgrade()
        assert not _refused(2, "instance_admin", None)
        assert _refused(3, "instance_admin", organisation)
        assert _refused(4, "buyer", None)
        assert _refused(5, "admin", None)
        # A supplier contact belongs to no organisation (it answers through contact links).
        assert _refused(6, "supplier", organisation)


def test_going_back_keeps_the_buyers_and_restores_the_old_check(scratch, organisation):
    with scratch.app_context():
        upgrade()
        downgrade(BEFORE)
        with db.engine.connect() as connection:
            roles = connection.execute(text("SELECT role, organisation_id FROM users"))
            assert roles.all() == [("buyer", organisation)]
        assert _refused(2, "instance_admin", None)
        upgrade()


def test_going_back_refuses_while_an_instance_admin_exists(scratch, organisation):
    with scratch.app_context():
        upgrade()
        with db.engine.begin() as connection:
            _insert_user(connection, 2, "instance_admin", None)
        with pytest.raises(RuntimeError, match="1 instance admin"):
            downgrade(BEFORE)
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM users")).scalar() == 2
