"""Shared fixtures: one app per run, a clean database per test, small factories."""

from __future__ import annotations

import itertools
import os
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from portal import PROJECT_ROOT, create_app
from portal.db import Base
from portal.extensions import db

pytest_plugins = ["tests.conftest_smtp"]  # the `smtp_server` fixture: a real local SMTP server

SAMPLE = PROJECT_ROOT / "questionnaires" / "supplier-self-assessment.yaml"
REPORT_TESTS = Path(__file__).resolve().parent / "reports"
_counter = itertools.count(1)


def pytest_collection_modifyitems(items):
    """Every report test renders PDFs: it needs WeasyPrint's libraries and the fonts."""
    for item in items:
        if item.path.is_relative_to(REPORT_TESTS):
            item.add_marker(pytest.mark.pdf)


def pytest_runtest_setup(item):
    from tests.system_packages import require

    for group in ("pdf", "browser"):
        if item.get_closest_marker(group):
            require(group)


def _database_url(tmp_dir: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        name = make_url(url).database or ""
        if "test" not in name:
            pytest.exit(f"refusing to run tests against database {name!r}: its name must say test")
        return url.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{tmp_dir / 'test.db'}"


def _reset_schema(url: str) -> None:
    from sqlalchemy import create_engine

    if not url.startswith("postgresql"):
        return
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    url = _database_url(tmp_path_factory.mktemp("db"))
    evidence = tmp_path_factory.mktemp("evidence")
    _reset_schema(url)
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "SECRET_KEY": "test-secret",
            # scrypt takes a fraction of a second per password, and most tests make a buyer
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": True,  # set up the limiter's hooks, then switch it off
            "MAIL_SERVER": "",
            "BASE_URL": "http://localhost",
            "EVIDENCE_DIR": str(evidence),  # not the project's instance/ folder
        }
    )
    from portal.extensions import limiter
    from portal.migrate import upgrade

    limiter.enabled = False
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(request):
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture
def rate_limits(app):
    """Rate limits on, from a clean slate, for one test."""
    from portal.extensions import limiter

    limiter.enabled = True
    limiter.reset()
    yield
    limiter.reset()
    limiter.enabled = False


@pytest.fixture
def mailbox(monkeypatch):
    """Mail as it is delivered (to the log backend): a list of (recipient, subject, body)."""
    from portal.notifications import logic

    delivered: list[tuple[str, str, str]] = []
    send = logic._send_to_log

    def keep(mail):
        delivered.append((mail.recipient, mail.subject, mail.body))
        send(mail)

    monkeypatch.setattr(logic, "_send_to_log", keep)
    return delivered


@pytest.fixture
def count_queries(app):
    """Count the SQL statements run inside a `with count_queries() as counted:` block."""
    from contextlib import contextmanager

    from sqlalchemy import event

    @contextmanager
    def counting():
        statements: list[str] = []

        def count(_conn, _cursor, statement, *_args):
            if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
                statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", count)

    return counting


@pytest.fixture
def ctx(app):
    """An application context for calling domain functions directly."""
    with app.test_request_context():
        yield
        db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def questionnaire(app):
    from portal.questionnaires.logic import import_questionnaire

    with app.app_context():
        version = import_questionnaire(SAMPLE.read_bytes(), by=None)
        db.session.commit()
        return version.id


@pytest.fixture
def make_buyer(app):
    from portal.auth.logic import create_user
    from portal.auth.models import Role

    def make(password: str = "correct horse battery", role: Role = Role.BUYER) -> int:
        with app.app_context():
            user = create_user(
                f"buyer{next(_counter)}@example.com", role, password=password, name="Bea Buyer"
            )
            db.session.commit()
            return user.id

    return make


@pytest.fixture
def make_instance_admin(app):
    """Create an instance admin (no organisation) who signs in with a password; its id."""
    from portal.auth.logic import create_user
    from portal.auth.models import Role

    def make(password: str = "correct horse battery") -> int:
        with app.app_context():
            user = create_user(
                f"instance{next(_counter)}@example.com",
                Role.INSTANCE_ADMIN,
                password=password,
                name="Ira Instance",
            )
            db.session.commit()
            return user.id

    return make


@pytest.fixture
def make_supplier(app):
    """Create a supplier with one contact; return (supplier_id, contact_id)."""
    from portal.suppliers.logic import create_supplier

    def make(name: str | None = None, locale: str = "en") -> tuple[int, int]:
        n = next(_counter)
        with app.app_context():
            supplier = create_supplier(
                name=name or f"Supplier {n}",
                country="VN",
                category="Textiles",
                contact_email=f"contact{n}@supplier.example",
                contact_name=f"Contact {n}",
                contact_locale=locale,
                by=None,
            )
            db.session.commit()
            return supplier.id, supplier.contacts[0].id

    return make


@pytest.fixture
def make_assessment(app, questionnaire):
    from portal.assessments.logic import assign
    from portal.questionnaires.models import QuestionnaireVersion
    from portal.suppliers.models import Supplier

    def make(supplier_id: int, due: date | None = None) -> int:
        with app.app_context():
            assessment = assign(
                db.session.get(Supplier, supplier_id),
                db.session.get(QuestionnaireVersion, questionnaire),
                due or date.today() + timedelta(days=30),
                by=None,
            )
            db.session.commit()
            return assessment.id

    return make


@pytest.fixture
def issue_link(app):
    from portal.auth.logic import issue_sign_in_link
    from portal.auth.models import User

    def issue(user_id: int, days: int = 14) -> str:
        with app.app_context():
            token = issue_sign_in_link(db.session.get(User, user_id), by=None, days=days)
            db.session.commit()
            return token

    return issue


@pytest.fixture
def sign_in_buyer(client, app):
    from portal.auth.models import User

    def sign_in(user_id: int, password: str = "correct horse battery"):
        with app.app_context():
            email = db.session.get(User, user_id).email
        response = client.post("/sign-in", data={"email": email, "password": password})
        assert response.status_code == 302, response.text
        return response

    return sign_in


@pytest.fixture
def sign_in_supplier(client, issue_link):
    def sign_in(contact_id: int):
        token = issue_link(contact_id)
        response = client.post(f"/link/{token}")
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/s/")
        return response

    return sign_in


def csrf_token_from(html: str) -> str:
    """The CSRF token in a rendered form."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def without_csrf_token(html: str) -> str:
    """The page with its CSRF tokens blanked, to compare two pages: a token carries the
    second it was made, so two pages made a second apart differ there."""
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]+', r"\1", html)


# Emptied by the tests that use it; two suites running at once each name their own.
REDIS_TEST_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_queue(app, monkeypatch):
    """REDIS_URL set to an emptied test database, yielding the job queue; required in CI,
    skipped locally without Redis."""
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    from portal.jobs import queue

    connection = Redis.from_url(REDIS_TEST_URL)
    try:
        connection.ping()
    except RedisDown:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs Redis at {REDIS_TEST_URL}")
        pytest.skip(f"no Redis at {REDIS_TEST_URL}")
    connection.flushdb()
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_TEST_URL)
    with app.app_context():
        yield queue()
    connection.flushdb()
    connection.close()


def work_queue(app, q) -> None:
    """Run every queued job in this process, as a worker would, then stop."""
    from rq import SimpleWorker

    class BurstWorker(SimpleWorker):
        """RQ listens for commands in a thread that waits up to 60 s for a message, and
        stopping the worker waits for that thread: listen in 0.1 s waits instead."""

        def subscribe(self):
            self.pubsub = self.connection.pubsub()
            self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
            self.pubsub_thread = self.pubsub.run_in_thread(
                sleep_time=0.1, daemon=True, exception_handler=self._pubsub_exception_handler
            )

    with app.app_context():
        BurstWorker([q], connection=q.connection).work(burst=True)


def database_rows(app) -> dict[str, list[str]]:
    """Every row of every table, as sorted text, to compare before and after a request."""
    with app.app_context(), db.engine.connect() as connection:
        return {
            table.name: sorted(repr(tuple(row)) for row in connection.execute(table.select()))
            for table in Base.metadata.sorted_tables
        }


@pytest.fixture
def database_unchanged(app):
    """`with database_unchanged():` fails when any row of any table was added, removed or
    changed inside the block."""
    from contextlib import contextmanager

    @contextmanager
    def unchanged():
        before = database_rows(app)
        yield
        after = database_rows(app)
        changed = {
            name: {"before": len(before[name]), "after": len(after[name])}
            for name in before
            if before[name] != after[name]
        }
        assert not changed, f"rows changed: {changed}"

    return unchanged
