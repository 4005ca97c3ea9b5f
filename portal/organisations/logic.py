"""Creating organisations and finding the one a command or a new row belongs to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.extensions import db
from portal.organisations.models import Organisation
from portal.organisations.scoping import scoped_organisation
from portal.refusals import Refused

if TYPE_CHECKING:
    from portal.auth.models import User

DEFAULT_NAME = "Default organisation"
NAME_MAX = 200
EVERY = {"all_organisations": True}


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


class OrganisationRefused(Refused):
    """A change to an organisation that cannot be made; nothing was written. `field` names
    the form field to blame, `message` says why, translated."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _usable_name(name: str, *, other_than: int | None = None) -> str:
    """The name stripped; refused when empty, too long, or another organisation's (in any
    case: "acme" and "Acme" would be told apart by nobody)."""
    name = name.strip()
    if not name:
        raise OrganisationRefused(_("The organisation needs a name."), "name")
    if len(name) > NAME_MAX:
        raise OrganisationRefused(
            _("The name can be at most %(max)d characters.", max=NAME_MAX), "name"
        )
    taken = select(Organisation.id).where(func.lower(Organisation.name) == name.lower())
    if other_than is not None:
        taken = taken.where(Organisation.id != other_than)
    if db.session.scalar(taken.limit(1)) is not None:
        raise OrganisationRefused(
            _("An organisation is already named %(name)s.", name=name), "name"
        )
    return name


def found_organisation(
    *, name: str, admin_name: str, admin_email: str, locale: str, by: User | None
) -> tuple[Organisation, User]:
    """Create an organisation and its first admin, who is mailed a link to set a password.

    Raises OrganisationRefused (the name) or AccountRefused (the admin); either way the
    request rolls back, the organisation included."""
    from portal.audit.logic import record
    from portal.auth.models import Role
    from portal.users.logic import invite_account

    organisation = create_organisation(_usable_name(name))
    record(
        "organisation_created",
        object_type="organisation",
        object_id=organisation.id,
        by=by,
        organisation_id=organisation.id,
        name=organisation.name,
    )
    admin = invite_account(
        email=admin_email,
        name=admin_name,
        role=Role.ADMIN,
        locale=locale,
        by=by,
        organisation_id=organisation.id,
    )
    return organisation, admin


def rename_organisation(organisation: Organisation, name: str, *, by: User | None) -> bool:
    """Give `organisation` a new name; False when it already has that very name."""
    from portal.audit.logic import record

    if name.strip() == organisation.name:
        return False
    old, organisation.name = organisation.name, _usable_name(name, other_than=organisation.id)
    record(
        "organisation_renamed",
        object_type="organisation",
        object_id=organisation.id,
        by=by,
        organisation_id=organisation.id,
        old=old,
        new=organisation.name,
    )
    return True


@dataclass(frozen=True)
class OrganisationRow:
    """One line of the instance admin's list."""

    organisation: Organisation
    accounts: int  # active buyers and admins
    suppliers: int


def organisation_overview() -> list[OrganisationRow]:
    """Every organisation by name, with its active buyers and admins and its suppliers
    counted (one statement)."""
    from portal.auth.models import ORGANISATION_ROLES, User
    from portal.suppliers.models import Supplier

    accounts = (
        select(func.count(User.id))
        .where(
            User.organisation_id == Organisation.id,
            User.role.in_(ORGANISATION_ROLES),
            User.active.is_(True),
        )
        .correlate(Organisation)
        .scalar_subquery()
    )
    suppliers = (
        select(func.count(Supplier.id))
        .where(Supplier.organisation_id == Organisation.id)
        .correlate(Organisation)
        .scalar_subquery()
    )
    query = select(Organisation, accounts, suppliers).order_by(
        func.lower(Organisation.name), Organisation.id
    )
    return [
        OrganisationRow(organisation, accounts or 0, suppliers or 0)
        for organisation, accounts, suppliers in db.session.execute(
            query.execution_options(**EVERY)
        )
    ]


def organisation_admins(organisation: Organisation) -> list[User]:
    """The admins of `organisation`, by email."""
    from portal.auth.models import Role, User

    query = (
        select(User)
        .where(User.organisation_id == organisation.id, User.role == Role.ADMIN)
        .order_by(func.lower(User.email))
    )
    return list(db.session.scalars(query.execution_options(**EVERY)))


def shown_organisation_name(user: User) -> str | None:
    """The name of `user`'s organisation when the portal has several, else None (a portal
    of one shows nothing about organisations). One statement."""
    if user.organisation_id is None:
        return None
    others = select(Organisation.id).where(Organisation.id != user.organisation_id).exists()
    return db.session.scalar(
        select(Organisation.name).where(Organisation.id == user.organisation_id, others)
    )
