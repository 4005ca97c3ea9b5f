"""Importing suppliers from a CSV or XLSX file: every row checked first, then all or nothing."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from babel import Locale
from email_validator import EmailNotValidError, validate_email
from flask_babel import format_number
from flask_babel import gettext as _
from sqlalchemy import select

from portal.auth.logic import UserExists, normalise_email
from portal.auth.models import User
from portal.config import LANGUAGES
from portal.extensions import db
from portal.risk.logic import refresh_suppliers
from portal.suppliers.logic import country_codes, create_supplier

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_LINES = 2 * MAX_ROWS  # blank lines included: bounds the work a sparse sheet can cause
# An XLSX is a zip: refuse one that would unpack to far more than a 2 MB upload can honestly hold.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
COLUMNS = ("name", "country", "category", "contact_email", "contact_name", "language")
REQUIRED = ("name", "country", "category", "contact_email")
MAX_LENGTH = {"name": 200, "category": 100, "contact_email": 254, "contact_name": 200}
DEFAULT_LANGUAGE = "en"
_EMAIL_LOOKUP_CHUNK = 500


class ImportRefused(Exception):
    """The file cannot be imported; `problems` says why, one translated message each."""

    def __init__(self, *problems: str):
        super().__init__("\n".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class Row:
    """One data row as read: its line number and its cells by column name."""

    line: int
    cells: dict[str, str]
    extra: bool = False  # cells right of the header's last column


@dataclass(frozen=True)
class NewSupplier:
    """A checked row, ready to create."""

    line: int
    name: str
    country: str
    category: str
    contact_email: str
    contact_name: str
    language: str


def template_csv() -> bytes:
    """An empty import file: the header row only, in UTF-8 with a BOM for spreadsheets."""
    return (",".join(COLUMNS) + "\r\n").encode("utf-8-sig")


def import_suppliers(data: bytes, *, by: User | None) -> int:
    """Create one supplier and contact per row of a CSV or XLSX file; all rows or none.

    Raises ImportRefused listing every problem, with line numbers, when any row is bad.
    """
    new = check_rows(read_rows(data))
    # A savepoint: should anything fail half-way (an address taken meanwhile by another
    # request), the rows already created go too.
    with db.session.begin_nested():
        created = []
        for row in new:
            try:
                supplier = create_supplier(
                    name=row.name,
                    country=row.country,
                    category=row.category,
                    contact_email=row.contact_email,
                    contact_name=row.contact_name,
                    contact_locale=row.language,
                    by=by,
                    refresh_risk=False,
                )
            except UserExists:
                raise ImportRefused(_taken(row.line, row.contact_email)) from None
            created.append((supplier.id, supplier.country, supplier.category))
        refresh_suppliers(created, by=by)  # all at once: a few statements per 500 suppliers
    return len(new)


# Reading ------------------------------------------------------------------------------


def read_rows(data: bytes) -> list[Row]:
    """The data rows of a CSV or XLSX file, told apart by content; raise ImportRefused."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            _("The file is larger than %(size)s MB.", size=format_number(MAX_BYTES // 2**20))
        )
    if not data.strip():
        raise ImportRefused(_("The file is empty."))
    lines = _xlsx_lines(data) if data.startswith(b"PK\x03\x04") else _csv_lines(data)
    return _rows(lines)


def _not_readable() -> ImportRefused:
    return ImportRefused(
        _(
            "This file is neither a CSV file in UTF-8 nor an Excel workbook (.xlsx). "
            "In your spreadsheet, use Save as and choose CSV UTF-8 or Excel Workbook."
        )
    )


def _csv_lines(data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _not_readable() from None
    if "\x00" in text:  # valid UTF-8, but binary all the same
        raise _not_readable()
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    # Column names hold neither separator, so the header tells which one the file uses.
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise ImportRefused(
                _(
                    "Line %(line)d cannot be read as CSV: check its quotes.",
                    line=reader.line_num,
                )
            ) from None
        yield start, cells
        start = reader.line_num + 1


def _xlsx_lines(data: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _not_readable() from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise _not_readable()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error for a zip that is not a workbook
        raise _not_readable() from None
    try:
        if not workbook.worksheets:
            raise _not_readable()
        sheet = workbook.worksheets[0]
        # Trust the cells, not the sheet's declared size, which could pad every row.
        sheet.reset_dimensions()
        width = None
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(value) for value in values]
            if width is None:
                if not any(cells):
                    continue
                # Cells right of the header's last column are not part of the table.
                width = max(i for i, cell in enumerate(cells) if cell) + 1
            yield number, cells[:width]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _column_key(title: str) -> str:
    return "_".join(title.strip().lower().replace("-", " ").split())


def _rows(lines: Iterator[tuple[int, list[str]]]) -> list[Row]:
    """Check the header, then read up to MAX_ROWS non-blank data rows."""
    header: list[str] | None = None
    header_line = 0
    rows: list[Row] = []
    for line, cells in lines:
        if line > MAX_LINES:
            raise ImportRefused(
                _(
                    "The file has more than %(max)s lines. Remove empty lines or split it.",
                    max=format_number(MAX_LINES),
                )
            )
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header, header_line = [_column_key(cell) for cell in cells], line
            _check_header(header, header_line)
            continue
        if len(rows) == MAX_ROWS:
            raise ImportRefused(
                _(
                    "The file has more than %(max)s suppliers. Split it into smaller files.",
                    max=format_number(MAX_ROWS),
                )
            )
        values = {name: cell.strip() for name, cell in zip(header, cells, strict=False) if name}
        extra = any(cell.strip() for cell in cells[len(header) :])
        rows.append(Row(line, values, extra))
    if header is None:
        raise ImportRefused(_("The file is empty."))
    if not rows:
        raise ImportRefused(_("The file has a header row but no suppliers."))
    return rows


def _check_header(header: list[str], line: int) -> None:
    problems = []
    named = [name for name in header if name]
    for name in sorted({n for n in named if named.count(n) > 1}):
        problems.append(
            _("Line %(line)d: the column %(column)s appears twice.", line=line, column=name)
        )
    for name in [n for n in dict.fromkeys(named) if n not in COLUMNS]:
        problems.append(
            _(
                "Line %(line)d: unknown column %(column)s. The columns are: %(columns)s.",
                line=line,
                column=name,
                columns=", ".join(COLUMNS),
            )
        )
    for name in REQUIRED:
        if name not in named:
            problems.append(
                _("Line %(line)d: the column %(column)s is missing.", line=line, column=name)
            )
    if problems:
        raise ImportRefused(*problems)


# Checking -----------------------------------------------------------------------------


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
    known.update({code.casefold(): code for code in LANGUAGES})
    return known


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
    if language and language.casefold() not in _languages():
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
    """Addresses of the file that someone in the portal already uses, in a few queries."""
    emails = list(first_line_of)
    taken: list[str] = []
    for start in range(0, len(emails), _EMAIL_LOOKUP_CHUNK):
        chunk = emails[start : start + _EMAIL_LOOKUP_CHUNK]
        taken.extend(db.session.scalars(select(User.email).where(User.email.in_(chunk))))
    return [(first_line_of[email], _taken(first_line_of[email], email)) for email in taken]


def _taken(line: int, email: str) -> str:
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
        language=_languages()[language.casefold()] if language else DEFAULT_LANGUAGE,
    )
