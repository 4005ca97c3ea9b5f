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
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    current_app.logger.debug("migrations done")


run_migrations()
