"""Importing suppliers from CSV or XLSX: every bad row reported, and all rows or none."""

from __future__ import annotations

import html
import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.auth.logic import UserExists
from portal.auth.models import Role, User
from portal.config import LANGUAGES
from portal.extensions import db
from portal.suppliers import importing
from portal.suppliers.importing import MAX_ROWS, ImportRefused, import_suppliers
from portal.suppliers.models import Supplier

GOOD_CSV = (
    "name,country,category,contact_email,contact_name,language\r\n"
    "Taller Textil Luna,MX,Textiles,rosa@luna.example,Rosa Pérez,es\r\n"
    "Atelier Dupont,fr,Leather goods,Marc@Dupont.example,,FR\r\n"
    "Green Farm,Kenya,Fresh produce,farm@green.example,Wanjiru,\r\n"
)


@pytest.fixture
def buyer(make_buyer, sign_in_buyer) -> int:
    buyer_id = make_buyer()
    sign_in_buyer(buyer_id)
    return buyer_id


def _upload(client, data: bytes, filename: str = "suppliers.csv"):
    return client.post(
        "/b/suppliers/import/",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def _counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count(Supplier.id))),
            db.session.scalar(select(func.count(User.id))),
            db.session.scalar(select(func.count(AuditEntry.id))),
        )


def _problems(page: str) -> list[str]:
    """The problems listed on the page, unescaped."""
    start = page.index("nothing was imported")
    block = page[start : page.index("</ul>", start)]
    return [html.unescape(item.split("</li>")[0]) for item in block.split("<li>")[1:]]


def _suppliers(app) -> dict[str, tuple[str, str, str, str, str | None]]:
    with app.app_context():
        return {
            s.name: (s.country, s.category, s.contact.email, s.contact.name, s.contact.locale)
            for s in db.session.scalars(select(Supplier))
        }


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_good_csv_creates_suppliers_with_contacts_and_audit_rows(app, client, buyer):
    response = _upload(client, GOOD_CSV.encode())

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/b/suppliers/")
    assert "3 suppliers imported." in client.get("/b/suppliers/").text
    assert _suppliers(app) == {
        "Taller Textil Luna": ("MX", "Textiles", "rosa@luna.example", "Rosa Pérez", "es"),
        "Atelier Dupont": ("FR", "Leather goods", "marc@dupont.example", "", "fr"),
        "Green Farm": ("KE", "Fresh produce", "farm@green.example", "Wanjiru", "en"),
    }
    with app.app_context():
        audited = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "supplier_created")
        ).all()
        contacts = db.session.scalars(select(User).where(User.role == Role.SUPPLIER)).all()
        assert all(contact.supplier_ids for contact in contacts)
    assert len(audited) == 3
    assert {entry.actor_id for entry in audited} == {buyer}


def test_a_good_xlsx_is_imported_from_its_first_sheet(app, client, buyer):
    data = _xlsx(
        [
            ["Contact_Email", "Name", "Category", "Country", "Language"],
            ["a@one.example", "One Ltd", "Packaging", "VN", "en"],
            [None, None, None, None, None],
            ["b@two.example", "Two SA", 42, "Spain", "Español"],
        ]
    )

    response = _upload(client, data, "suppliers.xlsx")

    assert response.status_code == 302
    assert _suppliers(app) == {
        "One Ltd": ("VN", "Packaging", "a@one.example", "", "en"),
        "Two SA": ("ES", "42", "b@two.example", "", "es"),
    }


def test_semicolon_separated_csv_with_a_bom_and_free_column_order(app, client, buyer):
    data = (
        "\ufeffCategory;Contact Email;COUNTRY;Name\r\n"
        "Textiles;ana@sur.example;Peru;Tejidos del Sur, S.A.\r\n"
        "\r\n"
        "Ceramics;li@kiln.example;cn;Kiln Works\r\n"
    ).encode()

    response = _upload(client, data)

    assert response.status_code == 302
    assert _suppliers(app) == {
        "Tejidos del Sur, S.A.": ("PE", "Textiles", "ana@sur.example", "", "en"),
        "Kiln Works": ("CN", "Ceramics", "li@kiln.example", "", "en"),
    }


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_imported(
    app, client, buyer, make_supplier
):
    with app.app_context():  # the buyer's own address is not a supplier contact's
        taken = db.session.scalars(select(User.email).where(User.role != Role.SUPPLIER)).one()
    data = (
        "name,country,category,contact_email,language\n"
        "Good One,FR,Textiles,good@one.example,fr\n"  # line 2: fine
        ",FR,Textiles,noname@x.example,\n"  # 3: no name
        "Bad Country,Atlantis,Textiles,bc@x.example,\n"  # 4
        "Bad Email,FR,Textiles,not-an-email,\n"  # 5
        "Twice,FR,Textiles,Good@One.example,\n"  # 6: same address as line 2
        f"Taken,FR,Textiles,{taken.upper()},\n"  # 7: already in the portal
        "Klingon,FR,Textiles,k@x.example,tlh\n"  # 8
        f"{'N' * 201},FR,,long@x.example,\n"  # 9: too long, and no category
        "Luna, S.A.,MX,Textiles,luna@x.example,es\n"  # 10: unquoted comma
    ).encode()
    before = _counts(app)

    response = _upload(client, data)

    assert response.status_code == 422
    codes = ", ".join(LANGUAGES)
    assert _problems(response.text) == [
        "Line 3: name is empty.",
        "Line 4: Atlantis is not a country code (such as FR) or a country name.",
        "Line 5: not-an-email is not a valid email address.",
        "Line 6: Good@One.example is already on line 2.",
        f"Line 7: someone in the portal already uses {taken}.",
        f"Line 8: unknown language tlh. Use one of: {codes}.",
        "Line 9: category is empty.",
        "Line 9: name is longer than 200 characters.",
        "Line 10 has more cells than the header: a value with a separator in it needs quotes.",
        "Line 10: S.A. is not a country code (such as FR) or a country name.",
        f"Line 10: unknown language luna@x.example. Use one of: {codes}.",
        "Line 10: Textiles is not a valid email address.",
    ]
    assert _counts(app) == before


def test_problems_are_shown_in_the_buyers_language(app, client, buyer):
    client.get("/lang/fr")
    response = _upload(client, b"name,country,category,contact_email\n,FR,Textiles,a@b.example\n")

    assert response.status_code == 422
    assert "Ligne 2" in response.text
    assert "nothing was imported" not in response.text


def test_a_missing_or_unknown_column_refuses_the_file(app, client, buyer):
    before = _counts(app)
    response = _upload(client, b"name,country,e-mail\nOne,FR,a@b.example\n")

    assert response.status_code == 422
    problems = html.unescape(response.text)
    assert "Line 1: unknown column e_mail." in problems
    assert "Line 1: the column category is missing." in problems
    assert "Line 1: the column contact_email is missing." in problems
    assert _counts(app) == before


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02",
        b"name,country\x00,category\n",
        b"PK\x03\x04 not really a zip",
        b"\xff\xfen\x00a\x00m\x00e\x00",  # UTF-16
    ],
    ids=["png", "nul-bytes", "broken-zip", "utf-16"],
)
def test_a_file_that_is_neither_csv_nor_xlsx_is_refused_whatever_its_name(app, client, buyer, data):
    before = _counts(app)
    response = _upload(client, data, "suppliers.csv")

    assert response.status_code == 422
    assert "neither a CSV file in UTF-8 nor an Excel workbook" in response.text
    assert _counts(app) == before


def test_a_zip_that_is_not_a_workbook_is_refused(app, client, buyer):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")

    response = _upload(client, buffer.getvalue(), "suppliers.xlsx")

    assert response.status_code == 422
    assert "neither a CSV file in UTF-8 nor an Excel workbook" in response.text


def test_more_than_the_row_limit_is_refused_and_nothing_is_imported(app, client, buyer):
    lines = ["name,country,category,contact_email"]
    lines += [f"S{n},FR,Textiles,s{n}@x.example" for n in range(MAX_ROWS + 1)]
    before = _counts(app)

    response = _upload(client, "\n".join(lines).encode())

    assert response.status_code == 422
    assert "The file has more than 5,000 suppliers." in response.text
    assert _counts(app) == before


def test_empty_and_header_only_files_are_refused(app, client, buyer):
    assert "The file is empty." in _upload(client, b"  \n").text
    header_only = client.get("/b/suppliers/import/template.csv").data
    assert "a header row but no suppliers" in _upload(client, header_only).text


def test_the_template_is_a_csv_with_every_column(client, buyer):
    response = client.get("/b/suppliers/import/template.csv")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.data.decode("utf-8-sig").strip() == (
        "name,country,category,contact_email,contact_name,language"
    )


def test_the_import_page_explains_the_columns(client, buyer):
    page = client.get("/b/suppliers/import/").text

    assert "contact_email" in page
    assert "/b/suppliers/import/template.csv" in page
    assert "Import from CSV or XLSX" in client.get("/b/suppliers/").text


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/b/suppliers/import/"),
        ("post", "/b/suppliers/import/"),
        ("get", "/b/suppliers/import/template.csv"),
    ],
)
def test_a_supplier_cannot_import(app, client, make_supplier, sign_in_supplier, method, url):
    _supplier_id, contact_id = make_supplier()
    sign_in_supplier(contact_id)
    before = _counts(app)

    if method == "post":
        response = _upload(client, GOOD_CSV.encode())
    else:
        response = client.get(url)

    assert response.status_code == 403
    assert _counts(app) == before


def test_a_failure_half_way_leaves_nothing_behind(app, ctx, monkeypatch):
    real = importing.create_supplier
    calls = []

    def taken_meanwhile(**kwargs):
        calls.append(kwargs["contact_email"])
        if len(calls) == 2:
            raise UserExists(kwargs["contact_email"])
        return real(**kwargs)

    monkeypatch.setattr(importing, "create_supplier", taken_meanwhile)

    with pytest.raises(ImportRefused) as refused:
        import_suppliers(GOOD_CSV.encode(), by=None)

    assert refused.value.problems == [
        "Line 3: someone in the portal already uses Marc@Dupont.example."
    ]
    assert db.session.scalar(select(func.count(Supplier.id))) == 0
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_checking_reports_every_problem_without_touching_the_database(app, ctx):
    with pytest.raises(ImportRefused) as refused:
        import_suppliers(b"name,country,category,contact_email\nA,XX,,\n", by=None)

    assert refused.value.problems == [
        "Line 2: category is empty.",
        "Line 2: contact_email is empty.",
        "Line 2: XX is not a country code (such as FR) or a country name.",
    ]


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("zh_Hans", "zh_Hans"),
        ("zh-Hans", "zh_Hans"),
        ("ZH", "zh_Hans"),
        ("pt-BR", "pt"),
        ("ar_SA", "ar"),
        ("Türkçe", "tr"),
        (" vi ", "vi"),
        ("tlh", None),
        ("zh-Hant-", None),
    ],
)
def test_a_language_is_matched_by_code_tag_or_name(typed, code):
    from portal.suppliers.import_checks import language_code

    assert language_code(typed) == code
