"""Rendered PDFs kept under the key of what they show; rendered once per change.

The key is the SHA-256 of the report's HTML (rendered with a marker where the report date
goes), its stylesheet and its paper size: when nothing the report shows has changed, the
stored PDF is served; when anything has, the key is new and the report is rendered again.
Older renderings of the same report are removed when a new one is stored.
"""

from __future__ import annotations

import hashlib
from datetime import date
from functools import cache
from pathlib import Path

from flask import current_app
from flask_babel import force_locale, format_date
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

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
    """Render `html` (dated `today`), store it under its content key and drop the older
    renderings of the same report. Another process storing the same key first wins."""
    key = content_key(kind, subject_id, locale, paper, html)
    with force_locale(locale):
        dated = html.replace(DATE_MARK, format_date(today or date.today(), "long"))
    rendered = html_to_pdf(dated)
    row = RenderedReport(
        content_key=key,
        kind=kind,
        subject_id=subject_id,
        locale=locale,
        paper=paper,
        pdf=rendered.pdf,
        pages=rendered.pages,
        render_ms=rendered.render_ms,
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return cached(key) or row
    db.session.execute(
        delete(RenderedReport).where(
            RenderedReport.kind == kind,
            RenderedReport.subject_id == subject_id,
            RenderedReport.locale == locale,
            RenderedReport.paper == paper,
            RenderedReport.content_key != key,
        )
    )
    return row
