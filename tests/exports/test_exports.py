"""Buyer exports as CSV and XLSX: the right rows, labels in the buyer's language, no formulas."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

from portal.assessments.models import Assessment
from portal.extensions import db
from tests.answers_fixture import SAMPLE_ANSWERS

KINDS = ("suppliers", "assessments", "answers")
FORMATS = ("csv", "xlsx")
HYPERLINK = '=HYPERLINK("http://x")'


@pytest.fixture
def buyer(client, make_buyer, sign_in_buyer):
    sign_in_buyer(make_buyer())
    return client


@pytest.fixture
def submit(app, make_supplier, make_assessment, issue_link):
    """Create a supplier with a submitted assessment; return (supplier id, assessment id)."""

    def make(name: str | None = None, responsible: str = "Ana López") -> tuple[int, int]:
        supplier_id, contact_id = make_supplier(name)
        assessment_id = make_assessment(supplier_id)
        phone = app.test_client()
        phone.post(f"/link/{issue_link(contact_id)}")
        for number, answers in SAMPLE_ANSWERS.items():
            if number == 2:
                answers = {**answers, "q-hs_responsible": responsible}
            response = phone.post(f"/s/assessments/{assessment_id}/sections/{number}", data=answers)
            assert response.status_code == 302
        assert phone.post(f"/s/assessments/{assessment_id}/submit").status_code == 302
        return supplier_id, assessment_id

    return make


def _download(client, kind: str, file_format: str):
    response = client.get(f"/b/exports/{kind}.{file_format}")
    assert response.status_code == 200, response.text
    return response


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _xlsx_sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).worksheets[0]


def _xlsx_rows(data: bytes) -> list[list[object]]:
    return [list(row) for row in _xlsx_sheet(data).iter_rows(values_only=True)]


def _revision_answers(app, assessment_id: int) -> dict:
    with app.app_context():
        answers = db.session.get(Assessment, assessment_id).revisions[-1].answers
        return {k: v for k, v in answers.items() if v not in (None, "", [])}


def test_the_export_page_links_every_kind_in_both_formats(buyer):
    page = buyer.get("/b/exports/").text
    for kind in KINDS:
        for file_format in FORMATS:
            assert f'href="/b/exports/{kind}.{file_format}"' in page
    assert 'href="/b/exports/"' in buyer.get("/b/suppliers/").text


@pytest.mark.parametrize(
    ("file_format", "content_type"),
    [
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
@pytest.mark.parametrize("kind", KINDS)
def test_each_export_is_an_attachment_named_with_the_date(buyer, kind, file_format, content_type):
    response = _download(buyer, kind, file_format)

    assert response.headers["Content-Type"] == content_type
    filename = f"closeloop-{kind}-{date.today().isoformat()}.{file_format}"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response.headers["Cache-Control"] == "no-store"


def test_suppliers_export_lists_each_supplier_with_contacts_and_latest_status(
    buyer, make_supplier, make_assessment, submit
):
    idle_id, _contact = make_supplier("Atelier Zéphyr")
    submit("Bolt Works")
    make_assessment(idle_id)
    make_assessment(idle_id)

    for rows in (
        _csv_rows(_download(buyer, "suppliers", "csv").data),
        _xlsx_rows(_download(buyer, "suppliers", "xlsx").data),
    ):
        assert rows[0] == [
            "Name",
            "Country code",
            "Country",
            "Category",
            "Contacts",
            "Assessments",
            "Latest assessment status",
        ]
        names = [row[0] for row in rows[1:]]
        assert names == ["Atelier Zéphyr", "Bolt Works"]
        zephyr, bolt = rows[1], rows[2]
        assert zephyr[1:4] == ["VN", "Vietnam", "Textiles"]
        assert "@supplier.example>" in zephyr[4]
        assert zephyr[4].startswith("Contact ")
        assert str(zephyr[5]) == "2"
        assert zephyr[6] == "invited"
        assert str(bolt[5]) == "1"
        assert bolt[6] == "submitted"


def test_assessments_export_has_score_and_red_flags_of_the_latest_revision(
    app, buyer, make_supplier, make_assessment, submit
):
    _supplier_id, submitted_id = submit("Bolt Works")
    waiting_supplier, _contact = make_supplier("Calm Co")
    waiting_id = make_assessment(waiting_supplier)
    with app.app_context():
        submitted = db.session.get(Assessment, submitted_id)
        revision = submitted.revisions[-1]
        overall, flags = revision.score["overall"], len(revision.red_flags)
        due = submitted.due_date

    csv_rows = _csv_rows(_download(buyer, "assessments", "csv").data)
    xlsx_rows = _xlsx_rows(_download(buyer, "assessments", "xlsx").data)

    assert (
        csv_rows[0]
        == xlsx_rows[0]
        == [
            "Assessment ID",
            "Supplier",
            "Questionnaire",
            "Version",
            "Status",
            "Due date",
            "Submitted at (UTC)",
            "Overall score (%)",
            "Red flags",
        ]
    )
    assert [row[:2] for row in csv_rows[1:]] == [
        [str(submitted_id), "Bolt Works"],
        [str(waiting_id), "Calm Co"],
    ]
    bolt, calm = csv_rows[1], csv_rows[2]
    assert bolt[3:6] == ["1", "submitted", due.isoformat()]
    assert bolt[6].startswith(date.today().isoformat())
    assert bolt[7:] == [str(overall), str(flags)]
    assert calm[4:] == ["invited", calm[5], "", "", ""]
    xlsx_bolt = xlsx_rows[1]
    assert xlsx_bolt[0] == submitted_id
    assert xlsx_bolt[5].date() == due
    assert xlsx_bolt[7] == overall
    assert xlsx_bolt[8] == flags
    assert xlsx_rows[2][6:] == [None, None, None]


def test_answers_export_has_one_row_per_answer_of_the_latest_revision(app, buyer, submit):
    _supplier_id, assessment_id = submit("Bolt Works")
    stored = _revision_answers(app, assessment_id)

    csv_rows = _csv_rows(_download(buyer, "answers", "csv").data)
    xlsx_rows = _xlsx_rows(_download(buyer, "answers", "xlsx").data)

    header = [
        "Supplier",
        "Assessment ID",
        "Questionnaire",
        "Version",
        "Revision",
        "Section",
        "Question",
        "Answer",
        "Raw value",
    ]
    assert csv_rows[0] == xlsx_rows[0] == header
    assert len(csv_rows) - 1 == len(xlsx_rows) - 1 == len(stored)
    by_question = {row[6]: row for row in csv_rows[1:]}
    responsible = by_question["Name of the person responsible for health and safety"]
    assert responsible[:2] == ["Bolt Works", str(assessment_id)]
    assert responsible[4:] == ["1", responsible[5], responsible[6], "Ana López", "Ana López"]
    waste = next(row for row in csv_rows[1:] if row[8].startswith("["))
    assert waste[8] == '["sorted_recycled", "collected"]'
    workers = next(row for row in xlsx_rows[1:] if row[8] == 12)
    assert workers[7] == "12 workers"


def test_labels_follow_the_buyers_language(buyer, submit):
    submit("Bolt Works")
    buyer.get("/lang/fr")

    suppliers = _csv_rows(_download(buyer, "suppliers", "csv").data)
    answers = _xlsx_rows(_download(buyer, "answers", "xlsx").data)

    assert suppliers[0][:3] == ["Nom", "Code pays", "Pays"]
    assert suppliers[1][2] == "Viêt Nam"
    assert "Nom de la personne responsable de la santé et de la sécurité" in [
        row[6] for row in answers
    ]
    assert _xlsx_sheet(_download(buyer, "answers", "xlsx").data).title == "Réponses"


def test_formula_like_text_is_neutralised_in_csv_and_kept_as_text_in_xlsx(app, buyer, submit):
    submit(HYPERLINK, responsible="@SUM(A1)")
    submit("+cmd", responsible="-2+3")

    suppliers = _csv_rows(_download(buyer, "suppliers", "csv").data)
    answers = _csv_rows(_download(buyer, "answers", "csv").data)

    assert [row[0] for row in suppliers[1:]] == ["'+cmd", "'" + HYPERLINK]
    assert {"'@SUM(A1)", "'-2+3"} <= {row[7] for row in answers[1:]}
    assert {"'@SUM(A1)", "'-2+3"} <= {row[8] for row in answers[1:]}
    assert {row[0] for row in answers[1:]} == {"'+cmd", "'" + HYPERLINK}

    for kind in KINDS:
        data = _download(buyer, kind, "xlsx").data
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
            assert sheets
            assert all(b"<f>" not in archive.read(n) for n in sheets)
        cells = {cell.value: cell for row in _xlsx_sheet(data).iter_rows() for cell in row}
        expected = {HYPERLINK, "+cmd"} | ({"@SUM(A1)", "-2+3"} if kind == "answers" else set())
        for value in expected:
            assert value in cells, (kind, value)
            assert cells[value].data_type == "s", (kind, value)


@pytest.mark.parametrize("kind", KINDS)
def test_exports_run_a_fixed_number_of_statements(
    buyer, submit, make_assessment, count_queries, kind
):
    supplier_id, _assessment = submit()
    make_assessment(supplier_id)
    for file_format in FORMATS:
        _download(buyer, kind, file_format)  # warm the per-process caches
    with count_queries() as few:
        _download(buyer, kind, "csv")
    for _ in range(3):
        supplier_id, _assessment = submit()
        make_assessment(supplier_id)
    with count_queries() as more:
        _download(buyer, kind, "csv")
    with count_queries() as more_xlsx:
        _download(buyer, kind, "xlsx")

    assert len(more) == len(few) == len(more_xlsx), (few, more)


def test_a_supplier_can_reach_no_export(client, make_supplier, sign_in_supplier):
    _supplier_id, contact_id = make_supplier()
    sign_in_supplier(contact_id)

    assert client.get("/b/exports/").status_code == 403
    for kind in KINDS:
        for file_format in FORMATS:
            assert client.get(f"/b/exports/{kind}.{file_format}").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/b/exports/suppliers.csv")
    assert response.status_code in (302, 401)


@pytest.mark.parametrize("path", ["/b/exports/users.csv", "/b/exports/suppliers.xls"])
def test_unknown_exports_are_not_found(buyer, path):
    assert buyer.get(path).status_code == 404
