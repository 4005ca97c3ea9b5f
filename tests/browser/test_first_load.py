"""The first load of a section page on a phone stays within 30 KB and 4 requests.

Counted where it cannot be missed: at the server, every response the browser asked for
while opening the page (the page, its CSS and JS, the service worker script), with its
status line, headers and body.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

BUDGET_BYTES = 30 * 1024
BUDGET_REQUESTS = 4


def test_a_section_page_loads_in_at_most_4_requests_and_30_kb(
    app, live_server, browser, make_supplier, make_assessment, issue_link, request
):
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    signing_in = browser.new_context(**PHONE)
    page = signing_in.new_page()
    page.goto(f"{live_server}/link/{issue_link(contact_id)}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server}/s/")
    context = browser.new_context(**PHONE)  # an empty cache, with the session's cookie
    context.add_cookies(signing_in.cookies())
    signing_in.close()

    seen = request.getfixturevalue("server_saw")  # from here on
    page = context.new_page()
    page.goto(f"{live_server}/s/assessments/{assessment_id}/sections/1", wait_until="networkidle")
    page.wait_for_timeout(1500)  # the service worker registers after the load, then settles
    context.close()
    total = sum(size for _method, _path, size in seen)
    print(f"first load: {total} bytes in {len(seen)} requests: {seen}")
    assert ("GET", "/s/sw.js") in {(method, path) for method, path, _size in seen}
    assert len(seen) <= BUDGET_REQUESTS, seen
    assert total <= BUDGET_BYTES, seen
