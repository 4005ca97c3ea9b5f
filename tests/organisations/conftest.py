"""Buying organisations with an admin each, and an empty database to migrate."""

from __future__ import annotations

import os
from itertools import count

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.extensions import db

PASSWORD = "correct horse battery"
_numbers = count(1)


@pytest.fixture
def make_organisation(app):
    """Create an organisation with an admin; return (organisation_id, admin_id)."""
    from portal.auth.logic import create_user
    from portal.auth.models import Role
    from portal.organisations.logic import create_organisation

    def make(name: str | None = None, role: Role = Role.ADMIN) -> tuple[int, int]:
        n = next(_numbers)
        with app.app_context():
            organisation = create_organisation(name or f"Buying company {n}")
            user = create_user(
                f"admin{n}@buyer{n}.example",
                role,
                password=PASSWORD,
                name=f"Ada Admin {n}",
                organisation_id=organisation.id,
            )
            db.session.commit()
            return organisation.id, user.id

    return make


@pytest.fixture
def scratch(app, tmp_path):
    """An app on an empty database of its own, of the same kind as the suite's."""
    url = app.config["DATABASE_URL"]
    if url.startswith("postgresql"):
        name = f"{make_url(url).database}_migration"
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        scratch_url = make_url(url).set(database=name).render_as_string(hide_password=False)
    else:
        scratch_url = f"sqlite:///{tmp_path / 'migration.db'}"
    scratch = create_app({"DATABASE_URL": scratch_url, "RATELIMIT_ENABLED": False})
    yield scratch
    with scratch.app_context():
        db.engine.dispose()
    if url.startswith("postgresql") and not os.environ.get("KEEP_SCRATCH"):
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()
