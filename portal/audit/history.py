"""A supplier's audit trail as people read it: who did what, when, newest first."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from babel.core import Locale
from flask_babel import force_locale, format_date, format_decimal, get_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from portal.audit.models import AuditEntry
from portal.auth.models import User
from portal.extensions import db

PAGE_SIZE = 50


@dataclass(frozen=True)
class HistoryEntry:
    """One audit row and the name of whoever made it (None: the system)."""

    entry: AuditEntry
    actor: str | None

    @property
    def at(self) -> datetime:
        return self.entry.at


@dataclass(frozen=True)
class HistoryPage:
    entries: list[HistoryEntry] = field(default_factory=list)
    total: int = 0
    page: int = 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def _entries(supplier_id: int) -> Select:
    """Rows of one supplier with their actor, newest first (ties: latest written first)."""
    return (
        select(AuditEntry, User.name, User.email)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.supplier_id == supplier_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )


def _rows(query: Select) -> Iterator[HistoryEntry]:
    for entry, name, email in db.session.execute(query):
        yield HistoryEntry(entry, (name or email) if email is not None else None)


def history(supplier_id: int, *, page: int = 1) -> HistoryPage:
    """One page of a supplier's history, newest first: one count, one query for the rows."""
    total = db.session.scalar(
        select(func.count(AuditEntry.id)).where(AuditEntry.supplier_id == supplier_id)
    )
    page = min(max(1, page), max(1, -(-total // PAGE_SIZE)))
    query = _entries(supplier_id).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    return HistoryPage(list(_rows(query)), total, page)


def object_history(object_type: str, object_id: int) -> list[HistoryEntry]:
    """The latest entries about one object (such as a user account), newest first."""
    query = (
        select(AuditEntry, User.name, User.email)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.object_type == object_type, AuditEntry.object_id == object_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(PAGE_SIZE)
    )
    return list(_rows(query))


def full_history(supplier_id: int) -> Iterator[HistoryEntry]:
    """Every entry of a supplier, newest first, in one query (for the export)."""
    return _rows(_entries(supplier_id))


# --- sentences --------------------------------------------------------------------------


def _status(value: str) -> str:
    from portal.assessments.status import status_label

    try:
        return status_label(value)
    except ValueError:
        return value


def _tier(value: str) -> str:
    from portal.risk.texts import tier_label

    try:
        return tier_label(value)
    except ValueError:
        return value or "–"


def _score(value: str) -> str:
    try:
        return format_decimal(float(value), format="#,##0.#")
    except (TypeError, ValueError):
        return "–"


def _severity(value: str) -> str:
    labels = {"low": _("low"), "medium": _("medium"), "high": _("high"), "critical": _("critical")}
    return labels.get(value, value)


def _day(value: str) -> str:
    try:
        return format_date(date.fromisoformat(value))
    except (TypeError, ValueError):
        return value


def _count(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _assigned(d: Mapping[str, str]) -> str:
    names = {"questionnaire": d.get("questionnaire", ""), "due": _day(d.get("due", ""))}
    if d.get("reassesses"):
        return _("Reassessment assigned: %(questionnaire)s, due %(due)s", **names)
    return _("Assessment assigned: %(questionnaire)s, due %(due)s", **names)


def _risk_changed(d: Mapping[str, str]) -> str:
    return _(
        "Risk changed: %(old_tier)s → %(new_tier)s (%(old_score)s → %(new_score)s)",
        old_tier=_tier(d["old_tier"]),
        new_tier=_tier(d["new_tier"]),
        old_score=_score(d["old_score"]),
        new_score=_score(d["new_score"]),
    )


def _rating_changed(d: Mapping[str, str]) -> str:
    return _(
        "Risk rating changed: %(key)s: %(old)s → %(new)s",
        key=d.get("key", ""),
        old=d.get("old_rating") or "–",
        new=d.get("new_rating") or "–",
    )


def _action_status(d: Mapping[str, str]) -> str:
    from portal.actions.status import action_status_label  # actions import the audit log

    return _(
        "Corrective action: %(old)s → %(new)s",
        old=action_status_label(d["from_status"]),
        new=action_status_label(d["to_status"]),
    )


def _country(code: str) -> str:
    from portal.suppliers.logic import country_name  # suppliers import the audit log

    return country_name(code, get_locale() or "en") if code else "–"


def _language(code: str) -> str:
    from portal.config import LANGUAGES

    return LANGUAGES.get(code, code) if code else "–"


def _role(value: str) -> str:
    return {"admin": _("admin"), "buyer": _("buyer")}.get(value, value)


def _password_link(d: Mapping[str, str]) -> str:
    if d.get("purpose") == "invite":
        return _("Invitation mailed with a link to set a password")
    return _("Password reset link mailed")


def _old_new(d: Mapping[str, str], show: Callable[[str], str] = lambda v: v or "–") -> dict:
    return {"old": show(d.get("old", "")), "new": show(d.get("new", ""))}


DESCRIBERS: dict[str, Callable[[Mapping[str, str]], str]] = {
    "supplier_renamed": lambda d: _("Supplier renamed: %(old)s → %(new)s", **_old_new(d)),
    "supplier_country_changed": lambda d: _(
        "Country changed: %(old)s → %(new)s", **_old_new(d, _country)
    ),
    "supplier_category_changed": lambda d: _("Category changed: %(old)s → %(new)s", **_old_new(d)),
    "contact_email_changed": lambda d: _("Contact email changed: %(old)s → %(new)s", **_old_new(d)),
    "contact_renamed": lambda d: _("Contact name changed: %(old)s → %(new)s", **_old_new(d)),
    "contact_language_changed": lambda d: _(
        "Contact language changed: %(old)s → %(new)s", **_old_new(d, _language)
    ),
    "contact_added": lambda d: _("Contact added: %(email)s", email=d.get("email", "")),
    "contact_deactivated": lambda d: _("Contact deactivated: %(email)s", email=d.get("email", "")),
    "contact_reactivated": lambda d: _("Contact reactivated: %(email)s", email=d.get("email", "")),
    "user_invited": lambda d: _(
        "Account created for %(email)s (%(role)s)",
        email=d.get("email", ""),
        role=_role(d.get("role", "")),
    ),
    "password_link_sent": _password_link,
    "password_set": lambda d: _("Password set with a mailed link"),
    "user_deactivated": lambda d: _("Account deactivated, sessions ended"),
    "user_reactivated": lambda d: _("Account reactivated"),
    "supplier_created": lambda d: _("Supplier created: %(name)s", name=d.get("name", "")),
    "organisation_created": lambda d: _("Organisation created: %(name)s", name=d.get("name", "")),
    "organisation_renamed": lambda d: _("Organisation renamed: %(old)s → %(new)s", **_old_new(d)),
    "assessment_assigned": _assigned,
    "assessment_status": lambda d: _(
        "Assessment status: %(old)s → %(new)s",
        old=_status(d["from_status"]),
        new=_status(d["to_status"]),
    ),
    "answers_shared": lambda d: ngettext(
        "Supplier started from %(num)d answer given to another customer on %(date)s",
        "Supplier started from %(num)d answers given to another customer on %(date)s",
        _count(d.get("answers", "0")),
        date=_day(d.get("sent_on", "")),
    ),
    "answer_sharing_stopped": lambda d: _(
        "Supplier stopped sharing with you the answers it gives other customers"
    ),
    "answer_sharing_resumed": lambda d: _(
        "Supplier shares with you the answers it gives other customers again"
    ),
    "link_issued": lambda d: _("Sign-in link issued"),
    "signed_in_by_link": lambda d: _("Signed in with a link"),
    "mail_language_chosen": lambda d: _(
        "Contact chose the language of its mails: %(code)s", code=d.get("new", "")
    ),
    "links_revoked": lambda d: ngettext(
        "%(num)d sign-in link revoked, sessions ended",
        "%(num)d sign-in links revoked, sessions ended",
        _count(d.get("count", "0")),
    ),
    "questionnaire_published": lambda d: _(
        "Questionnaire published: %(key)s v%(version)s",
        key=d.get("key", ""),
        version=d.get("version", ""),
    ),
    "finding_recorded": lambda d: _(
        "Finding recorded (%(severity)s)", severity=_severity(d["severity"])
    ),
    "feedback_sent": lambda d: ngettext(
        "Feedback report sent to %(num)d contact",
        "Feedback report sent to %(num)d contacts",
        _count(d.get("recipients", "0")),
    ),
    "risk_changed": _risk_changed,
    "risk_change_acknowledged": lambda d: _("Risk change acknowledged"),
    "risk_rating_changed": _rating_changed,
    "action_created": lambda d: _(
        "Corrective action created, due %(due)s", due=_day(d.get("due_date", ""))
    ),
    "action_update": lambda d: (
        ngettext(
            "Progress posted on a corrective action, with %(num)d file",
            "Progress posted on a corrective action, with %(num)d files",
            _count(d.get("files", "0")),
        )
        if _count(d.get("files", "0"))
        else _("Progress posted on a corrective action")
    ),
    "action_due_date": lambda d: _(
        "Corrective action due date moved: %(old)s → %(new)s (%(reason)s)",
        old=_day(d["old"]),
        new=_day(d["new"]),
        reason=d.get("reason", ""),
    ),
    "action_status": _action_status,
}


def humanise(action: str) -> str:
    """An action's name as words, for actions this module does not know yet."""
    words = action.replace("_", " ").replace(".", " ").strip()
    return words[:1].upper() + words[1:] if words else _("Event")


def describe(entry: AuditEntry, locale: str | Locale | None = None) -> str:
    """The sentence that tells a person what `entry` records, in `locale` (default: current)."""
    describer = DESCRIBERS.get(entry.action)
    detail = {str(k): str(v) for k, v in (entry.detail or {}).items()}

    def sentence() -> str:
        if describer is None:
            return humanise(entry.action)
        try:
            return describer(detail)
        except (KeyError, ValueError, TypeError):
            return humanise(entry.action)

    if locale is None:
        return sentence()
    with force_locale(str(locale)):
        return sentence()
