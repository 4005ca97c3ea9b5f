"""Buyer list pages with many suppliers, in one organisation or several: server time per page.

Seeds a fresh database (SQLite in a temporary folder, or BENCH_DATABASE_URL, whose schema is
dropped first) with `--organisations` buying organisations of `--suppliers` suppliers each
(interleaved, as organisations that joined at the same time), each supplier with a contact,
3 assessments with their draft answers and, for those submitted, revisions with scores and
red flags; a finding and a corrective action for every fifth supplier and a risk change
waiting for every tenth; computes every supplier's risk. Then, signed in as a buyer of the
first organisation, times every buyer list page that grows with the number of suppliers
(the dashboard with each filter, sort and a later page, the supplier, assessment, action
and risk change lists) and the exports, through the Flask test client: p50 and p95 of
`--runs` requests after one warm-up, the app's CPU time and the time waiting on the
database per request, and the statements each runs. Goal: under 100 ms per page
(exports, downloads, are reported apart).
Run: .venv/bin/python benchmarks/dashboard.py [--organisations 10] [--suppliers 10000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
COUNTRIES = ["VN", "BD", "IN", "CN", "MX", "TR", "MA", "KE", "FR", "ES", "PT", "IT", "BR", "PE"]
CATEGORIES = [
    "Textiles",
    "Leather goods",
    "Fresh produce",
    "Packaging",
    "Electronics",
    "Furniture",
    "Chemicals",
    "Logistics",
]
STATUSES = ["invited", "in_progress", "submitted", "returned", "accepted"]
ACTION_STATUSES = ["open", "in_progress", "ready_for_verification", "closed", "reopened"]
CHUNK = 5_000  # suppliers seeded per round of inserts, to keep memory flat
SECONDS_PER_PAGE = 10  # a slow page is timed fewer times
PAGES = [
    ("dashboard, first page (risk, highest first)", "/b/dashboard/"),
    ("dashboard, risk lowest first", "/b/dashboard/?sort=risk&order=asc"),
    ("dashboard, sorted by score", "/b/dashboard/?sort=score"),
    ("dashboard, sorted by red flags", "/b/dashboard/?sort=flags"),
    ("dashboard, sorted by next due date", "/b/dashboard/?sort=due"),
    ("dashboard, sorted by name", "/b/dashboard/?sort=name"),
    ("dashboard, sorted by country", "/b/dashboard/?sort=country"),
    ("dashboard, page 100", "/b/dashboard/?page=100"),
    ("dashboard, last page", "/b/dashboard/?page=10000"),
    ("dashboard, by name, page 150", "/b/dashboard/?sort=name&page=150"),
    ("dashboard, tier high", "/b/dashboard/?tier=high"),
    ("dashboard, tier low, by score", "/b/dashboard/?tier=low&sort=score"),
    ("dashboard, country VN", "/b/dashboard/?country=VN"),
    ("dashboard, category Textiles", "/b/dashboard/?category=Textiles"),
    ("dashboard, status submitted", "/b/dashboard/?status=submitted"),
    ("dashboard, status overdue", "/b/dashboard/?status=overdue"),
    ("dashboard, never assessed", "/b/dashboard/?status=none"),
    ("dashboard, search 'atlas'", "/b/dashboard/?q=atlas"),
    ("dashboard, search one name", "/b/dashboard/?q=00042"),
    (
        "dashboard, tier + status, by score",
        "/b/dashboard/?tier=high&status=submitted&sort=score&order=asc",
    ),
    (
        "dashboard, search + category, by due, page 3",
        "/b/dashboard/?q=atlas&category=Textiles&sort=due&page=3",
    ),
    ("suppliers list", "/b/suppliers/"),
    ("suppliers list, search 'atlas'", "/b/suppliers/?q=atlas"),
    ("assessments list", "/b/"),
    ("assessments list, submitted", "/b/?status=submitted"),
    ("corrective actions", "/b/actions"),
    ("corrective actions, overdue", "/b/actions?show=overdue"),
    ("corrective actions, ready", "/b/actions?show=ready"),
    ("risk changes", "/b/risk/changes"),
]
EXPORTS = [
    (f"export {kind}.{file_format}", f"/b/exports/{kind}.{file_format}")
    for kind in ("suppliers", "assessments", "answers")
    for file_format in ("csv", "xlsx")
]


def _variants(definition):
    from portal.assessments.scoring import red_flags, score_answers
    from tests.answers_fixture import SAMPLE_ANSWERS

    good = {}
    for section in SAMPLE_ANSWERS.values():
        for name, value in section.items():
            good[name.removeprefix("q-")] = value
    good["total_workers"], good["weekly_hours"] = 12, 45
    variants = []
    for hours, exits in ((45, "yes"), (58, "yes"), (66, "no"), (40, "yes")):
        answers = {**good, "weekly_hours": hours, "emergency_exits": exits}
        variants.append(
            (
                answers,
                score_answers(definition, answers).to_dict(),
                [f.to_dict() for f in red_flags(definition, answers)],
            )
        )
    return variants


def seed(organisations: int, per_organisation: int) -> None:
    """Organisations, suppliers and what hangs on them, by bulk inserts; then every risk."""
    from sqlalchemy import insert, select, text

    from portal.actions.models import CorrectiveAction
    from portal.assessments.models import Answer, Assessment, Revision
    from portal.auth.models import User
    from portal.extensions import db
    from portal.findings.models import Finding
    from portal.organisations.models import Organisation
    from portal.questionnaires.logic import import_questionnaire
    from portal.risk.logic import refresh_all
    from portal.risk.models import RiskChange, SupplierRisk
    from portal.suppliers.matching import company_key
    from portal.suppliers.models import Company, Supplier, SupplierContact

    rng = random.Random(7)
    now = datetime.now(UTC)
    db.session.execute(
        insert(Organisation),
        [
            {"id": n, "name": f"Buying organisation {n}", "created_at": now}
            for n in range(1, organisations + 1)
        ],
    )
    version = import_questionnaire(
        (ROOT / "questionnaires" / "supplier-self-assessment.yaml").read_bytes(), by=None
    )
    variants = _variants(version.definition)
    total = organisations * per_organisation
    ids = {"assessment": 1, "revision": 1, "finding": 1}
    for first in range(1, total + 1, CHUNK):
        chunk = range(first, min(first + CHUNK, total + 1))
        tables = {
            table: []
            for table in (Company, Supplier, User, SupplierContact, Assessment, Revision, Answer)
        }
        tables |= {Finding: [], CorrectiveAction: []}
        for supplier_id in chunk:
            organisation_id = (supplier_id - 1) % organisations + 1
            rank = (supplier_id - 1) // organisations  # in its organisation, from 0
            name = f"Supplier {supplier_id:06d} " + rng.choice(["Sol", "Élan", "Atlas", "Green"])
            country = rng.choice(COUNTRIES)
            tables[Company].append(
                {
                    "id": supplier_id,
                    "name": name,
                    "country": country,
                    "key": company_key(name),
                    "created_at": now,
                }
            )
            tables[Supplier].append(
                {
                    "id": supplier_id,
                    "organisation_id": organisation_id,
                    "company_id": supplier_id,
                    "name": name,
                    "country": country,
                    "category": rng.choice(CATEGORIES),
                    "created_at": now,
                }
            )
            tables[User].append(
                {
                    "id": supplier_id,
                    "email": f"contact{supplier_id}@bench.example",
                    "name": f"Contact {supplier_id}",
                    "role": "supplier",
                    "locale": "en",
                    "active": True,
                    "session_version": 1,
                    "created_at": now,
                }
            )
            tables[SupplierContact].append(
                {
                    "id": supplier_id,
                    "organisation_id": organisation_id,
                    "supplier_id": supplier_id,
                    "user_id": supplier_id,
                    "name": f"Contact {supplier_id}",
                    "active": True,
                    "created_at": now,
                }
            )
            for round_ in range(3):
                assessment_id = ids["assessment"]
                ids["assessment"] += 1
                status = "accepted" if round_ < 2 else rng.choice(STATUSES)
                created = now - timedelta(days=400 * (2 - round_) + rng.randint(0, 30))
                submitted = status not in ("invited", "in_progress")
                owned = {"organisation_id": organisation_id}
                tables[Assessment].append(
                    owned
                    | {
                        "id": assessment_id,
                        "supplier_id": supplier_id,
                        "questionnaire_id": version.id,
                        "status": status,
                        "due_date": (created + timedelta(days=30)).date(),
                        "created_at": created,
                        "submitted_at": created + timedelta(days=10) if submitted else None,
                        "confirmed_sections": [],
                    }
                )
                given, score, flags = rng.choice(variants)
                if submitted:
                    revision_id = ids["revision"]
                    ids["revision"] += 1
                    accepted = status == "accepted"
                    tables[Revision].append(
                        owned
                        | {
                            "id": revision_id,
                            "assessment_id": assessment_id,
                            "number": 1,
                            "answers": given,
                            "score": score,
                            "red_flags": flags,
                            "submitted_at": created + timedelta(days=10),
                            "decision": "accepted" if accepted else None,
                            "decided_at": created + timedelta(days=15) if accepted else None,
                        }
                    )
                    if round_ == 1 and rank % 5 == 4:
                        _finding_and_action(tables, ids, owned, supplier_id, assessment_id)
                        tables[Finding][-1]["revision_id"] = revision_id
                        tables[CorrectiveAction][-1].update(_action_state(rng, now))
                tables[Answer].extend(
                    {
                        "assessment_id": assessment_id,
                        "question_key": key,
                        "value": value,
                        "updated_at": created,
                    }
                    for key, value in given.items()
                )
        for table, rows in tables.items():
            for start in range(0, len(rows), 20_000):
                db.session.execute(insert(table), rows[start : start + 20_000])
        db.session.commit()
    if db.engine.dialect.name == "postgresql":  # explicit ids: move the sequences past them
        tables = ("organisations", "companies", "suppliers", "users", "supplier_contacts")
        for table in (*tables, "assessments", "revisions"):
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
                )
            )
        for table in ("findings", "corrective_actions"):
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id))"
                    f" FROM {table} HAVING count(*) > 0"
                )
            )
    db.session.commit()
    refresh_all()
    db.session.commit()
    # A first score is not a change: every tenth supplier gets one waiting, as after a rating.
    risks = [
        row
        for row in db.session.execute(
            select(
                SupplierRisk.supplier_id, SupplierRisk.organisation_id, SupplierRisk.score
            ).order_by(SupplierRisk.supplier_id)
        )
        if (row.supplier_id - 1) // organisations % 10 == 9
    ]
    changes = [
        {
            "organisation_id": organisation_id,
            "supplier_id": supplier_id,
            "old_score": max(0.0, score - 12),
            "old_tier": "low",
            "new_score": score,
            "new_tier": "medium",
            "reasons": [],
            "created_at": now - timedelta(minutes=supplier_id % 1440),
        }
        for supplier_id, organisation_id, score in risks
    ]
    for start in range(0, len(changes), 20_000):
        db.session.execute(insert(RiskChange), changes[start : start + 20_000])
    db.session.commit()


def _finding_and_action(tables, ids, owned, supplier_id: int, assessment_id: int) -> None:
    from portal.actions.models import CorrectiveAction
    from portal.findings.models import Finding

    finding_id = ids["finding"]
    ids["finding"] += 1
    tables[Finding].append(
        owned
        | {
            "id": finding_id,
            "supplier_id": supplier_id,
            "assessment_id": assessment_id,
            "question_key": "weekly_hours",
            "critical_rule": None,
            "title": "Working hours over the legal limit",
            "severity": "high",
            "description": "",
            "created_at": datetime.now(UTC),
        }
    )
    tables[CorrectiveAction].append(
        owned
        | {
            "id": finding_id,
            "finding_id": finding_id,
            "supplier_id": supplier_id,
            "title": "Keep weekly hours under 60",
            "what_must_change": "Plan shifts so that nobody works more than 60 hours a week.",
            "responsible_name": "Production manager",
            "responsible_role": "",
            "created_at": datetime.now(UTC),
        }
    )


def _action_state(rng: random.Random, now: datetime) -> dict:
    status = rng.choice(ACTION_STATUSES)
    return {
        "status": status,
        "due_date": (now + timedelta(days=rng.randint(-60, 90))).date(),
        "closed_at": now if status == "closed" else None,
    }


@dataclass(frozen=True)
class Timing:
    """Milliseconds of one page: wall p50 and p95, the app's own CPU and the time spent
    waiting on the database (p50 each), statements per request, requests timed."""

    p50: float
    p95: float
    cpu: float
    sql: float
    statements: int
    runs: int


def timed(client, url: str, runs: int, explain: bool = False) -> Timing:
    """`runs` requests after a warm-up (fewer, at least 3, for a page that takes seconds)."""
    from sqlalchemy import event

    from portal.extensions import db

    with client.application.app_context():
        engine = db.engine
    statements = []

    def count(_conn, _cursor, statement, parameters, *_args):
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", count)
    try:
        start = time.perf_counter()
        response = client.get(url)  # warm-up
        warm_up = time.perf_counter() - start
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200, (url, response.status_code)
    runs = min(runs, max(3, int(SECONDS_PER_PAGE / warm_up)))
    samples, cpu, sql = [], [], []
    in_sql = []

    def sql_started(*_args):
        in_sql.append(-time.perf_counter())

    def sql_ended(*_args):
        in_sql[-1] += time.perf_counter()

    event.listen(engine, "before_cursor_execute", sql_started)
    event.listen(engine, "after_cursor_execute", sql_ended)
    try:
        for _ in range(runs):
            in_sql.clear()
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            sql.append(sum(in_sql) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    finally:
        event.remove(engine, "before_cursor_execute", sql_started)
        event.remove(engine, "after_cursor_execute", sql_ended)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    if explain:
        _explain(engine, statements)
    return Timing(
        statistics.median(samples),
        p95,
        statistics.median(cpu),
        statistics.median(sql),
        len(statements),
        runs,
    )


def _explain(engine, statements) -> None:
    """Print the plan of each SELECT a page ran, with its real parameters."""
    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS) "
        if engine.dialect.name == "postgresql"
        else "EXPLAIN QUERY PLAN "
    )
    with engine.connect() as connection:
        for statement, parameters in statements:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            print("\n" + statement)
            plan = connection.exec_driver_sql(prefix + statement, parameters).all()
            print("\n".join("    " + " ".join(str(c) for c in row) for row in plan))


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--organisations", type=int, default=1)
    parser.add_argument(
        "--suppliers",
        type=int,
        default=int(os.environ.get("BENCH_SUPPLIERS", "10000")),
        help="suppliers per organisation",
    )
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "20")))
    parser.add_argument("--export-runs", type=int, default=1)
    parser.add_argument("--no-exports", action="store_true")
    parser.add_argument(
        "--explain", action="store_true", help="print the plan of every statement of each page"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time the BENCH_DATABASE_URL database a run before seeded (migrated to head)",
    )
    parser.add_argument(
        "--only", default="", help="time only the pages whose name contains this text"
    )
    return parser.parse_args()


def main() -> None:
    args = arguments()
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.db")
        os.environ.update({"DATABASE_URL": url, "SECRET_KEY": "bench"})
        from portal import create_app
        from portal.auth.logic import create_user
        from portal.auth.models import Role
        from portal.extensions import db
        from portal.migrate import upgrade

        app = create_app({"RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False})
        with app.app_context():
            reuse = args.reuse and db.engine.dialect.name == "postgresql"
            if not reuse and db.engine.dialect.name == "postgresql":
                with db.engine.begin() as connection:
                    connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
            upgrade()
            started = time.perf_counter()
            if not reuse:
                seed(args.organisations, args.suppliers)
                create_user(
                    "bench-buyer@bench.example",
                    Role.BUYER,
                    password="bench-password",
                    organisation_id=1,
                )
                db.session.commit()
            seeded = time.perf_counter() - started
            if db.engine.dialect.name == "postgresql":
                vacuum = db.engine.execution_options(isolation_level="AUTOCOMMIT")
                with vacuum.connect() as connection:  # VACUUM runs outside a transaction
                    connection.exec_driver_sql("VACUUM ANALYZE")
        client = app.test_client()
        client.post(
            "/sign-in", data={"email": "bench-buyer@bench.example", "password": "bench-password"}
        )
        pages = PAGES + ([] if args.no_exports else EXPORTS)
        print(f"database:  {url.split(':')[0]}")
        print(
            f"seeded:    {args.organisations} organisation(s) x {args.suppliers:,} suppliers,"
            f" {3 * args.organisations * args.suppliers:,} assessments"
            + (" (reused);" if reuse else f" in {seeded:.0f} s;")
            + " timed as a buyer of the first"
        )
        print(
            f"{'page':48} {'p50 ms':>8} {'p95 ms':>8} {'cpu ms':>8} {'sql ms':>8}"
            f" {'queries':>8} {'runs':>5}"
        )
        for name, path in pages:
            if args.only not in name:
                continue
            runs = args.export_runs if path.startswith("/b/exports/") else args.runs
            t = timed(client, path, runs, args.explain)
            over = "  over 100 ms" if t.p50 >= 100 and not path.startswith("/b/exports/") else ""
            print(
                f"{name:48} {t.p50:8.1f} {t.p95:8.1f} {t.cpu:8.1f} {t.sql:8.1f}"
                f" {t.statements:8d} {t.runs:5d}{over}",
                flush=True,
            )


if __name__ == "__main__":
    main()
