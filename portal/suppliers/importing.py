"""Importing suppliers from a CSV or XLSX file: every row checked first, then all or nothing."""

from __future__ import annotations

from dataclasses import dataclass

from portal.auth.logic import UserExists
from portal.auth.models import User
from portal.extensions import db
from portal.suppliers.import_checks import check_rows, taken_message
from portal.suppliers.import_reading import read_rows
from portal.suppliers.import_rows import COLUMNS, MAX_ROWS, ImportRefused
from portal.suppliers.matching import known_companies
from portal.suppliers.models import Supplier

__all__ = [
    "COLUMNS",
    "MAX_ROWS",
    "ImportRefused",
    "Imported",
    "import_suppliers",
    "template_csv",
]
from portal.suppliers.logic import create_supplier


def template_csv() -> bytes:
    """An empty import file: the header row only, in UTF-8 with a BOM for spreadsheets."""
    return (",".join(COLUMNS) + "\r\n").encode("utf-8-sig")


@dataclass(frozen=True)
class Imported:
    """What an import did."""

    suppliers: int
    mails: int  # invitations queued (0 when the buyer chose not to invite)


def import_suppliers(data: bytes, *, by: User | None, invite: bool = False) -> Imported:
    """Create one supplier and contact per row of a CSV or XLSX file; all rows or none.
    With `invite`, mail each new contact a sign-in link to the portal.

    Raises ImportRefused listing every problem, with line numbers, when any row is bad.
    """
    new = check_rows(read_rows(data))
    # A savepoint: should anything fail half-way (an address taken meanwhile by another
    # request), the rows already created go too.
    created = []
    known = known_companies((row.name, row.country) for row in new)
    with db.session.begin_nested():
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
                    known=known,
                )
            except UserExists:
                raise ImportRefused(taken_message(row.line, row.contact_email)) from None
            created.append(supplier)
    mails = _invite(created, by) if invite else 0
    return Imported(len(new), mails)


def _invite(suppliers: list[Supplier], by: User | None) -> int:
    """Mail each imported supplier's contact a sign-in link; return how many mails."""
    from portal.notifications.contacts import mail_contact

    for supplier in suppliers:
        mail_contact(supplier.contact_links[0].user, "welcome", supplier=supplier, by=by)
    return len(suppliers)
