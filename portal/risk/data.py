"""The inherent-risk ratings shipped with the project: data/risk/countries.csv and categories.csv.

See docs/risk.md for their sources, date and scale. Admins change them in the portal; the
changes are stored in the database (RatingOverride), the files stay the shipped defaults.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from portal import PROJECT_ROOT
from portal.risk.models import MAX_RATING, MIN_RATING, RatingKind

DATA_DIR = PROJECT_ROOT / "data" / "risk"
FILES = {RatingKind.COUNTRY: "countries.csv", RatingKind.CATEGORY: "categories.csv"}
KEY_COLUMNS = {RatingKind.COUNTRY: "code", RatingKind.CATEGORY: "category"}
DEFAULT_KEY = "default"  # the rating of any country or category without its own


@dataclass(frozen=True)
class ShippedRating:
    key: str
    rating: int
    note: str


class RatingFileError(ValueError):
    """A shipped rating file that cannot be used as it is."""


def normalise_category(name: str) -> str:
    """A category as it is matched: lower case, single spaces."""
    return " ".join(name.split()).casefold()


def category_spellings(name: str) -> tuple[str, ...]:
    """The keys a typed category may match, in order: as typed (normalised), without a
    plural "s", with one."""
    wanted = normalise_category(name or "")
    return (wanted, wanted.removesuffix("s"), wanted + "s")


def normalise_key(kind: RatingKind, key: str) -> str:
    """The key under which a rating of `kind` is stored."""
    if normalise_category(key) == DEFAULT_KEY:
        return DEFAULT_KEY
    if kind == RatingKind.COUNTRY:
        return key.strip().upper()
    return normalise_category(key)


def read_ratings(path: Path, kind: RatingKind) -> dict[str, ShippedRating]:
    """Parse one rating file; raise RatingFileError on a bad row or a missing default."""
    ratings: dict[str, ShippedRating] = {}
    with path.open(encoding="utf-8", newline="") as file:
        for line, row in enumerate(csv.DictReader(file), start=2):
            key = normalise_key(kind, row.get(KEY_COLUMNS[kind]) or "")
            try:
                rating = int(row.get("rating") or "")
            except ValueError:
                raise RatingFileError(f"{path.name}:{line}: the rating is not a number") from None
            if not key or not MIN_RATING <= rating <= MAX_RATING:
                raise RatingFileError(f"{path.name}:{line}: needs a key and a rating of 1-5")
            if key in ratings:
                raise RatingFileError(f"{path.name}:{line}: {key} is listed twice")
            ratings[key] = ShippedRating(key, rating, (row.get("note") or "").strip())
    if DEFAULT_KEY not in ratings:
        raise RatingFileError(f"{path.name}: no '{DEFAULT_KEY}' row")
    return ratings


@cache
def shipped_ratings(kind: RatingKind) -> dict[str, ShippedRating]:
    """The shipped ratings of one kind, read once per process."""
    return read_ratings(DATA_DIR / FILES[RatingKind(kind)], RatingKind(kind))
