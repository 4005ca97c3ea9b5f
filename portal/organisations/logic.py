"""Creating organisations and finding the one a command or a new row belongs to."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.organisations.models import Organisation
from portal.organisations.scoping import scoped_organisation

DEFAULT_NAME = "Default organisation"


class OrganisationProblem(ValueError):
    """A command named no organisation where several exist, or one that does not exist."""


def create_organisation(name: str) -> Organisation:
    organisation = Organisation(name=name.strip())
    db.session.add(organisation)
    db.session.flush()
    return organisation


def organisation_count() -> int:
    return db.session.scalar(select(func.count(Organisation.id)))


def organisation_named(name: str | None) -> Organisation:
    """The organisation a command acts for: the one named, else the only one.

    A portal without any gets its first one here, so that `create-user` on a fresh
    install just works.
    """
    if name:
        found = db.session.scalar(select(Organisation).where(Organisation.name == name.strip()))
        if found is None:
            raise OrganisationProblem(f"no organisation is named {name!r}")
        return found
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.id).limit(2))
    organisations = list(organisations)
    if not organisations:
        return create_organisation(DEFAULT_NAME)
    if len(organisations) > 1:
        raise OrganisationProblem("several organisations share this portal: name one")
    return organisations[0]


def acting_organisation_id() -> int:
    """The organisation of the buyer making this request, or the only one (commands)."""
    return scoped_organisation(db.session) or organisation_named(None).id
