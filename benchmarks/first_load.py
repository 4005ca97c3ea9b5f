"""Every supplier page's first load on a phone: bytes transferred and requests, in Chromium.

A fresh database gets one supplier with an open assessment (every section answered, not
submitted) and a submitted one with a buyer's finding and a corrective action. gunicorn
serves the portal; Debian's Chromium opens each page as a 360 x 740 phone (touch, DPR 2)
in a new browser context, so with an empty cache and no service worker, and waits until
the network has been quiet. Everything the page, its scripts or a service worker fetch
from the network counts: bytes are what Chromium reports received (headers + encoded
bodies); a page request answered by a service worker counts only through the worker's own
fetch, if it made one, and a fetch answered from the browser's cache (0 bytes received)
not at all. Budget per page: <= 30 KB and <= 4 requests; exits 1 when a page breaks it
(or does not answer 200; 410 for a link that no longer works). The feedback report is a
PDF download, not a page, and is not measured.

Run: .venv/bin/python benchmarks/first_load.py   (BENCH_DATABASE_URL for PostgreSQL)
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.section_page import free_port, serve  # noqa: E402
from tests.answers_fixture import SAMPLE_ANSWERS  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
BUDGET_BYTES = 30 * 1024
BUDGET_REQUESTS = 4
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "en-GB",
}
# A link that no longer works answers 410 with its page (and a form to ask for a new one).
EXPECTED_STATUS = {"link no longer works": 410}
QUIET_SECONDS = 1.0  # no request started or finished for this long: the load is over


def seed(env: dict) -> tuple[str, str, list[tuple[str, str]]]:
    """A fresh database with the pages' data; return (cookie, sign-in token, [(name, path)])."""
    os.environ.update(env)
    from portal import create_app
    from portal.actions.logic import create_action
    from portal.assessments.logic import assign
    from portal.assessments.models import Assessment
    from portal.auth.logic import create_user, issue_sign_in_link
    from portal.auth.models import Role, User
    from portal.extensions import db
    from portal.findings.logic import record_finding
    from portal.migrate import upgrade
    from portal.questionnaires.logic import import_questionnaire
    from portal.suppliers.logic import create_supplier

    app = create_app({"RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        if db.engine.dialect.name == "postgresql":  # start from an empty schema every run
            with db.engine.begin() as connection:
                connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        upgrade()
        version = import_questionnaire(
            (ROOT / "questionnaires" / "supplier-self-assessment.yaml").read_bytes(), by=None
        )
        supplier = create_supplier(
            name="Bench Textiles",
            country="VN",
            category="Textiles",
            contact_email="bench@bench.example",
            contact_name="Bench Contact",
            by=None,
        )
        due = date.today() + timedelta(days=30)
        submitted_id = assign(supplier, version, due, by=None).id
        open_id = assign(supplier, version, due, by=None).id
        buyer = create_user("buyer@bench.example", Role.BUYER, password="bench bench", name="B")
        buyer_id = buyer.id
        contact = supplier.contacts[0]
        setup_token = issue_sign_in_link(contact, by=None, days=1)
        token = issue_sign_in_link(contact, by=None, days=1)
        sections = len(version.definition.sections)
        db.session.commit()

    client = app.test_client()
    client.post(f"/link/{setup_token}")
    for assessment_id in (submitted_id, open_id):
        for number, answers in SAMPLE_ANSWERS.items():
            url = f"/s/assessments/{assessment_id}/sections/{number}"
            response = client.post(url, data=answers)
            assert response.status_code == 302, response.status_code
    assert client.post(f"/s/assessments/{submitted_id}/submit").status_code == 302
    with app.test_request_context():
        buyer = db.session.get(User, buyer_id)
        finding = record_finding(
            db.session.get(Assessment, submitted_id),
            by=buyer,
            title="Exits locked",
            severity="critical",
            description="Seen on site.",
        )
        action_id = create_action(
            finding,
            by=buyer,
            title="Unlock the exits",
            what_must_change="Keep every exit unlocked during working hours.",
            due_date=date.today() + timedelta(days=10),
        ).id
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    client.get("/s/")  # a browser keeps the cookie its first page renews
    cookie = client.get_cookie("session").value

    pages = [
        ("sign-in (link)", f"/link/{token}"),
        ("link no longer works", f"/link/{setup_token}-gone"),
        ("request a link", "/link/new"),
        ("sign-in (password)", "/sign-in"),
        ("home", "/s/"),
        ("overview", f"/s/assessments/{open_id}"),
        *(
            (f"section {n}", f"/s/assessments/{open_id}/sections/{n}")
            for n in range(1, sections + 1)
        ),
        ("review", f"/s/assessments/{open_id}/review"),
        ("submitted", f"/s/assessments/{submitted_id}/submitted"),
        ("submitted answers", f"/s/assessments/{submitted_id}/answers"),
        ("actions", "/s/actions"),
        ("action", f"/s/actions/{action_id}"),
    ]
    return cookie, token, pages


@dataclass
class Load:
    """What one first load fetched from the network."""

    status: int = 0
    fetched: list[tuple[str, int]] = field(default_factory=list)  # (url, bytes)

    @property
    def size(self) -> int:
        return sum(size for _url, size in self.fetched)


def first_load(browser, url: str, cookie: str | None) -> Load:
    """Open `url` in a fresh phone context and count what reaches the network."""
    context = browser.new_context(**PHONE)
    if cookie:
        context.add_cookies([{"name": "session", "value": cookie, "url": url}])
    load = Load()
    last_event = [time.monotonic()]
    in_flight = [0]

    def started(_request):
        in_flight[0] += 1
        last_event[0] = time.monotonic()

    def finished(request):
        in_flight[0] -= 1
        last_event[0] = time.monotonic()
        if not request.url.startswith("http"):
            return
        response = request.response()
        if response is not None and response.from_service_worker:
            return  # answered by the worker: its own fetch, if any, is counted by itself
        sizes = request.sizes()
        received = sizes["responseHeadersSize"] + sizes["responseBodySize"]  # Chromium's count
        if received > 0:  # 0: taken from the browser's cache, not the network
            load.fetched.append((request.url, received))

    def failed(request):
        in_flight[0] -= 1
        last_event[0] = time.monotonic()
        if request.url.startswith("http"):
            load.fetched.append((request.url, 0))

    context.on("request", started)
    context.on("requestfinished", finished)
    context.on("requestfailed", failed)
    page = context.new_page()
    response = page.goto(url, wait_until="networkidle")
    load.status = response.status if response else 0
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and (
        in_flight[0] > 0 or time.monotonic() - last_event[0] < QUIET_SECONDS
    ):
        page.wait_for_timeout(100)
    context.close()
    return load


def measure(base: str, cookie: str, pages: list[tuple[str, str]]) -> list[tuple[str, Load]]:
    from playwright.sync_api import sync_playwright

    signed_out = ("/link/", "/sign-in")
    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for name, path in pages:
            anonymous = any(path.startswith(prefix) for prefix in signed_out)
            results.append((name, first_load(browser, base + path, None if anonymous else cookie)))
        browser.close()
    return results


def main() -> None:
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium is needed at {CHROMIUM}")
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.db"),
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": "false",
        }
        cookie, _token, pages = seed(env)
        port = free_port()
        server = serve("wsgi:app", port, env)
        try:
            results = measure(f"http://127.0.0.1:{port}", cookie, pages)
        finally:
            server.terminate()
            server.wait()
    broken = []
    print(f"{'page':<20} {'status':>6} {'requests':>8} {'KB':>7}  budget <= 30 KB, <= 4 requests")
    for name, load in results:
        expected = EXPECTED_STATUS.get(name, 200)
        over = (
            load.status != expected
            or load.size > BUDGET_BYTES
            or len(load.fetched) > BUDGET_REQUESTS
        )
        mark = "BROKEN" if over else "ok"
        kb = load.size / 1024
        print(f"{name:<20} {load.status:>6} {len(load.fetched):>8} {kb:>7.1f}  {mark}")
        if over:
            broken.append(name)
            for url, size in load.fetched:
                print(f"{'':<22}{size:>7} B  {url.split('127.0.0.1', 1)[-1][:70]}")
    if os.environ.get("BENCH_VERBOSE"):
        for name, load in results:
            print(name)
            for url, size in load.fetched:
                print(f"    {size:>7} B  {url.split('127.0.0.1', 1)[-1][:80]}")
    largest = max(results, key=lambda r: r[1].size)
    print(f"largest first load: {largest[0]}, {largest[1].size / 1024:.1f} KB")
    sys.exit(1 if broken else 0)


if __name__ == "__main__":
    main()
