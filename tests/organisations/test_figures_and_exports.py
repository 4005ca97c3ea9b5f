"""The dashboard's figures and every export count one organisation's rows only.

The other organisation is the demo (suppliers in every tier, submissions awaiting review,
accepted scores, findings and actions) plus an overdue assessment; the organisation under
test has four suppliers of its own: one overdue, one awaiting review, one accepted (scored)
and one never assessed.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal.assessments.logic import assign, save_section, submit
from portal.assessments.models import Assessment, AssessmentStatus
from portal.assessments.review import accept
from portal.auth.models import User
from portal.dashboard.query import counts
from portal.demo import DEMO_BUYER, DEMO_PASSWORD, seed
from portal.demo_reviews import BASE, _form
from portal.extensions import db
from portal.organisations.scoping import scope_to
from portal.questionnaires.models import QuestionnaireVersion
from portal.risk.models import SupplierRisk
from portal.suppliers.logic import create_supplier
from portal.suppliers.models import Supplier
from tests.organisations.conftest import PASSWORD

OURS = ("Ours Overdue", "Ours Submitted", "Ours Accepted", "Ours Never Asked")
EXPORTS = [
    f"/b/exports/{kind}.{file_format}"
    for kind in ("suppliers", "assessments", "answers")
    for file_format in ("csv", "xlsx")
]


def _overdue(supplier: Supplier, version: QuestionnaireVersion) -> None:
    """An assessment assigned two weeks ago, due yesterday, not started."""
    yesterday = date.today() - timedelta(days=1)
    assign(supplier, version, yesterday, by=None, today=yesterday - timedelta(days=13))


def _submitted(supplier: Supplier, version: QuestionnaireVersion) -> Assessment:
    return _answered(assign(supplier, version, date.today() + timedelta(days=30), by=None))


def _answered(assessment: Assessment) -> Assessment:
    """The assessment answered by its supplier's contact and submitted."""
    contact = assessment.supplier.contact
    for section in assessment.questionnaire.definition.sections:
        errors = save_section(assessment, section, _form(section, BASE), by=contact)
        assert not errors, errors
    submit(assessment, by=contact)
    return assessment


@pytest.fixture
def demo(app, questionnaire):
    """The demo organisation, with an overdue assessment too; its id."""
    with app.app_context():
        seed(if_empty=False, link_url=str)
        buyer = db.session.scalar(select(User).where(User.email == DEMO_BUYER))
        scope_to(db.session, buyer.organisation_id)
        invited = db.session.scalars(
            select(Assessment).where(Assessment.status == AssessmentStatus.INVITED)
        ).all()
        _answered(invited[0])
        supplier = db.session.scalars(
            select(Supplier).where(Supplier.id != invited[0].supplier_id).order_by(Supplier.id)
        ).first()
        _overdue(supplier, db.session.get(QuestionnaireVersion, questionnaire))
        db.session.commit()
        scope_to(db.session, None)
        return buyer.organisation_id


def _ours(app, organisation_id: int, admin_id: int, questionnaire: int) -> None:
    with app.app_context():
        scope_to(db.session, organisation_id)
        admin = db.session.get(User, admin_id)
        version = db.session.get(QuestionnaireVersion, questionnaire)
        suppliers = [
            create_supplier(
                name=name,
                country="VN",
                category="Textiles",
                contact_email=f"contact{n}@ours.example",
                by=admin,
            )
            for n, name in enumerate(OURS)
        ]
        _overdue(suppliers[0], version)
        _submitted(suppliers[1], version)
        accept(_submitted(suppliers[2], version), by=admin)
        db.session.commit()
        scope_to(db.session, None)


def _figures(app, organisation_id: int):
    with app.app_context():
        scope_to(db.session, organisation_id)
        try:
            return counts(date.today())
        finally:
            scope_to(db.session, None)


def _downloads(app, email: str, password: str) -> dict[str, list[list[str]]]:
    """Every export's data rows (header left out), as a buyer of `email` downloads them."""
    client = app.test_client()
    response = client.post("/sign-in", data={"email": email, "password": password})
    assert response.status_code == 302
    tables = {}
    for url in EXPORTS:
        response = client.get(url)
        assert response.status_code == 200, url
        if url.endswith(".csv"):
            rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
        else:
            sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
            rows = [
                ["" if v is None else str(v) for v in row]
                for row in sheet.iter_rows(values_only=True)
            ]
        tables[url] = rows[1:]
    return tables


def test_dashboard_figures_count_only_the_organisation_s_own_suppliers(
    app, demo, make_organisation, questionnaire
):
    theirs_alone = _figures(app, demo)
    assert theirs_alone.overdue
    assert theirs_alone.awaiting_review
    assert sum(theirs_alone.by_tier.values())
    assert sum(theirs_alone.score_buckets)
    organisation_id, admin_id = make_organisation()
    _ours(app, organisation_id, admin_id, questionnaire)

    ours = _figures(app, organisation_id)

    with app.app_context():
        tiers = db.session.scalars(
            select(SupplierRisk.tier)
            .where(SupplierRisk.organisation_id == organisation_id)
            .execution_options(all_organisations=True)
        ).all()
    assert len(tiers) == len(OURS)
    assert ours.by_tier == {t: tiers.count(t) for t in ("high", "medium", "low")}
    assert ours.unrated == 0
    assert ours.overdue == 1
    assert ours.awaiting_review == 1
    assert sum(ours.score_buckets) == 1
    assert ours.unscored == len(OURS) - 1
    assert _figures(app, demo) == theirs_alone


def test_dashboard_page_shows_the_organisation_s_own_figures(
    app, client, demo, make_organisation, questionnaire
):
    organisation_id, admin_id = make_organisation()
    _ours(app, organisation_id, admin_id, questionnaire)
    with app.app_context():
        email = db.session.get(User, admin_id).email
    client.post("/sign-in", data={"email": email, "password": PASSWORD})

    page = client.get("/b/dashboard/").get_data(as_text=True)

    assert "<strong>1</strong> overdue assessments" in page
    assert "<strong>1</strong> awaiting review" in page
    assert "4 suppliers" in page


def test_every_export_holds_only_the_organisation_s_own_rows(
    app, demo, make_organisation, questionnaire
):
    theirs_alone = _downloads(app, DEMO_BUYER, DEMO_PASSWORD)
    assert all(theirs_alone.values())
    organisation_id, admin_id = make_organisation()
    _ours(app, organisation_id, admin_id, questionnaire)
    with app.app_context():
        email = db.session.get(User, admin_id).email

    ours = _downloads(app, email, PASSWORD)

    supplier_column = {"suppliers": 0, "assessments": 1, "answers": 0}
    for url, rows in ours.items():
        kind = url.rsplit("/", 1)[1].split(".")[0]
        names = {row[supplier_column[kind]] for row in rows}
        assert names <= set(OURS), (url, names - set(OURS))
    assert len(ours["/b/exports/suppliers.csv"]) == len(OURS)
    assert len(ours["/b/exports/assessments.csv"]) == 3
    assert {row[0] for row in ours["/b/exports/answers.csv"]} == set(OURS[1:3])
    for kind in ("suppliers", "assessments", "answers"):
        assert len(ours[f"/b/exports/{kind}.xlsx"]) == len(ours[f"/b/exports/{kind}.csv"])
    assert _downloads(app, DEMO_BUYER, DEMO_PASSWORD) == theirs_alone
