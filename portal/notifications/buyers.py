"""Telling buyers what suppliers did: one mail each time, or an item in the daily digest.

"The buyer" of an assessment is the one who assigned it, of an action the one who opened
it, while that user is an active buyer or admin. When there is none (assigned from the
command line, or the account was deactivated), every active buyer of the supplier's
organisation is told; with no active buyer at all, every active admin of it. Nobody of
another organisation is ever told.
"""

from __future__ import annotations

from sqlalchemy import select

from portal.auth.models import Role, User
from portal.extensions import db
from portal.notifications.logic import mail_user
from portal.notifications.models import DigestItem
from portal.suppliers.models import Supplier

ASSESSMENT_SUBMITTED = "assessment_submitted"
ACTION_READY = "action_ready"
KINDS = (ASSESSMENT_SUBMITTED, ACTION_READY)


def buyers_to_tell(supplier_id: int, responsible_id: int | None) -> list[User]:
    """The responsible buyer when active, else all active buyers, else all active admins,
    of the supplier's organisation."""
    organisation_id = db.session.get(Supplier, supplier_id).organisation_id
    if responsible_id is not None:
        responsible = db.session.get(User, responsible_id)
        if (
            responsible is not None
            and responsible.active
            and responsible.is_buyer
            and responsible.organisation_id == organisation_id
        ):
            return [responsible]
    for role in (Role.BUYER, Role.ADMIN):
        users = list(
            db.session.scalars(
                select(User)
                .where(
                    User.organisation_id == organisation_id,
                    User.role == role,
                    User.active.is_(True),
                )
                .order_by(User.id)
            )
        )
        if users:
            return users
    return []


def tell_buyers(
    kind: str,
    *,
    subject_id: int,
    supplier_id: int,
    responsible_id: int | None,
    template: str,
    **context: object,
) -> tuple[int, int]:
    """Mail each buyer to tell now, or keep the news for the digest of those who chose it;
    return (mails queued, digest items kept)."""
    mailed = kept = 0
    for buyer in buyers_to_tell(supplier_id, responsible_id):
        if buyer.daily_digest:
            db.session.add(
                DigestItem(
                    user_id=buyer.id, kind=kind, subject_id=subject_id, supplier_id=supplier_id
                )
            )
            kept += 1
        else:
            mail_user(buyer, template, **context)
            mailed += 1
    return mailed, kept
