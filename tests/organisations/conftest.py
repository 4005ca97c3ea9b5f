"""Two buying organisations, each with a buyer who signs in with a password."""

from __future__ import annotations

from itertools import count

import pytest

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
