"""Alembic revisions build exactly the schema the models describe, and go back down."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from portal import create_app
from portal.db import Base
from portal.extensions import db
from portal.migrate import downgrade, upgrade


def test_the_migrated_database_matches_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "render_as_batch": connection.dialect.name == "sqlite"},
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_every_revision_downgrades_and_upgrades_again(app, tmp_path):
    scratch = create_app(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'scratch.db'}", "RATELIMIT_ENABLED": False}
    )
    with scratch.app_context():
        upgrade()
        downgrade("base")
        upgrade()
        with db.engine.connect() as connection:
            tables = set(db.engine.dialect.get_table_names(connection))
    assert {table.name for table in Base.metadata.sorted_tables} <= tables
