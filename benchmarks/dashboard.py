"""Buyer dashboard with 10,000 suppliers and 30,000 assessments: server time per page.

Seeds a fresh database (SQLite in a temporary folder, or BENCH_DATABASE_URL, whose schema is
dropped first) with 10,000 suppliers, 3 assessments each with their answers and, for those
submitted, revisions with scores and red flags; computes every supplier's risk; then times
the dashboard's first page and a filtered, sorted page through the Flask test client
(median of BENCH_RUNS requests, after one warm-up). Goal: under 100 ms each.
Run: .venv/bin/python benchmarks/dashboard.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SUPPLIERS = int(os.environ.get("BENCH_SUPPLIERS", "10000"))
RUNS = int(os.environ.get("BENCH_RUNS", "20"))
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


def seed(app) -> None:
    from sqlalchemy import insert, text

    from portal.assessments.models import Answer, Assessment, Revision
    from portal.assessments.scoring import red_flags, score_answers
    from portal.auth.models import User
    from portal.extensions import db
    from portal.questionnaires.logic import import_questionnaire
    from portal.risk.logic import refresh_all
    from portal.suppliers.models import Supplier
    from tests.answers_fixture import SAMPLE_ANSWERS

    rng = random.Random(7)
    version = import_questionnaire(
        (ROOT / "questionnaires" / "supplier-self-assessment.yaml").read_bytes(), by=None
    )
    definition = version.definition
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
    now = datetime.now(UTC)
    db.session.execute(
        insert(Supplier),
        [
            {
                "id": i,
                "name": f"Supplier {i:05d} {rng.choice(['Sol', 'Élan', 'Atlas', 'Green'])}",
                "country": rng.choice(COUNTRIES),
                "category": rng.choice(CATEGORIES),
                "created_at": now,
            }
            for i in range(1, SUPPLIERS + 1)
        ],
    )
    db.session.execute(
        insert(User),
        [
            {
                "id": i,
                "email": f"contact{i}@bench.example",
                "name": f"Contact {i}",
                "role": "supplier",
                "supplier_id": i,
                "locale": "en",
                "active": True,
                "session_version": 1,
                "created_at": now,
            }
            for i in range(1, SUPPLIERS + 1)
        ],
    )
    assessments, revisions, answers = [], [], []
    next_id = 1
    for supplier_id in range(1, SUPPLIERS + 1):
        for round_ in range(3):
            status = "accepted" if round_ < 2 else rng.choice(STATUSES)
            created = now - timedelta(days=400 * (2 - round_) + rng.randint(0, 30))
            submitted = status not in ("invited", "in_progress")
            assessments.append(
                {
                    "id": next_id,
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
                revisions.append(
                    {
                        "assessment_id": next_id,
                        "number": 1,
                        "answers": given,
                        "score": score,
                        "red_flags": flags,
                        "submitted_at": created + timedelta(days=10),
                        "decision": "accepted" if status == "accepted" else None,
                        "decided_at": created + timedelta(days=15)
                        if status == "accepted"
                        else None,
                    }
                )
            answers.extend(
                {
                    "assessment_id": next_id,
                    "question_key": key,
                    "value": value,
                    "updated_at": created,
                }
                for key, value in given.items()
            )
            next_id += 1
    for table, rows in ((Assessment, assessments), (Revision, revisions), (Answer, answers)):
        for start in range(0, len(rows), 20_000):
            db.session.execute(insert(table), rows[start : start + 20_000])
    if db.engine.dialect.name == "postgresql":  # explicit ids: move the sequences past them
        for table in ("suppliers", "users", "assessments"):
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
                )
            )
    db.session.commit()
    refresh_all()
    db.session.commit()


def timed(client, url: str) -> float:
    client.get(url)  # warm-up
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(samples)


def main() -> None:
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
            if db.engine.dialect.name == "postgresql":
                with db.engine.begin() as connection:
                    connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
            upgrade()
            started = time.perf_counter()
            seed(app)
            seeded = time.perf_counter() - started
            create_user("bench-buyer@bench.example", Role.BUYER, password="bench-password")
            db.session.commit()
            if db.engine.dialect.name == "postgresql":
                with db.engine.begin() as connection:
                    connection.exec_driver_sql("ANALYZE")
        client = app.test_client()
        client.post(
            "/sign-in", data={"email": "bench-buyer@bench.example", "password": "bench-password"}
        )
        first = timed(client, "/b/dashboard/")
        filtered = timed(client, "/b/dashboard/?tier=high&status=submitted&sort=score&order=asc")
        searched = timed(client, "/b/dashboard/?q=atlas&category=Textiles&sort=due&page=3")
    print(f"database:        {url.split(':')[0]}")
    print(
        f"seeded:          {SUPPLIERS:,} suppliers, {3 * SUPPLIERS:,} assessments in {seeded:.0f} s"
    )
    print(f"first page:      {first:6.1f} ms median of {RUNS}  (goal < 100 ms)")
    print(f"filtered page:   {filtered:6.1f} ms median of {RUNS}  (tier, status, sorted by score)")
    print(f"searched page:   {searched:6.1f} ms median of {RUNS}  (name, category, sorted by due)")


if __name__ == "__main__":
    main()
