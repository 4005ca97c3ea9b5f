"""Cell writing rules, without HTTP."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from portal.exports.formats import csv_cell, neutralise, sheet_title, to_csv, to_xlsx


@pytest.mark.parametrize(
    "text", ["=1+1", "+33 1 23", "-x", "@SUM(A1)", "\tcmd", "\rcmd", "\ncmd", '=HYPERLINK("x")']
)
def test_text_a_spreadsheet_would_run_gets_a_leading_apostrophe(text):
    assert neutralise(text) == "'" + text
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["", "a=b", "Ana López", " =1", "'quoted", "1+1"])
def test_other_text_is_left_alone(text):
    assert neutralise(text) == text


def test_numbers_dates_and_nothing_are_written_as_plain_values():
    assert csv_cell(-3) == "-3"
    assert csv_cell(82.5) == "82.5"
    assert csv_cell(None) == ""
    assert csv_cell(date(2026, 3, 14)) == "2026-03-14"
    assert csv_cell(datetime(2026, 3, 14, 9, 30, 5, 123, tzinfo=UTC)) == "2026-03-14 09:30:05"


def test_csv_quotes_separators_and_line_breaks():
    data = to_csv(["a", "b"], [["x, y", "two\nlines"]]).decode("utf-8-sig")
    assert data == 'a,b\r\n"x, y","two\nlines"\r\n'


def test_xlsx_keeps_types_drops_characters_excel_refuses_and_never_stores_formulas():
    data = to_xlsx(
        "Answers: [all]",
        ["text", "number", "date"],
        [["=1+1", -3, datetime(2026, 3, 14, 9, 30, tzinfo=UTC)], ["bell\x07", 2.5, None]],
    )
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows()]

    assert sheet.title == "Answers   all"
    assert [(c.value, c.data_type) for c in rows[1]][:2] == [("=1+1", "s"), (-3, "n")]
    assert rows[1][2].value == datetime(2026, 3, 14, 9, 30)
    assert rows[2][0].value == "bell"
    assert rows[0][0].font.bold


def test_sheet_titles_fit_excels_rules():
    assert len(sheet_title("x" * 40)) == 31
    assert sheet_title("[]") == "Sheet"
