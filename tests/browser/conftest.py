"""A live server on loopback and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from tests.system_packages import CHROMIUM, require

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    require("browser")
    return CHROMIUM


@pytest.fixture
def live_server(app, monkeypatch):
    """Serve the test app on a free loopback port, with CSRF protection on, as in production."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    monkeypatch.setitem(app.config, "BASE_URL", base)
    yield base
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def _chromium(chromium_path):
    """One Chromium for the whole run: starting it takes longer than most tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def browser(_chromium):
    """The run's Chromium; every context a test opens (cookies, storage, cache) is closed
    after the test, so that no test sees another's."""
    yield _chromium
    for context in _chromium.contexts:
        context.close()


PHONE = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "en-GB",
}


@pytest.fixture
def phone(browser):
    """A page the size of a cheap Android phone: 360 × 740."""
    context = browser.new_context(**PHONE)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_without_javascript(browser):
    """The same phone with JavaScript switched off."""
    context = browser.new_context(**PHONE, java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.fixture
def supplier_site(app, live_server, make_supplier, make_assessment, issue_link, make_buyer):
    """Data behind every supplier page, and the pages' paths (tests/browser/supplier_site.py)."""
    from tests.browser.supplier_site import build_supplier_site

    return build_supplier_site(app, make_supplier, make_assessment, issue_link, make_buyer)


class RecordResponses:
    """WSGI middleware: (method, path, bytes) of every response, status line and headers
    included, as the browser receives it."""

    def __init__(self, app):
        self.app = app
        self.seen: list[tuple[str, str, int]] = []

    def __call__(self, environ, start_response):
        head = []

        def start(status, headers, exc_info=None):
            head.append(
                len(f"HTTP/1.1 {status}\r\n") + sum(len(f"{k}: {v}\r\n") for k, v in headers)
            )
            return start_response(status, headers, exc_info)

        answer = self.app(environ, start)
        try:
            body = b"".join(answer)
        finally:
            if hasattr(answer, "close"):
                answer.close()
        self.seen.append((environ["REQUEST_METHOD"], environ["PATH_INFO"], head[0] + 2 + len(body)))
        return [body]


@pytest.fixture
def server_saw(app, monkeypatch):
    """The responses the live server sent from now on: (method, path, bytes)."""
    recorder = RecordResponses(app.wsgi_app)
    monkeypatch.setattr(app, "wsgi_app", recorder)
    return recorder.seen
