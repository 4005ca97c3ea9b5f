"""An instance admin creates an organisation in Chromium, on a 360 px phone and on a desktop
screen: a refused form shows why, the created one is listed, nothing runs off the side."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.auth.models import User
from portal.extensions import db
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

SCREENS = {
    "phone": PHONE,
    "desktop": {"viewport": {"width": 1280, "height": 800}, "locale": "en-GB"},
}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def _fits(page) -> None:
    assert page.evaluate(NO_SIDEWAYS_SCROLL), page.url
    width = page.viewport_size["width"]
    for selector in ("form#new-organisation button[type=submit]", "table.list"):
        for box in (e.bounding_box() for e in page.locator(selector).all()):
            assert box is not None
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= width + 1, selector


@pytest.mark.parametrize("screen", SCREENS)
def test_an_instance_admin_creates_an_organisation(
    app, browser, live_server, make_instance_admin, mailbox, tmp_path, screen
):
    user_id = make_instance_admin()
    with app.app_context():
        email = db.session.get(User, user_id).email
    context = browser.new_context(**SCREENS[screen])
    page = context.new_page()
    try:
        page.goto(f"{live_server}/sign-in")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", "correct horse battery")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"{live_server}/i/")
        assert page.locator("h1").inner_text() == "Organisations"
        assert "No organisation yet." in page.locator("table.list").inner_text()
        _fits(page)

        # No name: refused, with the reason next to the field and the typed email kept.
        page.fill("#admin_email", "ann@acme.example")
        page.get_by_role("button", name="Create the organisation and mail its admin").click()
        page.wait_for_load_state()
        assert page.locator("#name ~ .error").inner_text() == "This field is required."
        assert page.input_value("#admin_email") == "ann@acme.example"
        _fits(page)

        page.fill("#name", "Acme Sourcing")
        page.fill("#admin_name", "Ann Admin")
        page.select_option("#locale", "es")
        page.get_by_role("button", name="Create the organisation and mail its admin").click()
        page.wait_for_url(f"{live_server}/i/organisations/*")
        flash = page.locator(".flash-success").inner_text()
        assert flash == (
            "Acme Sourcing is created; its admin ann@acme.example is mailed a link to set a"
            " password."
        )
        assert page.locator("h1").inner_text() == "Acme Sourcing"
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        page.screenshot(path=str(tmp_path / f"created-{screen}.png"), full_page=True)

        page.get_by_role("link", name="Organisations").first.click()
        page.wait_for_url(f"{live_server}/i/")
        row = page.locator("table.list tbody tr").first.inner_text()
        assert "Acme Sourcing" in row
        _fits(page)
    finally:
        context.close()
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.email == "ann@acme.example"))
        assert admin.locale == "es"
    assert [to for to, _subject, _body in mailbox] == ["ann@acme.example"]
