"""Many suppliers saving at once: nothing lost, no 5xx, and how long a save takes.

Every simulated supplier signs in with its link and answers the whole sample
questionnaire section by section, as a phone does (open the section, post it with its
CSRF token, stamps and save id), all suppliers at once, against gunicorn. Afterwards the
database must hold every answer of every supplier. With `--kill-every S` a worker is
killed with SIGKILL every S seconds while the load runs; a save whose connection died is
sent again with the same save id, and no save that was acknowledged may be missing.

The client's latency includes the wait in gunicorn's listen backlog; the workers also time
each request themselves (benchmarks/gunicorn_ready.py), so both are reported. With zero
think time, 200 suppliers keep 200 requests waiting all the time: by Little's law a
request's latency is about 200 / requests served per second, whatever one request costs.
`--pace S` models phones instead: each supplier answers one question about every S seconds
(0.5 to 1.5 times S), each answer autosaved as the page's script does (1.5 s after the last
change), then presses Save.

Run: .venv/bin/python benchmarks/save_load.py --suppliers 200 --workers 4 \
        --database postgresql://postgres@127.0.0.1:5432/bench
     .venv/bin/python benchmarks/save_load.py --suppliers 200 --workers 2   # SQLite
     .venv/bin/python benchmarks/save_load.py --suppliers 200 --workers 4 --pace 5 --database …
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import secrets
import signal
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.section_page import free_port, serve  # noqa: E402
from tests.answers_fixture import SAMPLE_ANSWERS  # noqa: E402

INPUT = re.compile(r"<input [^>]*>")
NAME_VALUE = re.compile(
    r'name="(csrf_token|stamps|save_id)"[^>]*?value="([^"]*)"|'
    r'value="([^"]*)"[^>]*?name="(csrf_token|stamps|save_id)"'
)


def hidden_fields(page: str) -> dict[str, str]:
    """The CSRF token, stamps and save id a page's form carries, as a browser would send."""
    found = {}
    for tag in INPUT.findall(page):
        match = NAME_VALUE.search(tag)
        if match:
            name, value = (
                (match.group(1), match.group(2))
                if match.group(1)
                else (match.group(4), match.group(3))
            )
            found[name] = value
    return found


def prepare(env: dict, suppliers: int) -> list[tuple[int, str]]:
    """A fresh database with `suppliers` suppliers, each with an assessment and a link."""
    os.environ.update(env)
    from portal import create_app
    from portal.assessments.logic import assign
    from portal.auth.logic import issue_sign_in_link
    from portal.extensions import db
    from portal.migrate import upgrade
    from portal.questionnaires.logic import import_questionnaire
    from portal.suppliers.logic import create_supplier

    app = create_app({"RATELIMIT_ENABLED": False})
    found = []
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        upgrade()
        version = import_questionnaire(
            (ROOT / "questionnaires" / "supplier-self-assessment.yaml").read_bytes(), by=None
        )
        for n in range(suppliers):
            supplier = create_supplier(
                name=f"Load {n}",
                country="VN",
                category="Textiles",
                contact_email=f"load{n}@load.example",
                by=None,
            )
            assessment = assign(supplier, version, date.today() + timedelta(days=30), by=None)
            token = issue_sign_in_link(supplier.contacts[0], by=None, days=1)
            db.session.flush()
            found.append((assessment.id, token))
        db.session.commit()
    return found


def stored_answers(env: dict) -> dict[int, dict]:
    os.environ.update(env)
    from sqlalchemy import select

    from portal import create_app
    from portal.assessments.models import Answer
    from portal.extensions import db

    app = create_app()
    answers: dict[int, dict] = {}
    with app.app_context():
        for assessment_id, key, value in db.session.execute(
            select(Answer.assessment_id, Answer.question_key, Answer.value)
        ):
            answers.setdefault(assessment_id, {})[key] = value
        db.session.remove()
        db.engine.dispose()
    return answers


class Phone:
    """One supplier's browser: a cookie jar of one session cookie, one request at a time."""

    def __init__(self, port: int):
        self.port = port
        self.cookie = ""

    async def request(self, method: str, path: str, form: dict | None = None):
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        body = urlencode(form or {}, doseq=True).encode()
        head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
        if self.cookie:
            head.append(f"Cookie: {self.cookie}")
        if method == "POST":
            head += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
            ]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        await writer.drain()
        raw = await reader.read()
        writer.close()
        header, _, content = raw.partition(b"\r\n\r\n")
        lines = header.decode("latin-1").split("\r\n")
        if not lines[0].startswith("HTTP/"):
            raise ConnectionError("no answer")
        status = int(lines[0].split()[1])
        for line in lines[1:]:
            if line.lower().startswith("set-cookie: session="):
                self.cookie = line.split(": ", 1)[1].split(";", 1)[0]
        return status, content.decode("utf-8", "replace")


class Tally:
    def __init__(self):
        self.latencies: list[float] = []
        self.autosaves: list[float] = []
        self.errors: list[str] = []
        self.acknowledged: set[tuple[int, int]] = set()
        self.retries = 0


async def retrying(call, tally: Tally, what: str, tries: int = 20):
    for attempt in range(tries):
        try:
            status, text = await call()
        except (ConnectionError, OSError, asyncio.IncompleteReadError):
            status, text = 0, ""
        if status and status < 500:
            return status, text
        if status >= 500:
            tally.errors.append(f"{what}: {status}")
        tally.retries += 1
        await asyncio.sleep(0.2 * (attempt + 1))
    raise RuntimeError(f"{what}: gave up")


async def supplier(port: int, assessment_id: int, token: str, tally: Tally) -> None:
    phone = Phone(port)
    _, page = await retrying(lambda: phone.request("GET", f"/link/{token}"), tally, "link page")
    form = hidden_fields(page)
    await retrying(lambda: phone.request("POST", f"/link/{token}", form), tally, "sign in")
    for number, answers in SAMPLE_ANSWERS.items():
        url = f"/s/assessments/{assessment_id}/sections/{number}"
        _, page = await retrying(lambda: phone.request("GET", url), tally, "section")  # noqa: B023
        data = {**hidden_fields(page), **answers, "action": "stay"}
        started = time.perf_counter()
        status, _ = await retrying(lambda: phone.request("POST", url, data), tally, "save")  # noqa: B023
        tally.latencies.append(time.perf_counter() - started)
        if status == 302:
            tally.acknowledged.add((assessment_id, number))
        else:
            tally.errors.append(f"save {assessment_id}/{number}: {status}")


def typed_one_by_one(answers: dict) -> list[dict]:
    """The section's answers as a phone autosaves them: after each question, all so far."""
    return [dict(list(answers.items())[: n + 1]) for n in range(len(answers))]


async def paced_supplier(
    port: int, assessment_id: int, token: str, tally: Tally, pace: float
) -> None:
    """A supplier answering on a phone: about one question every `pace` seconds, each
    answer autosaved by the page's script (all the section's answers so far, with the stamps
    the last autosave handed back), then Save, as the page posts it."""
    import json
    import random

    chance = random.Random(assessment_id)
    phone = Phone(port)
    await asyncio.sleep(chance.uniform(0, pace))  # people do not all start at one instant
    _, page = await retrying(lambda: phone.request("GET", f"/link/{token}"), tally, "link page")
    form = hidden_fields(page)
    await retrying(lambda: phone.request("POST", f"/link/{token}", form), tally, "sign in")
    for number, answers in SAMPLE_ANSWERS.items():
        url = f"/s/assessments/{assessment_id}/sections/{number}"
        _, page = await retrying(lambda: phone.request("GET", url), tally, "section")  # noqa: B023
        hidden = hidden_fields(page)
        for so_far in typed_one_by_one(answers):
            await asyncio.sleep(pace * chance.uniform(0.5, 1.5))
            data = {**hidden, **so_far, "save_id": secrets.token_urlsafe(16)}
            started = time.perf_counter()
            status, text = await retrying(
                lambda: phone.request("POST", f"{url}/autosave", data),  # noqa: B023
                tally,
                "autosave",
            )
            tally.autosaves.append(time.perf_counter() - started)
            if status != 200:
                tally.errors.append(f"autosave {assessment_id}/{number}: {status}")
                continue
            hidden["stamps"] = json.loads(text)["stamps"]
        data = {**hidden, **answers, "action": "stay"}
        started = time.perf_counter()
        status, _ = await retrying(lambda: phone.request("POST", url, data), tally, "save")  # noqa: B023
        tally.latencies.append(time.perf_counter() - started)
        if status == 302:
            tally.acknowledged.add((assessment_id, number))
        else:
            tally.errors.append(f"save {assessment_id}/{number}: {status}")


async def killer(server, every: float, stop: asyncio.Event, killed: list[int]) -> None:
    import subprocess

    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), timeout=every)
        except TimeoutError:
            children = subprocess.run(
                ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
            ).stdout.split()
            if children:
                os.kill(int(children[0]), signal.SIGKILL)
                killed.append(int(children[0]))


async def run_load(
    port: int, accounts, server, kill_every: float | None, pace: float | None = None
) -> tuple[Tally, float, int]:
    tally = Tally()
    stop, killed = asyncio.Event(), []
    kill_task = (
        asyncio.create_task(killer(server, kill_every, stop, killed)) if kill_every else None
    )
    started = time.perf_counter()
    if pace:
        await asyncio.gather(*(paced_supplier(port, a, t, tally, pace) for a, t in accounts))
    else:
        await asyncio.gather(*(supplier(port, a, t, tally) for a, t in accounts))
    elapsed = time.perf_counter() - started
    stop.set()
    if kill_task:
        await kill_task
    return tally, elapsed, len(killed)


def check(stored: dict[int, dict], accounts, tally: Tally) -> list[str]:
    """Every acknowledged section's answers are in the database, as typed."""
    lost = []
    scalar = {"q-total_workers": 12, "q-weekly_hours": 45}
    for assessment_id, number in sorted(tally.acknowledged):
        answers = stored.get(assessment_id, {})
        for field, typed in SAMPLE_ANSWERS[number].items():
            key = field.removeprefix("q-")
            want = scalar.get(field, typed)
            if answers.get(key) != want:
                lost.append(f"{assessment_id}/{number} {key}: {answers.get(key)!r} != {want!r}")
    everyone = {(a, n) for a, _t in accounts for n in SAMPLE_ANSWERS}
    lost += [f"{a}/{n}: never acknowledged" for a, n in sorted(everyone - tally.acknowledged)]
    return lost


SECTION_PATH = re.compile(r"/s/assessments/\d+/sections/\d+(/autosave)?$")


def server_times(folder: Path) -> dict[str, list[tuple[float, float]]]:
    """(wall, CPU) milliseconds of each section save, autosave and section page, as the
    workers timed them (benchmarks/gunicorn_ready.py): from the parsed request to the last
    byte sent."""
    times: dict[str, list[tuple[float, float]]] = {"save": [], "autosave": [], "page": []}
    for log in folder.glob("*.log"):
        for line in log.read_text().splitlines():
            parts = line.split()
            match = len(parts) == 5 and SECTION_PATH.match(parts[1])
            if match:
                kind = "page" if parts[0] == "GET" else "autosave" if match[1] else "save"
                times[kind].append((float(parts[3]), float(parts[4])))
    return times


def percentiles(values: list[float]) -> str:
    if len(values) < 2:
        return "-"
    cuts = statistics.quantiles(values, n=100)
    return f"p50 {cuts[49]:.0f} ms, p95 {cuts[94]:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--suppliers", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", default="")
    parser.add_argument("--kill-every", type=float, default=None)
    parser.add_argument(
        "--pace",
        type=float,
        default=None,
        help="seconds between a supplier's answers, each one autosaved (default: none, "
        "every supplier saves its sections back to back)",
    )
    parser.add_argument(
        "--profile", default="", help="folder where each worker writes its cProfile stats"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        timing = Path(tmp, "timing")
        timing.mkdir()
        env = {
            "DATABASE_URL": args.database or f"sqlite:///{tmp}/load.db",
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": "false",
            "BENCH_TIMING_DIR": str(timing),
        }
        if args.profile:
            Path(args.profile).mkdir(parents=True, exist_ok=True)
            env["BENCH_PROFILE_DIR"] = str(Path(args.profile).resolve())
        env.pop("REDIS_URL", None)
        accounts = prepare(env, args.suppliers)
        port = free_port()
        os.environ["BENCH_WORKERS"] = str(args.workers)
        import benchmarks.section_page as section_page

        section_page.WORKERS = args.workers
        server = serve("wsgi:app", port, env)
        try:
            tally, elapsed, killed = asyncio.run(
                run_load(port, accounts, server, args.kill_every, args.pace)
            )
        finally:
            server.terminate()
            server.wait()
        lost = check(stored_answers(env), accounts, tally)
        served = server_times(timing)
    saves = len(tally.latencies)
    pace = f", one answer every {args.pace:g} s, autosaved" if args.pace else ""
    print(f"database:       {env['DATABASE_URL'].split(':')[0]}, {args.workers} workers")
    print(f"suppliers:      {args.suppliers}{pace}, {saves} saves in {elapsed:.1f} s")
    print(f"throughput:     {saves / elapsed:.1f} saves/s")
    print(f"save latency:   {percentiles([t * 1000 for t in tally.latencies])} (client)")
    print(f"save, served:   {percentiles([wall for wall, _cpu in served['save']])} (worker)")
    print(f"  of it CPU:    {percentiles([cpu for _wall, cpu in served['save']])}")
    if tally.autosaves:
        print(f"autosaves:      {len(tally.autosaves)}")
        print(f"autosave:       {percentiles([t * 1000 for t in tally.autosaves])} (client)")
        served_autosaves = [wall for wall, _cpu in served["autosave"]]
        print(f"autosave, served: {percentiles(served_autosaves)} (worker)")
    print(f"page, served:   {percentiles([wall for wall, _cpu in served['page']])} (worker)")
    print(f"5xx answers:    {len([e for e in tally.errors if ': 5' in e])}")
    print(f"retries:        {tally.retries} (workers killed: {killed})")
    print(f"acknowledged:   {len(tally.acknowledged)}")
    print(f"lost:           {len(lost)}")
    for line in tally.errors[:10] + lost[:20]:
        print("   ", line)
    sys.exit(1 if lost else 0)


if __name__ == "__main__":
    main()
