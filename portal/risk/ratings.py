"""Country and category ratings in effect: the shipped files with the admins' changes on top."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.audit.logic import record
from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.refusals import Refused
from portal.risk.data import DEFAULT_KEY, category_spellings, normalise_key, shipped_ratings
from portal.risk.models import MAX_RATING, MIN_RATING, RatingKind, RatingOverride

NOTE_MAX = 500
CATEGORY_MAX = 100


@dataclass(frozen=True)
class Rating:
    kind: RatingKind
    key: str
    rating: int
    note: str
    shipped: int | None  # the shipped file's rating; None for a category an admin added
    changed_by: User | None = None
    changed_at: datetime | None = None

    @property
    def changed(self) -> bool:
        return self.changed_at is not None


@dataclass(frozen=True)
class Rated:
    """The rating that applies to one supplier's country or category."""

    rating: int
    key: str  # the key whose rating applies (DEFAULT_KEY when nothing matched)

    @property
    def is_default(self) -> bool:
        return self.key == DEFAULT_KEY


class RatingTable:
    """Every rating in effect, looked up the way suppliers are matched."""

    def __init__(self, overrides: list[RatingOverride]):
        self.ratings: dict[RatingKind, dict[str, Rating]] = {
            kind: dict(_shipped_table(kind)) for kind in RatingKind
        }
        for o in overrides:
            kind = RatingKind(o.kind)
            shipped = shipped_ratings(kind).get(o.key)
            self.ratings[kind][o.key] = Rating(
                kind,
                o.key,
                o.rating,
                o.note,
                shipped.rating if shipped else None,
                o.updated_by,
                o.updated_at,
            )

    def country(self, code: str) -> Rated:
        """The rating of a country by its ISO code, else the default."""
        countries = self.ratings[RatingKind.COUNTRY]
        key = code if code in countries else DEFAULT_KEY
        return Rated(countries[key].rating, key)

    def category(self, name: str) -> Rated:
        """The rating of a category, ignoring case, spacing and a plural "s"; else the default."""
        categories = self.ratings[RatingKind.CATEGORY]
        for key in category_spellings(name):
            if key and key != DEFAULT_KEY and key in categories:
                return Rated(categories[key].rating, key)
        return Rated(categories[DEFAULT_KEY].rating, DEFAULT_KEY)

    def sorted(self, kind: RatingKind) -> list[Rating]:
        """Ratings of one kind, the default first, then by key."""
        return sorted(self.ratings[kind].values(), key=lambda r: (r.key != DEFAULT_KEY, r.key))


@cache
def _shipped_table(kind: RatingKind) -> dict[str, Rating]:
    """The shipped ratings as Ratings, made once per process (a risk refresh builds a table)."""
    shipped = shipped_ratings(kind)
    return {key: Rating(kind, key, r.rating, r.note, r.rating) for key, r in shipped.items()}


def rating_table(organisation_id: int) -> RatingTable:
    """The ratings in effect now for one organisation (one statement)."""
    overrides = db.session.scalars(
        select(RatingOverride)
        .where(RatingOverride.organisation_id == organisation_id)
        .options(joinedload(RatingOverride.updated_by))
    ).all()
    return RatingTable(list(overrides))


class RatingRefused(Refused, ValueError):
    """A rating change that cannot be made; `field` is the form field to blame."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _checked(kind: str, key: str, rating: object, note: str) -> tuple[RatingKind, str, int, str]:
    from portal.suppliers.logic import country_codes  # suppliers.logic imports risk

    try:
        kind = RatingKind(kind)
    except ValueError:
        raise RatingRefused("kind", _("Choose a country or a category.")) from None
    key = normalise_key(kind, key or "")
    if not key:
        if kind == RatingKind.COUNTRY:
            raise RatingRefused("key", _("Enter a country code (e.g. VN)."))
        raise RatingRefused("key", _("Name the category."))
    if kind == RatingKind.COUNTRY and key != DEFAULT_KEY and key not in country_codes():
        raise RatingRefused(
            "key", _("“%(code)s” is not an ISO 3166 country code (e.g. VN).", code=key)
        )
    if len(key) > CATEGORY_MAX:
        raise RatingRefused(
            "key", _("The category name can be at most %(max)d characters.", max=CATEGORY_MAX)
        )
    try:
        value = int(str(rating).strip())
    except ValueError:
        value = None
    if value is None or not MIN_RATING <= value <= MAX_RATING:
        raise RatingRefused(
            "rating",
            _(
                "The rating must be a whole number from %(min)d to %(max)d.",
                min=MIN_RATING,
                max=MAX_RATING,
            ),
        )
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise RatingRefused("note", _("The note can be at most %(max)d characters.", max=NOTE_MAX))
    return kind, key, value, note


def set_rating(kind: str, key: str, rating: object, note: str, *, by: User) -> RatingOverride:
    """Store an admin's rating of a country or category; raise RatingRefused on bad input.

    The caller refreshes the risk of the suppliers it applies to (logic.apply_rating).
    """
    kind, key, value, note = _checked(kind, key, rating, note)
    override = db.session.scalar(
        select(RatingOverride).where(
            RatingOverride.organisation_id == by.organisation_id,
            RatingOverride.kind == kind,
            RatingOverride.key == key,
        )
    )
    before = rating_table(by.organisation_id).ratings[kind].get(key)
    if override is None:
        override = RatingOverride(organisation_id=by.organisation_id, kind=kind, key=key)
        db.session.add(override)
    override.rating, override.note = value, note
    override.updated_by_id, override.updated_at = by.id, utcnow()
    db.session.flush()
    record(
        "risk_rating_changed",
        object_type="risk_rating",
        object_id=override.id,
        by=by,
        kind=kind,
        key=key,
        old_rating=before.rating if before else "",
        new_rating=value,
    )
    return override
