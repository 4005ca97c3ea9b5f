"""Risk is refreshed once per unit of work, just before it commits, for the suppliers it touched."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.assessments.logic import assign
from portal.extensions import db
from portal.questionnaires.models import QuestionnaireVersion
from portal.risk.models import SupplierRisk
from portal.suppliers.models import Supplier


@pytest.fixture
def refreshes(monkeypatch):
    """The supplier ids of each call to refresh_suppliers, one list per call."""
    from portal.risk import logic

    calls: list[list[int]] = []
    refresh = logic.refresh_suppliers

    def counting(rows, **kwargs):
        calls.append([row[0] for row in rows])
        return refresh(rows, **kwargs)

    monkeypatch.setattr(logic, "refresh_suppliers", counting)
    return calls


def test_each_touched_supplier_is_refreshed_once_before_the_commit(
    app, make_supplier, questionnaire, refreshes
):
    ids = [make_supplier()[0] for _ in range(3)]
    refreshes.clear()
    with app.test_request_context():
        version = db.session.get(QuestionnaireVersion, questionnaire)
        for supplier_id in ids:
            supplier = db.session.get(Supplier, supplier_id)
            assign(supplier, version, date.today() + timedelta(days=30), by=None)
            assign(supplier, version, date.today() + timedelta(days=60), by=None)
        db.session.flush()
        assert refreshes == []  # nothing yet: the unit of work is not over
        db.session.commit()

    assert refreshes == [sorted(ids)]


def test_a_rolled_back_unit_of_work_refreshes_nothing(app, make_supplier, questionnaire, refreshes):
    supplier_id = make_supplier()[0]
    refreshes.clear()
    with app.test_request_context():
        version = db.session.get(QuestionnaireVersion, questionnaire)
        assign(db.session.get(Supplier, supplier_id), version, date.today(), by=None)
        db.session.flush()
        db.session.rollback()
        db.session.commit()

    assert refreshes == []


def test_an_import_refreshes_all_its_suppliers_in_one_batch(app, refreshes):
    from portal.suppliers.importing import import_suppliers

    rows = "name,country,category,contact_email,contact_name,language\r\n" + "".join(
        f"Import {n},VN,Textiles,import{n}@example.com,Contact {n},en\r\n" for n in range(5)
    )
    with app.test_request_context():
        assert import_suppliers(rows.encode(), by=None).suppliers == 5
        db.session.commit()
        stored = db.session.scalars(select(SupplierRisk.supplier_id)).all()

    [batch] = refreshes
    assert sorted(batch) == sorted(stored)
    assert len(batch) == 5


def _overview(app, supplier_id):
    from portal.dashboard.models import SupplierOverview

    with app.app_context():
        row = db.session.get(SupplierOverview, supplier_id)
        return {
            c.name: getattr(row, c.name) for c in row.__table__.columns if c.name != "updated_at"
        }


def test_a_first_save_lists_the_assessment_in_progress_without_rescoring(
    app, client, make_supplier, make_assessment, sign_in_supplier, refreshes
):
    """Invited -> in progress changes nothing risk reads: only the dashboard's status."""
    from portal.risk.logic import refresh_all
    from tests.answers_fixture import SAMPLE_ANSWERS, post_section

    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    assert _overview(app, supplier_id)["status"] == "invited"
    sign_in_supplier(contact_id)
    refreshes.clear()

    saved = post_section(client, f"/s/assessments/{assessment_id}/sections/1", SAMPLE_ANSWERS[1])

    assert saved.status_code == 302
    assert refreshes == []
    listed = _overview(app, supplier_id)
    assert listed["status"] == "in_progress"
    with app.test_request_context():
        refresh_all()
        db.session.commit()
    assert _overview(app, supplier_id) == listed  # what a full refresh writes too


def test_a_first_save_with_no_dashboard_row_refreshes_the_supplier(
    app, client, make_supplier, make_assessment, sign_in_supplier, refreshes
):
    from portal.dashboard.models import SupplierOverview
    from tests.answers_fixture import SAMPLE_ANSWERS, post_section

    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    with app.app_context():
        db.session.execute(
            SupplierOverview.__table__.delete().where(SupplierOverview.supplier_id == supplier_id)
        )
        db.session.commit()
    sign_in_supplier(contact_id)
    refreshes.clear()

    post_section(client, f"/s/assessments/{assessment_id}/sections/1", SAMPLE_ANSWERS[1])

    assert refreshes == [[supplier_id]]
    assert _overview(app, supplier_id)["status"] == "in_progress"


def test_a_first_save_and_a_submit_in_one_unit_of_work_refresh_the_supplier(
    app, make_supplier, make_assessment, refreshes
):
    from portal.assessments.models import Assessment, AssessmentStatus
    from portal.assessments.status import change_status

    supplier_id, _contact = make_supplier()
    assessment_id = make_assessment(supplier_id)
    refreshes.clear()
    with app.test_request_context():
        assessment = db.session.get(Assessment, assessment_id)
        change_status(assessment, AssessmentStatus.IN_PROGRESS, by=None)
        db.session.flush()
        change_status(assessment, AssessmentStatus.SUBMITTED, by=None)
        db.session.commit()

    assert refreshes == [[supplier_id]]
    assert _overview(app, supplier_id)["status"] == "submitted"
