"""Translated names of the categories in the shipped rating file (data/risk/categories.csv).

A supplier's category is typed by a buyer or read from an import; when it is one of the
shipped categories (ignoring case, spacing and a plural "s", as ratings are matched), pages
and reports show its name in the reader's language, otherwise the text as it was typed.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from portal.risk.data import category_spellings

NAMES = {
    "agriculture": _l("Agriculture"),
    "apparel": _l("Apparel"),
    "chemicals": _l("Chemicals"),
    "cleaning services": _l("Cleaning services"),
    "cocoa": _l("Cocoa"),
    "coffee": _l("Coffee"),
    "construction": _l("Construction"),
    "electronics": _l("Electronics"),
    "fishing": _l("Fishing"),
    "food processing": _l("Food processing"),
    "footwear": _l("Footwear"),
    "fresh produce": _l("Fresh produce"),
    "furniture": _l("Furniture"),
    "garments": _l("Garments"),
    "jewellery": _l("Jewellery"),
    "leather goods": _l("Leather goods"),
    "logistics": _l("Logistics"),
    "machinery": _l("Machinery"),
    "metal works": _l("Metal works"),
    "mining": _l("Mining"),
    "office supplies": _l("Office supplies"),
    "other": _l("Other"),
    "packaging": _l("Packaging"),
    "paper": _l("Paper"),
    "plastics": _l("Plastics"),
    "professional services": _l("Professional services"),
    "rubber": _l("Rubber"),
    "seafood": _l("Seafood"),
    "security services": _l("Security services"),
    "services": _l("Services"),
    "stone": _l("Stone"),
    "textiles": _l("Textiles"),
    "timber": _l("Timber"),
    "toys": _l("Toys"),
}


def category_key(name: str) -> str | None:
    """The shipped category that `name` stands for, or None."""
    for key in category_spellings(name):
        if key in NAMES:
            return key
    return None


def category_label(name: str, locale: str | None = None) -> str:
    """`name` in the reader's language (or in `locale`) when it is a shipped category."""
    key = category_key(name)
    if key is None:
        return name
    if locale is None:
        return str(NAMES[key])
    with force_locale(locale):
        return str(NAMES[key])
