"""A GET changes no stored data: every GET route, as every kind of user, with the ids of
real objects, leaves every table as it was (reports keep their rendering, see below)."""

from __future__ import annotations

import hashlib
import io
import itertools
from datetime import date, timedelta

import pytest
from PIL import Image
from sqlalchemy import select, update

from portal.actions.models import ActionStatus, CorrectiveAction
from portal.assessments.models import Assessment, AssessmentStatus
from portal.auth.logic import issue_sign_in_link
from portal.auth.models import Role, User
from portal.db import Base
from portal.demo import DEMO_ORGANISATION, DEMO_SUPPLIERS
from portal.demo_reviews import REVIEWED_EMAIL
from portal.evidence.models import EvidenceFile
from portal.extensions import db
from portal.findings.models import Finding
from portal.organisations.models import Organisation
from portal.questionnaires.models import QuestionnaireVersion
from portal.reports.models import RenderedReport
from portal.risk.models import RiskChange
from portal.suppliers.edit import edit_supplier
from tests.url_map import build, routes

# The one write a GET makes: a report download keeps its rendering (reports/cache.py,
# keep_rendering; docs/reports.md).
REPORT_DOWNLOADS = {
    "supplier_reports.own_feedback": {RenderedReport.__tablename__},
    "buyer_reports.feedback": {RenderedReport.__tablename__},
    "buyer_reports.summary": {RenderedReport.__tablename__},
}
LANGUAGE_LINK = "i18n.switch_language"
ANSWERING_EMAIL = DEMO_SUPPLIERS[0][4]  # its assessment is open, not yet answered
PASSWORD = "correct horse battery"


def table_digests(app) -> dict[str, str]:
    """A digest of every row of every table, by table name."""
    digests = {}
    with app.app_context():
        with db.engine.connect() as connection:
            for table in Base.metadata.sorted_tables:
                order = list(table.primary_key.columns) or list(table.columns)
                rows = connection.execute(select(table).order_by(*order)).all()
                digests[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digests


@pytest.fixture
def scene(app, tmp_path, monkeypatch):
    """The demo data, an evidence photo on the reviewed supplier's action, a risk change,
    a buyer and an admin with known passwords; returns the ids the routes name."""
    from portal.auth.logic import create_user

    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "evidence"))
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        demo = db.session.scalar(
            select(Organisation.id).where(Organisation.name == DEMO_ORGANISATION)
        )
        buyer = create_user(
            "reader@example.com", Role.BUYER, name="Rea", password=PASSWORD, organisation_id=demo
        )
        admin = create_user(
            "root@example.com", Role.ADMIN, name="Ada", password=PASSWORD, organisation_id=demo
        )
        instance_admin = create_user(
            "ira@example.com", Role.INSTANCE_ADMIN, name="Ira", password=PASSWORD
        )
        reviewed = db.session.scalar(select(User).where(User.email == REVIEWED_EMAIL))
        answering = db.session.scalar(select(User).where(User.email == ANSWERING_EMAIL))
        db.session.commit()
        # A move to a country rated far worse: a risk change flagged to the buyers.
        supplier = reviewed.supplier
        edit_supplier(
            supplier, name=supplier.name, country="ER", category=supplier.category, by=admin
        )
        db.session.commit()
        ids = {"buyer": buyer.id, "admin": admin.id, "instance_admin": instance_admin.id}
        ids["reviewed"] = _ids_of(reviewed)
        ids["answering"] = _ids_of(answering)
    client = app.test_client()
    _sign_in_contact(app, client, ids["reviewed"]["user_id"])
    photo = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 60)).save(photo, "JPEG")
    posted = client.post(
        f"/s/actions/{ids['reviewed']['action_id']}/updates",
        data={
            "note": "New locks fitted.",
            "percent": "",
            "evidence": (io.BytesIO(photo.getvalue()), "locks.jpg"),
        },
        content_type="multipart/form-data",
    )
    assert posted.status_code == 302
    with app.app_context():
        file_id = db.session.scalar(select(EvidenceFile.id))
        assert file_id is not None
        ids["reviewed"]["file_id"] = file_id
        assert db.session.scalar(select(RiskChange.id)) is not None
        # Time passes: an action falls overdue after the stored risk was computed, so the
        # risk a page or report shows differs from the stored one.
        db.session.execute(
            update(CorrectiveAction)
            .where(CorrectiveAction.id == ids["reviewed"]["action_id"])
            .values(due_date=date.today() - timedelta(days=3))
        )
        ids["token"] = issue_sign_in_link(
            db.session.get(User, ids["answering"]["user_id"]), by=None, days=14
        )
        db.session.commit()
    return ids


def _ids_of(contact: User) -> dict[str, int]:
    """The ids of a contact's own objects, by the URL argument that names them."""
    supplier = contact.supplier
    assessment = supplier.assessments[-1]
    values = {
        "user_id": contact.id,
        "supplier_id": supplier.id,
        "assessment_id": assessment.id,
        "number": 1,
        "version_id": assessment.questionnaire_id,
        "organisation_id": supplier.organisation_id,
    }
    finding = db.session.scalar(select(Finding).where(Finding.assessment_id == assessment.id))
    if finding is not None:
        values["finding_id"] = finding.id
        action = db.session.scalar(
            select(CorrectiveAction).where(
                CorrectiveAction.finding_id == finding.id,
                CorrectiveAction.status != ActionStatus.CLOSED,
            )
        )
        values["action_id"] = action.id
    change = db.session.scalar(select(RiskChange).where(RiskChange.supplier_id == supplier.id))
    if change is not None:
        values["change_id"] = change.id
    return values


def _sign_in_contact(app, client, user_id: int) -> None:
    with app.app_context():
        token = issue_sign_in_link(db.session.get(User, user_id), by=None, days=14)
        db.session.commit()
    assert client.post(f"/link/{token}").status_code == 302


def _client_as(app, role: str, ids: dict):
    client = app.test_client()
    if role in ("reviewed", "answering"):
        _sign_in_contact(app, client, ids[role]["user_id"])
    elif role in ("buyer", "admin", "instance_admin"):
        with app.app_context():
            email = db.session.get(User, ids[role]).email
        response = client.post("/sign-in", data={"email": email, "password": PASSWORD})
        assert response.status_code == 302
    return client


def _get_urls(app, ids: dict, own: dict) -> list[tuple[str, str]]:
    """(endpoint, url) of every GET route, with real ids (those of `own` supplier)."""
    strings = {"code": ["es", "fr"], "token": [ids["token"]], "name": ["supplier.css"]}
    urls = []
    for _method, rule in routes(app, "GET"):
        choices = {}
        for name, converter in rule._converters.items():
            if getattr(converter, "items", None):
                choices[name] = sorted(converter.items)
            elif name in strings:
                choices[name] = strings[name]
            else:
                choices[name] = [own.get(name) or ids["reviewed"][name]]
        for combination in itertools.product(*choices.values()):
            urls.append(
                (rule.endpoint, build(app, rule, dict(zip(choices, combination, strict=True))))
            )
    return urls


def test_every_get_route_is_visited(app, scene):
    endpoints = {endpoint for endpoint, _url in _get_urls(app, scene, scene["reviewed"])}
    assert len(endpoints) >= 35


ROLES = ["anonymous", "reviewed", "answering", "buyer", "admin", "instance_admin"]


@pytest.mark.parametrize("role", ROLES)
def test_no_get_route_changes_a_table(app, scene, role):
    checked = lambda endpoint: endpoint != LANGUAGE_LINK or role == "anonymous"  # noqa: E731
    assert _tables_changed(app, scene, role, checked) == {}


@pytest.mark.parametrize("role", ROLES[1:])
def test_the_language_link_changes_no_table(app, scene, role):
    assert _tables_changed(app, scene, role, lambda endpoint: endpoint == LANGUAGE_LINK) == {}


def _tables_changed(app, scene, role, visited) -> dict[str, list[str]]:
    """Visit the GET routes whose endpoint is `visited`, as `role`: the tables each changed."""
    client = _client_as(app, role, scene)
    own = scene.get(role) if isinstance(scene.get(role), dict) else scene["reviewed"]
    urls = [(endpoint, url) for endpoint, url in _get_urls(app, scene, own) if visited(endpoint)]
    assert urls
    changed = {}
    before = table_digests(app)
    for endpoint, url in urls:
        for query in ("", "?revision=1&page=2&lang=fr&paper=letter&show=all&q=a"):
            response = client.get(url + query)
            status = response.status_code
            response.close()  # a file sent as it is (the service worker) holds it open
            assert status < 500, (url + query, status)
            after = table_digests(app)
            tables = sorted(name for name in after if after[name] != before[name])
            if set(tables) - REPORT_DOWNLOADS.get(endpoint, set()):
                changed[url + query] = tables
            before = after
    return changed


def test_the_scene_has_what_the_routes_name(app, scene):
    with app.app_context():
        assert db.session.get(Assessment, scene["reviewed"]["assessment_id"]).status == (
            AssessmentStatus.ACCEPTED
        )
        assert db.session.get(QuestionnaireVersion, scene["reviewed"]["version_id"]) is not None
        assert db.session.get(EvidenceFile, scene["reviewed"]["file_id"]) is not None
