"""An id no database row could have is a 404 on every route, for everyone; never a 500."""

from __future__ import annotations

import pytest

from portal.auth.models import Role
from portal.ids import MAX_ID, database_id
from tests.url_map import ROLES, build, int_arguments, routes, signed_in_client

TOO_LARGE = (MAX_ID + 1, 99999999999999999999999999)


@pytest.fixture
def people(make_supplier, make_assessment, make_buyer, make_instance_admin):
    supplier_id, contact_id = make_supplier()
    make_assessment(supplier_id)
    return {
        "contact_id": contact_id,
        "buyer_id": make_buyer(),
        "admin_id": make_buyer(role=Role.ADMIN),
        "instance_admin_id": make_instance_admin(),
    }


def test_the_application_has_routes_with_ids_to_check(app):
    assert len([r for r in routes(app) if int_arguments(r[1])]) >= 30


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("too_large", TOO_LARGE)
def test_an_id_out_of_range_is_not_found_on_every_route(app, people, role, too_large):
    client = signed_in_client(app, role, **people)
    answered = {}
    for method, rule in routes(app):
        names = int_arguments(rule)
        for name in names:
            values = {n: 1 for n in names} | {name: too_large}
            url = build(app, rule, values)
            answered[(method, url)] = client.open(url, method=method, data={"x": "1"}).status_code
    assert answered
    assert {key: code for key, code in answered.items() if code != 404} == {}


def test_the_largest_id_is_still_looked_up(app, people):
    client = signed_in_client(app, "buyer", **people)
    response = client.get(f"/b/suppliers/{MAX_ID}")
    assert response.status_code == 404
    assert "Page not found" in response.text


@pytest.mark.parametrize("role", ["buyer", "admin"])
def test_ids_out_of_range_in_forms_are_refused_without_an_error(app, people, role):
    client = signed_in_client(app, role, **people)
    huge = str(TOO_LARGE[1])
    posts = {
        "/b/dashboard/assign": {"scope": "selected", "supplier": huge, "questionnaire": huge},
        "/b/risk/changes/acknowledge-all": {"up_to": huge},
    }
    for url, data in posts.items():
        assert client.post(url, data=data).status_code == 302, url
    assert client.get(f"/b/assessments/1?revision={huge}").status_code == 404


@pytest.mark.parametrize(
    ("typed", "read"),
    [("1", 1), (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None), ("-1", None), ("x", None)],
)
def test_an_id_read_from_a_form_is_within_the_database_range(typed, read):
    try:
        assert database_id(typed) == read
    except ValueError:
        assert read is None


@pytest.mark.parametrize("limit", [0, 7, 10, 99, 305, 2147, 90210])
def test_the_id_pattern_matches_exactly_the_numbers_up_to_its_limit(limit):
    import re

    from portal.ids import digits_up_to

    pattern = re.compile(digits_up_to(limit))
    assert [
        n for n in range(limit * 3 + 20) if bool(pattern.fullmatch(str(n))) != (n <= limit)
    ] == []
