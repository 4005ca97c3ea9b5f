"""Declarative base, common column types, and the database extension (Flask-SQLAlchemy)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, has_request_context, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, DateTime, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, registry
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
    # The registry carries the naming convention and the type map, so that Flask-SQLAlchemy's
    # `db.Model`, built from this class, shares them.
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime, dict: JSON},
    )


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


def engine_options(url: str) -> dict:
    """Engine settings for `url`, safe for concurrent use."""
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 20, "check_same_thread": False}}
    return {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 5}


class Database(SQLAlchemy):
    """Flask-SQLAlchemy, configured from DATABASE_URL: one engine per application, a session
    scoped to the application context (`db.session`, `db.engine`)."""

    def __init__(self) -> None:
        super().__init__(
            model_class=Base,
            session_options={"expire_on_commit": False},
            disable_autonaming=True,
        )

    def init_app(self, app: Flask) -> None:
        url = app.config["DATABASE_URL"]
        app.config["SQLALCHEMY_DATABASE_URI"] = url
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(url))
        super().init_app(app)
        if url.startswith("sqlite"):
            with app.app_context():
                _configure_sqlite(self.engine)
