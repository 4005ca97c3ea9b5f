"""Rendered PDFs kept under the key of what they show; rendered once per change.

The key is the SHA-256 of the report's HTML (rendered with a marker where the report date
goes), its stylesheet and its paper size: when nothing the report shows has changed, the
stored PDF is served; when anything has, the key is new and the report is rendered again.
Older renderings of the same report are removed when a new one is stored.

`keep_rendering` is the one place where a GET request writes to the database.
"""

from __future__ import annotations

import hashlib
from datetime import date
from functools import cache
from pathlib import Path

from flask import current_app, has_request_context, request
from flask_babel import force_locale, format_date
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from portal.db import utcnow
from portal.extensions import db
from portal.reports.models import RenderedReport
from portal.reports.rendering import STYLESHEET, html_to_pdf

DATE_MARK = "\u2060report-date\u2060"  # replaced by the date the PDF is made


@cache
def _file_digest(path: str, mtime: float) -> bytes:
    return hashlib.sha256(Path(path).read_bytes()).digest()


def stylesheet_digest() -> bytes:
    path = Path(current_app.static_folder) / STYLESHEET
    return _file_digest(str(path), path.stat().st_mtime)


def content_key(kind: str, subject_id: int, locale: str, paper: str, html: str) -> str:
    digest = hashlib.sha256(f"{kind}\n{subject_id}\n{locale}\n{paper}\n".encode())
    digest.update(stylesheet_digest())
    digest.update(html.encode())
    return digest.hexdigest()


def cached(key: str) -> RenderedReport | None:
    return db.session.scalar(select(RenderedReport).where(RenderedReport.content_key == key))


def render_and_store(
    kind: str, subject_id: int, locale: str, paper: str, html: str, *, today: date | None = None
) -> RenderedReport:
    """Render `html` (dated `today`) and keep it under its content key."""
    key = content_key(kind, subject_id, locale, paper, html)
    with force_locale(locale):
        dated = html.replace(DATE_MARK, format_date(today or date.today(), "long"))
    rendered = html_to_pdf(dated)
    return keep_rendering(
        {
            "content_key": key,
            "kind": kind,
            "subject_id": subject_id,
            "locale": locale,
            "paper": paper,
            "pdf": rendered.pdf,
            "pages": rendered.pages,
            "render_ms": rendered.render_ms,
            "created_at": utcnow(),
        }
    )


def keep_rendering(values: dict) -> RenderedReport:
    """Store a rendering and drop the older renderings of the same report; returns the
    stored rendering. Another request storing the same key first wins, without an error.

    This is the one write a GET request makes (docs/reports.md, "What a GET writes"): a
    report opened from a mail is rendered by the request that first asks for it, and kept
    so that the next request serves it. In a GET the request's own session stays
    read-only and the rendering is stored in a short transaction of its own, committed at
    once: its first statement is the INSERT, so on SQLite it waits for the write lock
    (busy timeout) instead of failing on the request's stale read snapshot. Elsewhere (a
    rendering job) it is stored in the caller's transaction.
    """
    if has_request_context() and request.method in {"GET", "HEAD"}:
        with db.engine.begin() as connection:
            return _store(connection, values)
    return _store(db.session.connection(), values)


def _store(connection: Connection, values: dict) -> RenderedReport:
    table = RenderedReport.__table__
    insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    connection.execute(
        insert(table).values(**values).on_conflict_do_nothing(index_elements=["content_key"])
    )
    connection.execute(
        delete(table).where(
            table.c.kind == values["kind"],
            table.c.subject_id == values["subject_id"],
            table.c.locale == values["locale"],
            table.c.paper == values["paper"],
            table.c.content_key != values["content_key"],
        )
    )
    stored = connection.execute(select(table).where(table.c.content_key == values["content_key"]))
    return RenderedReport(**stored.one()._asdict())
