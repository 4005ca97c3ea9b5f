"""Users, passwords and sign-in links, without any request handling."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import func, or_, select, true, update
from werkzeug.security import check_password_hash, generate_password_hash

from portal.audit.logic import record
from portal.auth.models import ORGANISATION_ROLES, Role, SignInLink, User
from portal.db import utcnow
from portal.extensions import db
from portal.refusals import Refused

# A fixed hash (one per hashing method) to compare against when the email is unknown, so
# that timing does not tell which addresses have accounts.
_DUMMY_HASHES: dict[str, str] = {}
EMAIL_MAX = 254  # the longest address SMTP carries


class UserExists(Refused, ValueError):
    """An account with this email address already exists."""


def _hash(password: str) -> str:
    """A salted hash of `password`, by the app's PASSWORD_HASH_METHOD (scrypt)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def _dummy_hash() -> str:
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash("not-a-real-password", method=method)
    return _DUMMY_HASHES[method]


def normalise_email(email: str) -> str:
    """Lower-case and strip an email address."""
    return email.strip().lower()


def usable_email(email: str) -> str | None:
    """The address normalised, or None when it is not a valid email address."""
    email = normalise_email(email)
    if not email or len(email) > EMAIL_MAX:
        return None
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return None
    return email


def find_user(email: str) -> User | None:
    """The user with this email address, if any."""
    query = select(User).where(User.email == normalise_email(email))
    # An address is unique across organisations: look it up in all of them.
    return db.session.scalar(query.execution_options(all_organisations=True))


def create_user(
    email: str,
    role: Role,
    *,
    name: str = "",
    password: str | None = None,
    supplier_id: int | None = None,
    locale: str | None = None,
    organisation_id: int | None = None,
) -> User:
    """Create a user; raise UserExists when the email is taken.

    A buyer or admin belongs to `organisation_id`, by default the acting one; a supplier
    contact answers for `supplier_id`; an instance admin belongs to none."""
    email = normalise_email(email)
    if find_user(email) is not None:
        raise UserExists(email)
    return insert_user(
        email,
        role,
        name=name,
        password=password,
        supplier_id=supplier_id,
        locale=locale,
        organisation_id=organisation_id,
    )


def insert_user(
    email: str,
    role: Role,
    *,
    name: str = "",
    password: str | None = None,
    supplier_id: int | None = None,
    locale: str | None = None,
    organisation_id: int | None = None,
) -> User:
    """`create_user` for a caller that has just found no user with this address (an
    import looks every row's contact up: once is enough). A race still ends on the unique
    address, never in two accounts."""
    email = normalise_email(email)
    in_organisation = role in ORGANISATION_ROLES
    if in_organisation and organisation_id is None:
        from portal.organisations.logic import acting_organisation_id

        organisation_id = acting_organisation_id()
    user = User(
        email=email,
        role=role,
        name=name.strip(),
        organisation_id=organisation_id if in_organisation else None,
        locale=locale,
        password_hash=_hash(password) if password else None,
    )
    db.session.add(user)
    if supplier_id is not None:
        from portal.suppliers.models import SupplierContact

        user.contact_links.append(SupplierContact(supplier_id=supplier_id, name=user.name))
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    """Store a new password hash for `user`."""
    user.password_hash = _hash(password)


def authenticate(email: str, password: str) -> User | None:
    """The active buyer, admin or instance admin with this email and password, else None."""
    user = find_user(email)
    if user is None or user.password_hash is None or user.role == Role.SUPPLIER:
        check_password_hash(_dummy_hash(), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def hash_token(token: str) -> str:
    """SHA-256 of a sign-in token (tokens are 256-bit random, so no salt is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_sign_in_link(user: User, *, by: User | None, days: int) -> str:
    """Create a one-time sign-in link for `user`; return the token, which is not stored."""
    token = secrets.token_urlsafe(32)
    link = SignInLink(
        user_id=user.id,
        token_hash=hash_token(token),
        expires_at=utcnow() + timedelta(days=days),
        created_by_id=by.id if by else None,
    )
    db.session.add(link)
    db.session.flush()
    record_for_contact("link_issued", user, by)
    return token


def record_for_contact(action: str, user: User, by: User | None, **detail: object) -> None:
    """Audit something about a person, in the history of each supplier it concerns: the
    acting buyer's organisation's supplier(s), else every supplier the person answers for
    (each organisation sees that its contact signed in)."""
    links = [link for link in user.contact_links if link.active]
    if by is not None and by.is_buyer:
        links = [link for link in user.contact_links if link.organisation_id == by.organisation_id]
    for supplier_id in [link.supplier_id for link in links] or [None]:
        record(
            action, object_type="user", object_id=user.id, by=by, supplier_id=supplier_id, **detail
        )


@dataclass(frozen=True)
class LinkCheck:
    """What a token is worth: the user it signs in, or why it cannot be used."""

    user: User | None
    problem: str | None  # "unknown", "used", "expired", "revoked", "inactive" or None


def check_link(token: str, now: datetime | None = None) -> LinkCheck:
    """Look a token up without spending it."""
    now = now or utcnow()
    link = db.session.scalar(select(SignInLink).where(SignInLink.token_hash == hash_token(token)))
    if link is None:
        return LinkCheck(None, "unknown")
    if link.revoked_at is not None:
        return LinkCheck(link.user, "revoked")
    if link.used_at is not None:
        return LinkCheck(link.user, "used")
    if link.expires_at <= now:
        return LinkCheck(link.user, "expired")
    if not link.user.can_sign_in:
        return LinkCheck(link.user, "inactive")
    return LinkCheck(link.user, None)


def spend_link(token: str, now: datetime | None = None) -> LinkCheck:
    """Mark a valid link used, atomically, so that only one request can sign in with it."""
    now = now or utcnow()
    checked = check_link(token, now)
    if checked.problem:
        return checked
    spent = db.session.execute(
        update(SignInLink)
        .where(SignInLink.token_hash == hash_token(token), SignInLink.used_at.is_(None))
        .values(used_at=now)
    )
    if spent.rowcount != 1:
        return LinkCheck(checked.user, "used")
    record_for_contact("signed_in_by_link", checked.user, checked.user)
    return checked


def _issued_within(by: User | None):
    """Links a buyer's organisation may see and revoke: those its own buyers issued and
    those the contact asked for; another organisation's links are its own business."""
    if by is None or not by.is_buyer:
        return true()
    return or_(
        SignInLink.created_by_id.is_(None),
        SignInLink.created_by_id.in_(
            select(User.id).where(User.organisation_id == by.organisation_id)
        ),
    )


def revoke_links(user: User, *, by: User | None) -> int:
    """Revoke the unspent links of `user` (those `by`'s organisation issued, when `by` is a
    buyer) and end their sessions; return how many links."""
    now = utcnow()
    result = db.session.execute(
        update(SignInLink)
        .where(
            _issued_within(by),
            SignInLink.user_id == user.id,
            SignInLink.used_at.is_(None),
            SignInLink.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    user.session_version += 1
    record_for_contact("links_revoked", user, by, count=result.rowcount)
    return result.rowcount


def active_link_count(user: User, by: User | None = None) -> int:
    """How many of the user's links could still be used (of those `by` may see)."""
    return db.session.scalar(
        select(func.count(SignInLink.id)).where(
            _issued_within(by),
            SignInLink.user_id == user.id,
            SignInLink.used_at.is_(None),
            SignInLink.revoked_at.is_(None),
            SignInLink.expires_at > utcnow(),
        )
    )
