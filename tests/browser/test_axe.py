"""Every supplier page passes axe-core with no serious or critical violation, in English
and in Arabic (right-to-left), on a 360 × 740 phone.

axe-core comes from the `axe-playwright-python` dev dependency, which bundles it: nothing is
fetched at test time. The pages' Content-Security-Policy forbids inline script, so this
test's browser context alone bypasses it to inject axe.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE
from tests.browser.supplier_site import sign_in, visit

pytestmark = pytest.mark.browser

BLOCKING = ("serious", "critical")


@pytest.fixture
def axe_phone(browser):
    """The phone, with the page's CSP bypassed so that axe-core can be injected."""
    from axe_playwright_python.base import AXE_SCRIPT

    context = browser.new_context(**PHONE, bypass_csp=True)
    page = context.new_page()
    yield page, AXE_SCRIPT
    context.close()


def blocking_violations(page, axe_script: str) -> list[str]:
    """The serious and critical axe-core violations of the page, one line per element."""
    page.add_script_tag(content=axe_script)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} {node['failureSummary']}"
        for violation in results["violations"]
        if violation["impact"] in BLOCKING
        for node in violation["nodes"]
    ]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_supplier_page_passes_axe_core(live_server, axe_phone, supplier_site, language):
    page, axe_script = axe_phone
    found = {}
    for path in supplier_site.signed_out:
        visit(page, live_server, path, language)
        found[path] = blocking_violations(page, axe_script)
    sign_in(page, live_server, supplier_site)
    for path in supplier_site.signed_in:
        visit(page, live_server, path, language)
        found[path] = blocking_violations(page, axe_script)
    report = [f"{path}: {line}" for path, lines in found.items() for line in lines]
    assert not report, "\n".join(report)


def test_axe_core_is_bundled_and_catches_an_unlabelled_field(axe_phone):
    page, axe_script = axe_phone
    page.set_content("<html lang='en'><title>t</title><main><input type='text'></main></html>")
    found = blocking_violations(page, axe_script)
    assert any(line.startswith("label (critical)") for line in found), found
