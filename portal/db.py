"""Declarative base, engine set-up and the per-request session."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, current_app, has_request_context, request
from flask.globals import app_ctx
from sqlalchemy import JSON, DateTime, MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored as naive UTC and always read back as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC was expected")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime, dict: JSON}


def _configure_sqlite(engine: Engine) -> None:
    """WAL, a busy timeout, foreign keys, and BEGIN IMMEDIATE for requests that may write."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=20000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        # Case-insensitive search beyond ASCII, which SQLite's own lower() does not do.
        dbapi_connection.create_function(
            "casefold", 1, lambda text: text.casefold() if text else text, deterministic=True
        )

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        read_only = has_request_context() and request.method in {"GET", "HEAD", "OPTIONS"}
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """Create an engine for `url`, configured for safe concurrent use."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 20, "check_same_thread": False})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def _app_context_id() -> int:
    return id(app_ctx._get_current_object())


class AppBoundSession(Session):
    """A session that talks to the engine of the application in the current context."""

    def get_bind(self, mapper=None, clause=None, **kwargs):
        return current_app.extensions["closeloop_engine"]


class Database:
    """Owns one engine per application and a session scoped to the application context."""

    def __init__(self) -> None:
        self.session: scoped_session[Session] = scoped_session(
            sessionmaker(class_=AppBoundSession, expire_on_commit=False),
            scopefunc=_app_context_id,
        )

    @property
    def engine(self) -> Engine:
        """The current application's engine."""
        return current_app.extensions["closeloop_engine"]

    def init_app(self, app: Flask) -> None:
        app.extensions["closeloop_engine"] = make_engine(app.config["DATABASE_URL"])

        @app.teardown_appcontext
        def remove_session(_exc):
            self.session.remove()
