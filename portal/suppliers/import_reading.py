"""Reading the rows of an uploaded CSV or XLSX file."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime

from flask_babel import format_number
from flask_babel import gettext as _

from portal.suppliers.import_rows import (
    COLUMNS,
    MAX_BYTES,
    MAX_LINES,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    REQUIRED,
    ImportRefused,
    Row,
)
from portal.typed_input import without_bidi_controls


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
        values = {
            name: without_bidi_controls(cell).strip()
            for name, cell in zip(header, cells, strict=False)
            if name
        }
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
