"""Importing suppliers from a CSV or XLSX file: every row checked first, then all or nothing."""

from __future__ import annotations

from portal.auth.logic import UserExists
from portal.auth.models import User
from portal.extensions import db
from portal.suppliers.import_checks import check_rows, taken_message
from portal.suppliers.import_reading import read_rows
from portal.suppliers.import_rows import COLUMNS, MAX_ROWS, ImportRefused

__all__ = ["COLUMNS", "MAX_ROWS", "ImportRefused", "import_suppliers", "template_csv"]
from portal.suppliers.logic import create_supplier


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
        for row in new:
            try:
                create_supplier(
                    name=row.name,
                    country=row.country,
                    category=row.category,
                    contact_email=row.contact_email,
                    contact_name=row.contact_name,
                    contact_locale=row.language,
                    by=by,
                )
            except UserExists:
                raise ImportRefused(taken_message(row.line, row.contact_email)) from None
    return len(new)
