"""The two reports (a supplier's feedback, a buyer's supplier summary): their HTML, how
they are served from the cache, and the background job that renders them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from babel import Locale
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup

from portal.assessments.models import Assessment
from portal.extensions import db
from portal.reports.cache import DATE_MARK, cached, content_key, render_and_store
from portal.reports.feedback import feedback_content
from portal.reports.models import RenderedReport
from portal.reports.rendering import PAPER_SIZES
from portal.suppliers.models import Supplier

FEEDBACK, SUMMARY = "feedback", "summary"
PAPERS = tuple(PAPER_SIZES)
LOCK_SECONDS = 300  # a rendering job that has not finished by then may be started again
JOB_PATIENCE = 60  # seconds a request waits for a queued rendering before doing it itself


def paper_or_default(value: str | None) -> str:
    value = (value or "").lower()
    return value if value in PAPER_SIZES else "a4"


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_counter_css() -> Markup:
    """The CSS `content` of the page number, "Page 2 of 5" in the current language."""
    parts = re.split(r"(%\(page\)s|%\(pages\)s)", _("Page %(page)s of %(pages)s"))
    css = [
        "counter(page)"
        if part == "%(page)s"
        else "counter(pages)"
        if part == "%(pages)s"
        else _css_string(part)
        for part in parts
        if part
    ]
    return Markup(" ".join(css).replace("<", ""))  # noqa: S704 - our catalog, quotes escaped


def _page_context(locale: str, paper: str) -> dict:
    return {
        "locale": locale,
        "direction": "rtl" if Locale.parse(locale).character_order == "right-to-left" else "ltr",
        "paper": PAPER_SIZES[paper],
        "report_date": DATE_MARK,
        "page_counter": page_counter_css(),
    }


def feedback_html(assessment: Assessment, locale: str, paper: str) -> str | None:
    """The feedback report's HTML in `locale`; None while the assessment is not accepted."""
    with force_locale(locale):
        report = feedback_content(assessment, locale)
        if report is None:
            return None
        return render_template(
            "reports/feedback.html", report=report, **_page_context(locale, paper)
        )


def summary_html(supplier: Supplier, locale: str, paper: str) -> str:
    """The buyer's one-page summary of a supplier, in `locale`."""
    from portal.reports.summary import summary_content

    with force_locale(locale):
        return render_template(
            "reports/summary.html",
            summary=summary_content(supplier, locale),
            **_page_context(locale, paper),
        )


@dataclass(frozen=True)
class Kind:
    load: Callable[[int], object | None]
    html: Callable[[object, str, str], str | None]


KINDS = {
    FEEDBACK: Kind(lambda i: db.session.get(Assessment, i), feedback_html),
    SUMMARY: Kind(lambda i: db.session.get(Supplier, i), summary_html),
}


@dataclass(frozen=True)
class Outcome:
    """What a view gets: the stored PDF, or `preparing` while a job renders it, or
    `missing` when there is no such report (not accepted yet)."""

    report: RenderedReport | None = None
    preparing: bool = False

    @property
    def missing(self) -> bool:
        return self.report is None and not self.preparing


def get_report(kind: str, subject, locale: str, paper: str) -> Outcome:
    """The report from the cache; on a miss, rendered now (no job queue) or by a job."""
    html = KINDS[kind].html(subject, locale, paper)
    if html is None:
        return Outcome()
    stored = cached(content_key(kind, subject.id, locale, paper, html))
    if stored is not None:
        return Outcome(stored)
    from portal.jobs import has_queue

    if has_queue() and not _job_overdue(kind, subject.id, locale, paper):
        schedule(kind, subject.id, locale, paper)
        return Outcome(preparing=True)
    return Outcome(render_and_store(kind, subject.id, locale, paper, html))


def _job_overdue(kind: str, subject_id: int, locale: str, paper: str) -> bool:
    """A rendering job was queued more than JOB_PATIENCE seconds ago and has not stored
    the report: no worker is taking jobs, so the request renders it itself."""
    from portal.jobs import redis_connection

    left = redis_connection().ttl(_lock_name(kind, subject_id, locale, paper))
    return left > 0 and LOCK_SECONDS - left > JOB_PATIENCE


def _lock_name(kind: str, subject_id: int, locale: str, paper: str) -> str:
    return f"closeloop:rendering:{kind}:{subject_id}:{locale}:{paper}"


def schedule(kind: str, subject_id: int, locale: str, paper: str, *, after_commit=True) -> bool:
    """Ask the job queue to render a report, unless a job for it is already on its way.

    `after_commit`: enqueue once the current request has committed (when it has just
    changed what the report shows). Returns False when a job was already under way.
    """
    from portal.jobs import enqueue, enqueue_after_commit, redis_connection

    if not redis_connection().set(
        _lock_name(kind, subject_id, locale, paper), 1, nx=True, ex=LOCK_SECONDS
    ):
        return False
    path = "portal.reports.documents.render_report_job"
    if after_commit:
        enqueue_after_commit(path, kind, subject_id, locale, paper)
    else:
        enqueue(path, kind, subject_id, locale, paper)
    return True


def render_report(kind: str, subject_id: int, locale: str, paper: str) -> RenderedReport | None:
    """Render and store a report unless the stored one is current; None when there is
    nothing to render (subject gone, assessment not accepted)."""
    subject = KINDS[kind].load(subject_id)
    if subject is None:
        return None
    html = KINDS[kind].html(subject, locale, paper)
    if html is None:
        return None
    stored = cached(content_key(kind, subject_id, locale, paper, html))
    return stored or render_and_store(kind, subject_id, locale, paper, html)


def render_report_job(kind: str, subject_id: int, locale: str, paper: str) -> int | None:
    """The job: render, commit, release the lock. Returns the stored report's id."""
    from portal.jobs import in_app_context, redis_connection

    def run() -> int | None:
        try:
            report = render_report(kind, subject_id, locale, paper)
            db.session.commit()
            return report.id if report else None
        except Exception:
            db.session.rollback()
            raise
        finally:
            redis_connection().delete(_lock_name(kind, subject_id, locale, paper))

    return in_app_context(run)
