"""Every buyer URL, opened by an admin of another organisation with the first one's ids.

The first organisation is the demo (suppliers, assessments reviewed, findings, actions),
plus an evidence file, a risk change, a rating and a questionnaire of its own. An admin of
a second organisation (who may open every buyer page) gets 404 for each of its objects,
and the pages without ids (lists, dashboard, exports) show none of its rows.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.actions.models import ActionUpdate, CorrectiveAction
from portal.assessments.models import Assessment, Revision
from portal.auth.models import Role, User
from portal.demo import DEMO_BUYER, DEMO_SUPPLIERS, seed
from portal.evidence.models import EvidenceFile
from portal.extensions import db
from portal.findings.models import Finding
from portal.questionnaires.logic import import_questionnaire
from portal.risk.models import RiskChange, Tier
from portal.suppliers.models import Supplier
from tests.conftest import SAMPLE
from tests.organisations.conftest import PASSWORD

# Which of the first organisation's objects each URL argument names.
ARGUMENTS = (
    "supplier_id",
    "assessment_id",
    "finding_id",
    "action_id",
    "file_id",
    "change_id",
    "version_id",
)


@pytest.fixture
def first_organisation(app):
    """The demo's organisation and the ids of its objects, by URL argument."""
    with app.app_context():
        seed(if_empty=False, link_url=str)
        every = {"all_organisations": True}
        action = db.session.scalars(select(CorrectiveAction).execution_options(**every)).first()
        update = ActionUpdate(action=action, note="Fixed the door.", author_id=None)
        evidence = EvidenceFile(
            update=update,
            stored_name="0" * 32 + ".jpg",
            content_type="image/jpeg",
            size=10,
            original_name="door.jpg",
        )
        db.session.add_all([update, evidence])  # before anything below autoflushes
        supplier = db.session.get(Supplier, action.supplier_id)
        change = RiskChange(
            supplier=supplier,
            old_score=10,
            old_tier=Tier.LOW,
            new_score=80,
            new_tier=Tier.HIGH,
            reasons=[],
        )
        db.session.add(change)
        db.session.flush()
        source = SAMPLE.read_text().replace(
            "key: supplier-self-assessment", "key: demo-retail-own", 1
        )
        version = import_questionnaire(
            source, by=None, organisation_id=supplier.organisation_id
        )  # one of its own (the demo's is shared by every organisation)
        submitted = db.session.scalar(select(Assessment).join(Revision).limit(1))
        ids = {
            "supplier_id": supplier.id,
            "assessment_id": submitted.id,
            "finding_id": db.session.scalar(select(Finding.id)),
            "action_id": action.id,
            "file_id": evidence.id,
            "change_id": change.id,
            "version_id": version.id,
            "buyer_id": db.session.scalar(select(User.id).where(User.email == DEMO_BUYER)),
            "contact_id": supplier.contact_links[0].user_id,
        }
        db.session.commit()
        return ids


def _sign_in_as_other_admin(client, make_organisation):
    _organisation, admin_id = make_organisation("Other buying company", role=Role.ADMIN)
    with client.application.app_context():
        email = db.session.get(User, admin_id).email
    response = client.post("/sign-in", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302


def _walk(app, ids):
    """(method, url) of every buyer route with ids, filled with the first organisation's."""
    from flask import url_for

    urls = []
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if not rule.rule.startswith("/b/") or not rule.arguments & {*ARGUMENTS, "user_id"}:
                continue
            values = {name: ids[name] for name in rule.arguments if name in ids}
            if "user_id" in rule.arguments:
                contact = rule.rule.startswith("/b/suppliers/contacts/")
                values["user_id"] = ids["contact_id" if contact else "buyer_id"]
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                urls.append((method, url_for(rule.endpoint, **values)))
    return urls


def test_the_walk_covers_every_buyer_route_with_an_id(app, first_organisation):
    walked = {url for _method, url in _walk(app, first_organisation)}
    with_ids = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/b/") and any(a.endswith("_id") for a in rule.arguments)
    ]
    assert len(walked) == len({rule.rule for rule in with_ids}) >= 25


def test_another_organisation_s_admin_finds_none_of_its_objects(
    app, client, first_organisation, make_organisation
):
    _sign_in_as_other_admin(client, make_organisation)
    found = []
    for method, url in _walk(app, first_organisation):
        status = client.open(url, method=method, data={"x": "1"}).status_code
        if status != 404:
            found.append((method, url, status))
    assert found == []


def test_questionnaire_page_of_another_organisation_is_not_found(
    app, client, first_organisation, make_organisation
):
    _sign_in_as_other_admin(client, make_organisation)
    response = client.get(f"/b/questionnaires/{first_organisation['version_id']}")
    assert response.status_code == 404


LISTS = (
    "/b/",
    "/b/dashboard/",
    "/b/suppliers/",
    "/b/actions",
    "/b/risk/changes",
    "/b/risk/ratings",
    "/b/questionnaires/",
    "/b/users/",
    "/b/exports/",
    "/b/exports/suppliers.csv",
    "/b/exports/assessments.csv",
    "/b/exports/answers.csv",
)


def test_lists_dashboard_and_exports_show_none_of_its_rows(
    app, client, first_organisation, make_organisation
):
    _sign_in_as_other_admin(client, make_organisation)
    names = [row[0] for row in DEMO_SUPPLIERS] + [DEMO_BUYER]
    for url in LISTS:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.get_data(as_text=True)
        assert [name for name in names if name in text] == [], url


def test_its_risk_changes_are_not_acknowledged_from_elsewhere(
    app, client, first_organisation, make_organisation
):
    _sign_in_as_other_admin(client, make_organisation)
    client.post("/b/risk/changes/acknowledge-all")
    with app.app_context():
        change = db.session.get(RiskChange, first_organisation["change_id"])
        assert change.acknowledged_at is None


def test_its_suppliers_cannot_be_given_a_questionnaire_from_elsewhere(
    app, client, first_organisation, make_organisation
):
    _sign_in_as_other_admin(client, make_organisation)
    with app.app_context():
        before = db.session.scalar(select(func.count(Assessment.id)))
    client.post(
        "/b/dashboard/assign",
        data={
            "questionnaire": first_organisation["version_id"],
            "due_date": "2099-01-01",
            "scope": "selected",
            "supplier": [first_organisation["supplier_id"]],
        },
    )
    client.post(
        "/b/dashboard/assign",
        data={
            "questionnaire": first_organisation["version_id"],
            "due_date": "2099-01-01",
            "scope": "all",
        },
    )
    with app.app_context():
        assert db.session.scalar(select(func.count(Assessment.id))) == before
