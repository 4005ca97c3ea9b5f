"""Checking every row of a supplier import before anything is written."""

from __future__ import annotations

from functools import cache

from babel import Locale
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import select

from portal.auth.logic import normalise_email
from portal.auth.models import Role, User
from portal.config import LANGUAGES
from portal.extensions import db
from portal.suppliers.import_rows import (
    DEFAULT_LANGUAGE,
    EMAIL_LOOKUP_CHUNK,
    MAX_LENGTH,
    REQUIRED,
    ImportRefused,
    NewSupplier,
    Row,
)
from portal.suppliers.logic import country_codes


@cache
def _countries() -> dict[str, str]:
    """Country codes and names (English first, then the portal's languages) to ISO codes."""
    codes = set(country_codes())
    known: dict[str, str] = {}
    for language in sorted(LANGUAGES, key=lambda code: code == "en"):
        for code, name in Locale.parse(language).territories.items():
            if code in codes:
                known[name.casefold()] = code
    known.update({code.casefold(): code for code in codes})
    return known


@cache
def _languages() -> dict[str, str]:
    known = {name.casefold(): code for code, name in LANGUAGES.items()}
    for code in LANGUAGES:
        known[code.casefold()] = code
        known[code.casefold().replace("_", "-")] = code  # zh-Hans, as BCP 47 spells it
        known.setdefault(code.split("_")[0].casefold(), code)  # zh for zh_Hans
    return known


def language_code(value: str) -> str | None:
    """The shipped language a typed code or name stands for (`pt-BR` is `pt`), or None."""
    known = _languages()
    typed = value.strip().casefold()
    if typed in known:
        return known[typed]
    parts = typed.replace("_", "-").split("-")
    region = parts[1] if len(parts) == 2 else ""
    is_region = len(region) == 2 and region.isalpha() or len(region) == 3 and region.isdigit()
    return known.get(parts[0]) if is_region else None


def check_rows(rows: list[Row]) -> list[NewSupplier]:
    """Check every row; raise ImportRefused listing every problem, else return them all."""
    problems: list[tuple[int, str]] = []
    first_line_of: dict[str, int] = {}
    new: list[NewSupplier] = []
    for row in rows:
        found = _row_problems(row, first_line_of)
        problems.extend((row.line, problem) for problem in found)
        if not found:
            new.append(_new_supplier(row))
    problems.extend(_taken_addresses(first_line_of))
    if problems:
        problems.sort(key=lambda item: item[0])
        raise ImportRefused(*(message for _line, message in problems))
    return new


def _row_problems(row: Row, first_line_of: dict[str, int]) -> list[str]:
    cells, line = row.cells, row.line
    found = []
    if row.extra:
        found.append(
            _(
                "Line %(line)d has more cells than the header: a value with a separator in it "
                "needs quotes.",
                line=line,
            )
        )
    for column in REQUIRED:
        if not cells.get(column):
            found.append(_("Line %(line)d: %(column)s is empty.", line=line, column=column))
    for column, limit in MAX_LENGTH.items():
        if len(cells.get(column, "")) > limit:
            found.append(
                _(
                    "Line %(line)d: %(column)s is longer than %(max)d characters.",
                    line=line,
                    column=column,
                    max=limit,
                )
            )
    country = cells.get("country", "")
    if country and country.casefold() not in _countries():
        found.append(
            _(
                "Line %(line)d: %(value)s is not a country code (such as FR) or a country name.",
                line=line,
                value=country,
            )
        )
    language = cells.get("language", "")
    if language and language_code(language) is None:
        found.append(
            _(
                "Line %(line)d: unknown language %(value)s. Use one of: %(codes)s.",
                line=line,
                value=language,
                codes=", ".join(LANGUAGES),
            )
        )
    email = cells.get("contact_email", "")
    if email and len(email) <= MAX_LENGTH["contact_email"]:
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError:
            found.append(
                _(
                    "Line %(line)d: %(value)s is not a valid email address.",
                    line=line,
                    value=email,
                )
            )
        else:
            key = normalise_email(email)
            if key in first_line_of:
                found.append(
                    _(
                        "Line %(line)d: %(value)s is already on line %(first)d.",
                        line=line,
                        value=email,
                        first=first_line_of[key],
                    )
                )
            else:
                first_line_of[key] = line
    return found


def _taken_addresses(first_line_of: dict[str, int]) -> list[tuple[int, str]]:
    """Addresses of the file that a buyer or admin of the portal uses, in a few queries.

    An address a supplier contact already uses is not taken: that person becomes the
    contact of the new supplier too (whoever else they answer for stays untold)."""
    emails = list(first_line_of)
    taken: list[str] = []
    for start in range(0, len(emails), EMAIL_LOOKUP_CHUNK):
        chunk = emails[start : start + EMAIL_LOOKUP_CHUNK]
        query = select(User.email).where(User.email.in_(chunk), User.role != Role.SUPPLIER)
        taken.extend(db.session.scalars(query.execution_options(all_organisations=True)))
    return [(first_line_of[email], taken_message(first_line_of[email], email)) for email in taken]


def taken_message(line: int, email: str) -> str:
    return _("Line %(line)d: someone in the portal already uses %(value)s.", line=line, value=email)


def _new_supplier(row: Row) -> NewSupplier:
    cells = row.cells
    language = cells.get("language", "")
    return NewSupplier(
        line=row.line,
        name=cells["name"],
        country=_countries()[cells["country"].casefold()],
        category=cells["category"],
        contact_email=cells["contact_email"],
        contact_name=cells.get("contact_name", ""),
        language=language_code(language) if language else DEFAULT_LANGUAGE,
    )
