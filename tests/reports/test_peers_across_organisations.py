"""The peer comparison of a questionnaire shared by every organisation counts every
supplier company of the portal that answered it, once, and the report says so; a
questionnaire of one organisation compares within it only."""

from __future__ import annotations

from sqlalchemy import select, update

from portal.assessments.models import Assessment, Revision
from portal.extensions import db
from portal.organisations.logic import create_organisation
from portal.questionnaires.models import QuestionnaireVersion
from portal.reports.peers import peer_scores
from portal.suppliers.models import Supplier
from tests.reports.conftest import pdf_text

KEY = "supplier-self-assessment"


def _move_to_another_organisation(app, supplier_ids: list[int]) -> int:
    """Make these suppliers (and their assessments) another customer's."""
    with app.app_context():
        other = create_organisation("Another customer").id
        assessments = select(Assessment.id).where(Assessment.supplier_id.in_(supplier_ids))
        db.session.execute(
            update(Revision)
            .where(Revision.assessment_id.in_(assessments))
            .values(organisation_id=other)
        )
        for model in (Assessment,):
            db.session.execute(
                update(model)
                .where(model.supplier_id.in_(supplier_ids))
                .values(organisation_id=other)
            )
        db.session.execute(
            update(Supplier).where(Supplier.id.in_(supplier_ids)).values(organisation_id=other)
        )
        db.session.commit()
        return other


def test_a_shared_questionnaire_compares_with_every_customer_s_suppliers(
    app, client, reviewed, peers, sign_in_supplier
):
    ids = reviewed("en")
    _move_to_another_organisation(app, peers(5))
    with app.app_context():
        assert len(peer_scores(KEY, ids["supplier"])) == 5

    sign_in_supplier(ids["contact"])
    text = pdf_text(client.get(f"/s/assessments/{ids['assessment']}/report.pdf").data)
    assert "Compared with 5 other suppliers, of any customer on this portal" in text


def test_one_company_counts_once_whichever_customers_asked(app, reviewed, peers):
    ids = reviewed("en")
    first, second, *_rest = peers(6)
    with app.app_context():
        twin = db.session.get(Supplier, first).company_id
        db.session.get(Supplier, second).company_id = twin  # one company, two rows
        db.session.commit()
        assert len(peer_scores(KEY, ids["supplier"])) == 5


def test_a_questionnaire_of_one_organisation_compares_within_it(app, reviewed, peers):
    ids = reviewed("en")
    elsewhere = peers(5)
    with app.app_context():
        own = db.session.get(Supplier, ids["supplier"]).organisation_id
        db.session.execute(update(QuestionnaireVersion).values(organisation_id=own))
        db.session.commit()
        assert len(peer_scores(KEY, ids["supplier"])) == 5
    _move_to_another_organisation(app, elsewhere)
    with app.app_context():
        assert peer_scores(KEY, ids["supplier"]) == []
