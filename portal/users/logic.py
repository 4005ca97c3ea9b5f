"""Buyer and admin accounts: inviting, deactivating and reactivating them, all audited."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.audit.logic import record
from portal.auth.logic import create_user, find_user, usable_email
from portal.auth.models import Role, User
from portal.config import LANGUAGES
from portal.extensions import db
from portal.users.links import revoke_password_links, send_password_link
from portal.users.refused import AccountRefused

ACCOUNT_ROLES = (Role.BUYER, Role.ADMIN)
NAME_MAX = 200


def list_accounts() -> list[User]:
    """Every buyer and admin account, admins first, then by email (one statement)."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.role.in_(ACCOUNT_ROLES))
            .order_by(User.role != Role.ADMIN, func.lower(User.email))
        )
    )


def account_state(user: User) -> str:
    """ "deactivated", "invited" (no password set yet) or "active"."""
    if not user.active:
        return "deactivated"
    if user.password_hash is None:
        return "invited"
    return "active"


def _audit(action: str, user: User, by: User | None, **detail: object) -> None:
    # The entry belongs to the account's organisation, whoever acted (an instance admin
    # belongs to none).
    record(
        action,
        object_type="user",
        object_id=user.id,
        by=by,
        organisation_id=user.organisation_id,
        **detail,
    )


def invite_account(
    *,
    email: str,
    name: str,
    role: str,
    locale: str,
    by: User | None,
    organisation_id: int | None = None,
) -> User:
    """Create a buyer or admin account without a password and mail it a link to set one.

    The account belongs to `organisation_id`, by default the acting admin's."""
    if role not in ACCOUNT_ROLES:
        raise AccountRefused(_("Choose buyer or admin."), "role")
    email = usable_email(email)
    if email is None:
        raise AccountRefused(_("Enter a valid email address."), "email")
    if find_user(email) is not None:
        raise AccountRefused(_("Someone already uses this email address."), "email")
    if len(name.strip()) > NAME_MAX:
        raise AccountRefused(_("The name can be at most %(max)d characters.", max=NAME_MAX), "name")
    if locale not in LANGUAGES:
        raise AccountRefused(_("Choose a language from the list."), "locale")
    user = create_user(email, Role(role), name=name, locale=locale, organisation_id=organisation_id)
    _audit("user_invited", user, by, email=user.email, role=user.role)
    send_password_link(user, by=by)
    return user


def _active_admins_besides(user: User) -> int:
    return db.session.scalar(
        select(func.count(User.id)).where(
            User.organisation_id == user.organisation_id,
            User.role == Role.ADMIN,
            User.active.is_(True),
            User.id != user.id,
        )
    )


def deactivate_account(user: User, *, by: User | None) -> None:
    """Stop an account from signing in and end its sessions; an admin cannot deactivate
    itself, and the last active admin stays."""
    if by is not None and by.id == user.id:
        raise AccountRefused(_("You cannot deactivate your own account; another admin can."))
    if not user.active:
        raise AccountRefused(_("This account is already deactivated."))
    if user.role == Role.ADMIN and _active_admins_besides(user) == 0:
        raise AccountRefused(_("This is the last active admin; it stays active."))
    user.active = False
    user.session_version += 1  # every session of the account ends at its next request
    revoke_password_links(user)
    _audit("user_deactivated", user, by)


def reactivate_account(user: User, *, by: User | None) -> None:
    """Let a deactivated account sign in again with its password."""
    if user.active:
        raise AccountRefused(_("This account is already active."))
    user.active = True
    _audit("user_reactivated", user, by)
