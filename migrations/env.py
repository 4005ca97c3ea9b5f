"""Alembic environment: runs against the application's own engine."""

from alembic import context
from flask import current_app, has_app_context

import portal.models  # noqa: F401  (registers every table on the metadata)
from portal.db import Base
from portal.extensions import db


def run_migrations() -> None:
    if not has_app_context():
        from portal import create_app

        with create_app().app_context():
            _run()
    else:
        _run()


def _run() -> None:
    engine = db.engine
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a table by copying it; with foreign keys on, dropping the
            # old copy of a referenced table (suppliers, users) would fail. Off outside the
            # transaction (SQLite ignores it inside one), checked afterwards.
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=sqlite,
            compare_type=True,
        )
        try:
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"foreign keys broken by the migration: {broken[:5]}")
        finally:
            if sqlite:  # the next checkout connects afresh, with foreign keys on
                connection.invalidate()
    current_app.logger.debug("migrations done")


run_migrations()
