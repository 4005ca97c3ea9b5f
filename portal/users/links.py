"""Mailed links that set a buyer's or admin's password: single use, short-lived, stored hashed.

A link is worth as much as access to the mailbox it was sent to (OWASP ASVS counts it
weaker than a password), so it lives hours, not days, is spent by the POST that sets
the password (never by opening it: mail scanners open links), and a newer link, a set
password or a deactivation cancels every other one.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from portal.audit.logic import record
from portal.auth.logic import hash_token, set_password
from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.logic import mail_user
from portal.urls import absolute_url
from portal.users.models import LinkPurpose, PasswordLink
from portal.users.refused import AccountRefused

PASSWORD_MIN = 8
PASSWORD_MAX = 200
MAIL_TEMPLATES = {LinkPurpose.INVITE: "account_invitation", LinkPurpose.RESET: "password_reset"}


def revoke_password_links(user: User, now: datetime | None = None) -> int:
    """Cancel every unspent password link of `user`; return how many."""
    result = db.session.execute(
        update(PasswordLink)
        .where(
            PasswordLink.user_id == user.id,
            PasswordLink.used_at.is_(None),
            PasswordLink.revoked_at.is_(None),
        )
        .values(revoked_at=now or utcnow())
    )
    return result.rowcount


def send_password_link(user: User, *, by: User | None) -> PasswordLink:
    """Mail `user` a new link to set its password (its first one when it has none yet);
    earlier links stop working."""
    if not user.active:
        raise AccountRefused(_("Reactivate the account first."))
    if user.is_supplier:
        raise AccountRefused(_("Supplier contacts sign in with links, not passwords."))
    purpose = LinkPurpose.INVITE if user.password_hash is None else LinkPurpose.RESET
    hours = current_app.config["PASSWORD_LINK_HOURS"]
    now = utcnow()
    revoke_password_links(user, now)
    token = secrets.token_urlsafe(32)
    link = PasswordLink(
        user_id=user.id,
        token_hash=hash_token(token),
        purpose=purpose,
        created_at=now,
        expires_at=now + timedelta(hours=hours),
        created_by_id=by.id if by else None,
    )
    db.session.add(link)
    mail_user(
        user,
        MAIL_TEMPLATES[purpose],
        url=absolute_url("password.set_password", token=token),
        hours=hours,
        by=by,
    )
    record(
        "password_link_sent",
        object_type="user",
        object_id=user.id,
        by=by,
        organisation_id=user.organisation_id,
        purpose=purpose,
    )
    return link


@dataclass(frozen=True)
class PasswordLinkCheck:
    """What a token is worth: its link, or why it cannot be used."""

    link: PasswordLink | None
    problem: str | None  # "unknown", "used", "expired", "revoked", "inactive" or None


def check_password_link(token: str, now: datetime | None = None) -> PasswordLinkCheck:
    """Look a token up without spending it."""
    now = now or utcnow()
    link = db.session.scalar(
        select(PasswordLink).where(PasswordLink.token_hash == hash_token(token))
    )
    if link is None:
        return PasswordLinkCheck(None, "unknown")
    if link.revoked_at is not None:
        return PasswordLinkCheck(link, "revoked")
    if link.used_at is not None:
        return PasswordLinkCheck(link, "used")
    if link.expires_at <= now:
        return PasswordLinkCheck(link, "expired")
    if not link.user.active:
        return PasswordLinkCheck(link, "inactive")
    return PasswordLinkCheck(link, None)


class PasswordLinkDead(AccountRefused):
    """The link cannot set a password; `problem` says why (see PasswordLinkCheck)."""

    def __init__(self, problem: str):
        super().__init__(_("This link no longer works."))
        self.problem = problem


def check_new_password(password: str) -> None:
    """Refuse a password too short or too long to accept."""
    if len(password) < PASSWORD_MIN:
        raise AccountRefused(
            _("The password needs at least %(min)d characters.", min=PASSWORD_MIN), "password"
        )
    if len(password) > PASSWORD_MAX:
        raise AccountRefused(
            _("The password can be at most %(max)d characters.", max=PASSWORD_MAX), "password"
        )


def set_password_with_link(token: str, password: str, now: datetime | None = None) -> User:
    """Spend the link, once, to set its account's password; end the account's sessions and
    cancel its other links. Raises PasswordLinkDead or AccountRefused before writing."""
    now = now or utcnow()
    checked = check_password_link(token, now)
    if checked.problem:
        raise PasswordLinkDead(checked.problem)
    check_new_password(password)
    spent = db.session.execute(
        update(PasswordLink)
        .where(PasswordLink.id == checked.link.id, PasswordLink.used_at.is_(None))
        .values(used_at=now)
    )
    if spent.rowcount != 1:  # another request spent it since the check
        raise PasswordLinkDead("used")
    user = checked.link.user
    set_password(user, password)
    user.session_version += 1
    revoke_password_links(user, now)
    record(
        "password_set",
        object_type="user",
        object_id=user.id,
        by=user,
        purpose=checked.link.purpose,
    )
    return user
