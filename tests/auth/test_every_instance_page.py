"""Every instance page (/i/) is for instance admins only, and an instance admin reaches no
supplier page (/s/): it sees no organisation's supplier data."""

from __future__ import annotations

import pytest

from portal.auth.models import Role
from portal.service_worker import URL as SERVICE_WORKER
from tests.auth.test_roles import stored
from tests.url_map import build, routes, signed_in_client


def _walk(app, prefix: str, values: dict) -> list[tuple[str, str]]:
    """(method, url) of every route under `prefix`, its ids filled from `values`."""
    return [
        (method, build(app, rule, {name: _value(name, rule, values) for name in rule._converters}))
        for method, rule in routes(app)
        if rule.rule.startswith(prefix) and rule.rule != SERVICE_WORKER
    ]


def _value(name: str, rule, values: dict):
    """The id `values` names, a listed word for `any(...)`, else 1."""
    items = getattr(rule._converters[name], "items", None)
    return sorted(items)[0] if items else values.get(name, 1)


@pytest.fixture
def people(app, make_supplier, make_assessment, make_buyer, make_instance_admin):
    """A supplier with an assessment, a buyer and an admin of its organisation, an instance
    admin, and the ids the routes name (real ones, so that only the role can refuse)."""
    from portal.auth.models import User
    from portal.extensions import db

    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    admin_id = make_buyer(role=Role.ADMIN)
    with app.app_context():
        organisation_id = db.session.get(User, admin_id).organisation_id
    ids = {
        "contact_id": contact_id,
        "buyer_id": make_buyer(),
        "admin_id": admin_id,
        "instance_admin_id": make_instance_admin(),
    }
    values = {
        "assessment_id": assessment_id,
        "organisation_id": organisation_id,
        "user_id": admin_id,
    }
    return ids, values


def test_the_walks_cover_the_instance_and_supplier_pages(app):
    instance = {rule.endpoint for _method, rule in routes(app) if rule.rule.startswith("/i/")}
    assert instance == {
        "instance.index",
        "instance.create",
        "instance.show",
        "instance.rename",
        "instance.password_link",
    }
    assert len(_walk(app, "/s/", {})) >= 10


@pytest.mark.parametrize("role", ["supplier", "buyer", "admin"])
def test_nobody_but_an_instance_admin_reaches_an_instance_page(app, people, role, mailbox):
    ids, values = people
    client = signed_in_client(app, role, **ids)
    before = stored(app)
    answered = {}
    for method, url in _walk(app, "/i/", values):
        data = {"name": "Mine now", "admin_email": "x@example.com", "locale": "en"}
        answered[(method, url)] = client.open(url, method=method, data=data).status_code
    assert answered
    assert {key: code for key, code in answered.items() if code != 403} == {}
    assert stored(app) == before
    assert mailbox == []


def test_an_anonymous_visitor_is_sent_to_sign_in_from_every_instance_page(app, client, people):
    _ids, values = people
    for method, url in _walk(app, "/i/", values):
        response = client.open(url, method=method, data={"name": "Mine now"})
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/sign-in"), (method, url)


def test_an_instance_admin_reaches_no_supplier_page(app, people):
    ids, values = people
    client = signed_in_client(app, "instance_admin", **ids)
    before = stored(app)
    answered = {}
    for method, url in _walk(app, "/s/", values):
        answered[(method, url)] = client.open(url, method=method, data={"x": "1"}).status_code
    assert answered
    assert {key: code for key, code in answered.items() if code != 403} == {}
    assert stored(app) == before
