"""The buyer's dashboard: figures, charts, filters, sorting, paging and bulk assignment."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.assessments.models import Assessment
from portal.dashboard.query import PAGE_SIZE
from portal.extensions import db
from tests.answers_fixture import SAMPLE_ANSWERS


@pytest.fixture
def buyer(client, make_buyer, sign_in_buyer):
    sign_in_buyer(make_buyer())
    return client


def _count(app, **where):
    with app.app_context():
        query = select(func.count(Assessment.id))
        for key, value in where.items():
            query = query.where(getattr(Assessment, key) == value)
        return db.session.scalar(query)


def test_dashboard_lists_suppliers_with_their_risk_and_latest_assessment(
    app, buyer, make_supplier, make_assessment, issue_link
):
    supplier_id, contact_id = make_supplier(name="Taller Sol")
    assessment_id = make_assessment(supplier_id)
    phone = app.test_client()
    phone.post(f"/link/{issue_link(contact_id)}")
    for number, answers in SAMPLE_ANSWERS.items():
        data = {**answers, "q-emergency_exits": "no"} if number == 2 else answers
        phone.post(f"/s/assessments/{assessment_id}/sections/{number}", data=data)
    phone.post(f"/s/assessments/{assessment_id}/submit")
    make_supplier(name="Never Asked Ltd")

    page = buyer.get("/b/dashboard/").text

    assert "Taller Sol" in page
    assert "Never Asked Ltd" in page
    assert "never assessed" in page
    row = page.split("Taller Sol", 1)[1].split("</tr>", 1)[0]
    assert "submitted" in row
    assert 'class="badge severity-high">1<' in row  # one red flag
    assert "<strong>1</strong> awaiting review" in page
    assert 'role="img"' in page  # the charts
    assert "<title" in page.split("<svg", 1)[1]


def test_filters_by_tier_status_country_and_name(app, buyer, make_supplier, make_assessment):
    sol, _ = make_supplier(name="Taller Sol")
    make_assessment(sol)
    make_supplier(name="Élan Textiles")

    assert "Taller Sol" in buyer.get("/b/dashboard/?status=invited").text
    assert "Élan" not in buyer.get("/b/dashboard/?status=invited").text
    assert "Élan" in buyer.get("/b/dashboard/?status=none").text
    assert "Élan" in buyer.get("/b/dashboard/?q=élan").text  # not only ASCII, on both databases
    assert "Taller Sol" not in buyer.get("/b/dashboard/?q=élan").text
    assert "No suppliers match" in buyer.get("/b/dashboard/?country=FR").text
    assert "Taller Sol" in buyer.get("/b/dashboard/?country=vn").text
    odd = buyer.get("/b/dashboard/?q=50%25_off&tier=extreme&sort=nope&page=x")
    assert odd.status_code == 200  # nonsense in the address is ignored, not an error
    assert "No suppliers match these filters." in odd.text  # % and _ are plain characters


def test_overdue_assessments_are_counted_and_can_be_listed(
    app, buyer, make_supplier, make_assessment
):
    late, _ = make_supplier(name="Late Ltd")
    on_time, _ = make_supplier(name="On Time Ltd")
    make_assessment(on_time)
    make_assessment(late)
    with app.app_context():
        assessment = db.session.scalar(select(Assessment).where(Assessment.supplier_id == late))
        assessment.due_date = date.today() - timedelta(days=3)
        db.session.commit()
        from portal.risk.logic import refresh_all

        refresh_all()
        db.session.commit()

    page = buyer.get("/b/dashboard/").text
    assert "<strong>1</strong> overdue assessments" in page
    overdue = buyer.get("/b/dashboard/?status=overdue").text
    assert "Late Ltd" in overdue
    assert "On Time Ltd" not in overdue


def test_sorting_and_paging(app, buyer, make_supplier):
    for n in range(PAGE_SIZE + 3):
        make_supplier(name=f"Supplier {n:03d}")

    first = buyer.get("/b/dashboard/?sort=name&order=asc").text
    second = buyer.get("/b/dashboard/?sort=name&order=asc&page=2").text
    backwards = buyer.get("/b/dashboard/?sort=name&order=desc").text

    assert "Supplier 000" in first
    assert f"Supplier {PAGE_SIZE:03d}" not in first
    assert f"Supplier {PAGE_SIZE + 2:03d}" in second
    assert backwards.index(f"Supplier {PAGE_SIZE + 2:03d}") < backwards.index("Supplier 049")
    assert f"{PAGE_SIZE + 3} suppliers" in first


def test_the_dashboard_runs_the_same_statements_for_many_suppliers_as_for_few(
    buyer, make_supplier, make_assessment, count_queries
):
    for _ in range(2):
        make_assessment(make_supplier()[0])
    buyer.get("/b/dashboard/")
    with count_queries() as few:
        buyer.get("/b/dashboard/")
    for _ in range(8):
        make_assessment(make_supplier()[0])
    with count_queries() as more:
        buyer.get("/b/dashboard/")
    assert len(more) == len(few)


def test_bulk_assignment_to_ticked_suppliers_skips_those_with_one_open(
    app, buyer, make_supplier, make_assessment, questionnaire
):
    busy, _ = make_supplier(name="Busy")
    make_assessment(busy)
    free_ids = [make_supplier(name=f"Free {n}")[0] for n in range(3)]
    due = (date.today() + timedelta(days=20)).isoformat()

    response = buyer.post(
        "/b/dashboard/assign",
        data={
            "supplier": [busy, *free_ids[:2]],
            "scope": "selected",
            "questionnaire": questionnaire,
            "due_date": due,
        },
        follow_redirects=True,
    )

    assert "Assigned to 2 suppliers." in response.text
    assert "1 already had this questionnaire open" in response.text
    assert _count(app) == 3
    assert _count(app, supplier_id=free_ids[2]) == 0


def test_bulk_assignment_to_everyone_matching_the_filters(app, buyer, make_supplier, questionnaire):
    for n in range(4):
        make_supplier(name=f"Match {n}")
    make_supplier(name="Other")
    due = (date.today() + timedelta(days=20)).isoformat()

    buyer.post(
        "/b/dashboard/assign",
        data={"scope": "all", "q": "match", "questionnaire": questionnaire, "due_date": due},
    )

    assert _count(app) == 4


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"questionnaire": "", "due_date": "2099-01-01"}, "Choose a questionnaire."),
        ({"due_date": "yesterday"}, "Choose a due date."),
        ({"due_date": "2000-01-01"}, "The due date cannot be in the past."),
        ({"due_date": "2099-01-01", "supplier": []}, "Select at least one supplier."),
    ],
)
def test_bulk_assignment_refuses_bad_input_and_changes_nothing(
    app, buyer, make_supplier, questionnaire, data, message
):
    supplier_id, _ = make_supplier()
    form = {"scope": "selected", "supplier": [supplier_id], "questionnaire": questionnaire, **data}

    response = buyer.post("/b/dashboard/assign", data=form, follow_redirects=True)

    assert message in response.text
    assert _count(app) == 0


def test_a_supplier_cannot_see_the_dashboard_or_assign(
    client, make_supplier, sign_in_supplier, questionnaire, app
):
    supplier_id, contact_id = make_supplier()
    sign_in_supplier(contact_id)
    assert client.get("/b/dashboard/").status_code == 403
    response = client.post(
        "/b/dashboard/assign",
        data={"scope": "all", "questionnaire": questionnaire, "due_date": "2099-01-01"},
    )
    assert response.status_code == 403
    assert _count(app) == 0
