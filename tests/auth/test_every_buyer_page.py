"""Every buyer URL the application has refuses a supplier and an instance admin, whatever it
is and whatever it names."""

from __future__ import annotations

import pytest

from portal.extensions import db


def _buyer_routes(app):
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/b/"):
            continue
        values = {name: _sample(converter) for name, converter in rule._converters.items()}
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((method, rule, values))
    return routes


def test_the_application_has_buyer_pages_to_check(app):
    assert len(_buyer_routes(app)) >= 20


def test_the_walk_includes_the_supplier_editing_and_account_pages(app):
    endpoints = {rule.endpoint for _method, rule, _values in _buyer_routes(app)}
    assert {
        "supplier_edit.edit",
        "supplier_edit.new_contact",
        "supplier_edit.edit_contact",
        "supplier_edit.deactivate",
        "supplier_edit.reactivate",
        "users.index",
        "users.invite",
        "users.show",
        "users.deactivate",
        "users.reactivate",
        "users.password_link",
    } <= endpoints


def test_a_signed_in_supplier_reaches_no_buyer_page(
    app, client, make_supplier, sign_in_supplier, make_assessment
):
    supplier_id, contact_id = make_supplier()
    make_assessment(supplier_id)
    sign_in_supplier(contact_id)
    refused = []
    with app.test_request_context():
        urls = [
            (method, rule.rule, _build(app, rule, values))
            for method, rule, values in _buyer_routes(app)
        ]
    for method, rule, url in urls:
        status = client.open(url, method=method, data={"x": "1"}).status_code
        if status != 403:
            refused.append((method, rule, status))
    assert refused == []


def test_a_signed_in_instance_admin_reaches_no_buyer_page(
    app, client, make_supplier, make_assessment, make_instance_admin, sign_in_buyer
):
    supplier_id, _contact_id = make_supplier()
    make_assessment(supplier_id)
    sign_in_buyer(make_instance_admin())
    refused = []
    with app.test_request_context():
        urls = [
            (method, rule.rule, _build(app, rule, values))
            for method, rule, values in _buyer_routes(app)
        ]
    for method, rule, url in urls:
        status = client.open(url, method=method, data={"x": "1"}).status_code
        if status != 403:
            refused.append((method, rule, status))
    assert refused == []


def test_an_anonymous_visitor_is_sent_to_sign_in_from_every_buyer_page(app, client):
    with app.test_request_context():
        urls = [(method, _build(app, rule, values)) for method, rule, values in _buyer_routes(app)]
    for method, url in urls:
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/sign-in"), (method, url)


def _sample(converter):
    """A value the converter accepts: 1 for numbers, a listed word for `any(...)`."""
    items = getattr(converter, "items", None)
    return sorted(items)[0] if items else 1


def _build(app, rule, values):
    from flask import url_for

    return url_for(rule.endpoint, **values)


@pytest.fixture(autouse=True)
def _no_leftovers(app):
    yield
    with app.app_context():
        db.session.remove()
