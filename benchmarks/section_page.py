"""Supplier section page: requests per second against a bare Flask hello world, and first load.

Both apps run under gunicorn with the same workers in the same run, loaded by wrk on
loopback; the budget is a ratio (>= 40 %), since absolute numbers on a shared machine mean
little. The first load is what a phone fetches for the page in Chromium: bytes and requests.
Run: .venv/bin/python benchmarks/section_page.py  (needs wrk; Chromium for the first load)
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
DURATION = os.environ.get("BENCH_DURATION", "10s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(env: dict) -> tuple[str, str]:
    """Migrate a fresh database, create one supplier with an assessment; return (cookie, path)."""
    os.environ.update(env)
    from datetime import date, timedelta

    from portal import create_app
    from portal.assessments.logic import assign
    from portal.auth.logic import issue_sign_in_link
    from portal.extensions import db
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
            name="Bench",
            country="VN",
            category="Textiles",
            contact_email="bench@bench.example",
            by=None,
        )
        assessment = assign(supplier, version, date.today() + timedelta(days=30), by=None)
        token = issue_sign_in_link(supplier.contacts[0], by=None, days=1)
        db.session.commit()
        assessment_id = assessment.id
    client = app.test_client()
    client.post(f"/link/{token}")
    client.get("/s/")  # a browser keeps the cookie its first page renews
    cookie = client.get_cookie("session").value
    return f"session={cookie}", f"/s/assessments/{assessment_id}/sections/1"


def serve(module: str, port: int, env: dict) -> subprocess.Popen:
    """gunicorn serving `module` on loopback, once every worker has loaded it.

    BENCH_GUNICORN_ARGS adds options (e.g. `--worker-class gthread --threads 4`).
    """
    ready = Path(tempfile.mkdtemp(prefix="bench-ready-"))
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--config",
            "python:benchmarks.gunicorn_ready",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            *shlex.split(os.environ.get("BENCH_GUNICORN_ARGS", "")),
            module,
        ],
        cwd=ROOT,
        env={**os.environ, **env, "BENCH_READY_DIR": str(ready)},
    )
    try:
        for _ in range(600):
            if process.poll() is not None:
                break
            if len(list(ready.iterdir())) >= WORKERS:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return process
            time.sleep(0.1)
    finally:
        shutil.rmtree(ready, ignore_errors=True)
    process.kill()
    raise RuntimeError(f"{module} did not start")


def wrk(url: str, cookie: str | None = None) -> float:
    command = ["wrk", "-t2", "-c8", "-d", DURATION, url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        raise RuntimeError(f"{non_2xx.group(1)} failed requests:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def first_load(url: str, cookie: str) -> tuple[int, int]:
    """Bytes transferred and requests made by Chromium opening the page on a phone."""
    from playwright.sync_api import sync_playwright

    name, value = cookie.split("=", 1)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(viewport={"width": 360, "height": 740})
        context.add_cookies([{"name": name, "value": value, "url": url}])
        page = context.new_page()
        sizes: list[int] = []
        page.on(
            "requestfinished",
            lambda r: sizes.append(
                r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"]
            ),
        )
        page.goto(url, wait_until="networkidle")
        browser.close()
    return sum(sizes), len(sizes)


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.db"),
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": "false",
        }
        cookie, path = prepare(env)
        hello_port, portal_port = free_port(), free_port()
        hello = serve("benchmarks.hello:app", hello_port, env)
        portal = serve("wsgi:app", portal_port, env)
        try:
            section_url = f"http://127.0.0.1:{portal_port}{path}"
            wrk(section_url, cookie)  # warm-up
            hello_rps = wrk(f"http://127.0.0.1:{hello_port}/")
            section_rps = wrk(section_url, cookie)
            size, requests = (
                first_load(section_url, cookie) if shutil.which("/usr/bin/chromium") else (0, 0)
            )
        finally:
            hello.terminate()
            portal.terminate()
            hello.wait()
            portal.wait()
    print(f"database:            {env['DATABASE_URL'].split(':')[0]}")
    print(f"hello world:         {hello_rps:8.0f} requests/s")
    print(f"section page:        {section_rps:8.0f} requests/s")
    print(f"ratio:               {section_rps / hello_rps:8.1%}  (budget >= 40 %)")
    print(
        f"first load:          {size / 1024:8.1f} KB in {requests} requests "
        "(budget < 50 KB, < 6 requests)"
    )


if __name__ == "__main__":
    main()
