"""The migrations to organisations and companies move existing data into one organisation
(suppliers of one company into one company), and go back, on the database the suite runs
on (SQLite or PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from portal.extensions import db
from portal.migrate import downgrade, upgrade

BEFORE = "0014"
NOW = "2026-12-01 10:00:00"


def _rows_of_one_buyer(connection) -> None:
    statements = [
        "INSERT INTO users (id, email, name, role, active, session_version, daily_digest,"
        " created_at) VALUES (1, 'bea@buyer.example', 'Bea', 'buyer', true, 1, false, :now)",
        "INSERT INTO suppliers (id, name, country, category, created_at)"
        " VALUES (1, 'Alpha', 'VN', 'Textiles', :now)",
        "INSERT INTO suppliers (id, name, country, category, created_at)"
        " VALUES (2, 'ALPHA Co., Ltd.', 'VN', 'Textiles', :now)",
        "INSERT INTO suppliers (id, name, country, category, created_at)"
        " VALUES (3, 'Alpha', 'KH', 'Textiles', :now)",
        "INSERT INTO users (id, email, name, role, supplier_id, active, session_version,"
        " daily_digest, created_at)"
        " VALUES (2, 'alpha@supplier.example', 'Al', 'supplier', 1, true, 1, false, :now)",
        "INSERT INTO questionnaire_versions (id, key, version, title, source, published_at)"
        " VALUES (1, 'saq', 1, 'SAQ', 'key: saq', :now)",
        "INSERT INTO assessments (id, supplier_id, questionnaire_id, status, due_date,"
        " created_at, confirmed_sections) VALUES (1, 1, 1, 'invited', '2027-01-01', :now, '[]')",
        "INSERT INTO audit_log (at, actor_id, action, object_type, object_id, supplier_id,"
        " detail) VALUES (:now, 1, 'supplier_created', 'supplier', 1, 1, '{}')",
        "INSERT INTO audit_log (at, actor_id, action, object_type, object_id, detail)"
        " VALUES (:now, 2, 'signed_in', 'user', 2, '{}')",
    ]
    for statement in statements:
        connection.execute(text(statement), {"now": NOW})


def test_existing_data_moves_into_one_organisation_and_back(scratch):
    with scratch.app_context():
        upgrade(BEFORE)
        with db.engine.begin() as connection:
            _rows_of_one_buyer(connection)
        upgrade()
        with db.engine.connect() as connection:
            [(organisation, name)] = connection.execute(text("SELECT id, name FROM organisations"))
            assert name == "Default organisation"
            for table in ("suppliers", "assessments", "questionnaire_versions"):
                owners = connection.execute(text(f"SELECT organisation_id FROM {table}"))  # noqa: S608
                assert set(owners.scalars()) == {organisation}, table
            companies = connection.execute(text("SELECT company_id FROM suppliers ORDER BY id"))
            first, same, other = companies.scalars()
            assert first == same != other  # one company in Viet Nam, another in Cambodia
            users = connection.execute(text("SELECT role, organisation_id FROM users ORDER BY id"))
            assert users.all() == [("buyer", organisation), ("supplier", None)]
            audit = connection.execute(text("SELECT organisation_id FROM audit_log ORDER BY id"))
            assert audit.scalars().all() == [organisation, None]

        downgrade(BEFORE)
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM assessments")).scalar() == 1
            columns = connection.execute(text("SELECT * FROM suppliers")).keys()
            assert "organisation_id" not in columns
        upgrade()


def test_an_empty_database_gets_no_organisation(scratch):
    with scratch.app_context():
        upgrade()
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM organisations")).scalar() == 0


def test_several_organisations_are_not_folded_into_one_on_the_way_back(scratch):
    with scratch.app_context():
        upgrade()
        with db.engine.begin() as connection:
            for name in ("First", "Second"):
                connection.execute(
                    text("INSERT INTO organisations (name, created_at) VALUES (:n, :now)"),
                    {"n": name, "now": NOW},
                )
        with pytest.raises(RuntimeError, match="2 organisations"):
            downgrade(BEFORE)


def test_existing_reassessments_are_prefilled_after_the_sharing_migration(scratch):
    with scratch.app_context():
        upgrade(BEFORE)
        with db.engine.begin() as connection:
            _rows_of_one_buyer(connection)
            connection.execute(
                text(
                    "INSERT INTO assessments (id, supplier_id, questionnaire_id, status,"
                    " due_date, created_at, confirmed_sections, previous_id)"
                    " VALUES (2, 1, 1, 'invited', '2027-06-01', :now, '[]', 1)"
                ),
                {"now": NOW},
            )
        upgrade()
        with db.engine.connect() as connection:
            prefilled = connection.execute(text("SELECT prefilled FROM assessments ORDER BY id"))
            assert [bool(value) for value in prefilled.scalars()] == [False, True]
        downgrade("0019")
        with db.engine.connect() as connection:
            columns = connection.execute(text("SELECT * FROM assessments")).keys()
            assert "prefilled" not in columns
            assert "answer_shares" not in db.inspect(connection).get_table_names()
        upgrade()
