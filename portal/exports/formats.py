"""Writing rows as CSV or XLSX so that no cell ever runs as a spreadsheet formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime

from portal.exports.logic import Cell

CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel and LibreOffice run a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_SHEET_TITLE_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def neutralise(text: str) -> str:
    """Text that a spreadsheet would run as a formula, with a leading ' so it stays text."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _naive_utc(moment: datetime) -> datetime:
    """Spreadsheets know no time zones: UTC, without the zone."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def csv_cell(value: Cell) -> str:
    """One value as CSV text: dates in ISO form, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return _naive_utc(value).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """A CSV file in UTF-8 with a BOM (so that Excel reads the accents), comma-separated."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(value) for value in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def sheet_title(title: str) -> str:
    """A title Excel accepts for a sheet: no []:*?/\\ and at most 31 characters."""
    return title.translate(_SHEET_TITLE_FORBIDDEN).strip()[:31] or "Sheet"


def to_xlsx(title: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """An XLSX workbook of one sheet; every text cell is stored as a string, never a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(title))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def cell(value: Cell, font: Font | None = None) -> WriteOnlyCell:
        if isinstance(value, datetime):
            value = _naive_utc(value)
        elif isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        written = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            # openpyxl takes text that starts with "=" for a formula: say it is a string.
            written.data_type = "s"
        if font is not None:
            written.font = font
        return written

    sheet.append([cell(value, bold) for value in header])
    for row in rows:
        sheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
