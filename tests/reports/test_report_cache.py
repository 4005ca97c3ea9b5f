"""A report is rendered once per change of what it shows, and served from the cache
otherwise; with a job queue, rendering happens in a worker, not in the request."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.reports.models import RenderedReport
from tests.conftest import work_queue
from tests.reports.conftest import close_action, pdf_text


@pytest.fixture
def renders(monkeypatch):
    """Count the WeasyPrint renderings."""
    from portal.reports import cache

    calls: list[int] = []
    real = cache.html_to_pdf

    def counted(html):
        calls.append(1)
        return real(html)

    monkeypatch.setattr(cache, "html_to_pdf", counted)
    return calls


def _stored(app) -> list[RenderedReport]:
    with app.app_context():
        rows = list(db.session.scalars(select(RenderedReport).order_by(RenderedReport.id)))
        db.session.expunge_all()
        return rows


def test_an_unchanged_report_is_served_from_the_cache(
    app, client, reviewed, sign_in_supplier, renders
):
    ids = reviewed("en")
    sign_in_supplier(ids["contact"])
    url = f"/s/assessments/{ids['assessment']}/report.pdf"
    first = client.get(url)
    second = client.get(url)
    assert len(renders) == 1
    assert first.data == second.data
    assert first.headers["ETag"] == second.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    [stored] = _stored(app)
    assert (stored.kind, stored.subject_id, stored.locale, stored.paper) == (
        "feedback",
        ids["assessment"],
        "en",
        "a4",
    )
    assert stored.pages >= 2
    client.get(url + "?paper=letter")  # another paper is another report
    assert len(renders) == 2
    assert len(_stored(app)) == 2


def test_a_change_to_what_it_shows_renders_it_again(
    app, client, reviewed, sign_in_supplier, renders
):
    ids = reviewed("en")
    sign_in_supplier(ids["contact"])
    url = f"/s/assessments/{ids['assessment']}/report.pdf"
    before = client.get(url)
    close_action(app, ids["actions"][1])
    after = client.get(url)
    assert len(renders) == 2
    assert after.headers["ETag"] != before.headers["ETag"]
    assert "closed" in pdf_text(after.data)
    [stored] = _stored(app)  # the outdated rendering is gone
    assert stored.content_key == after.headers["ETag"].strip('"')
    client.get(url)
    assert len(renders) == 2


def test_a_new_peer_changes_the_comparison_and_so_the_report(
    app, client, reviewed, peers, sign_in_supplier, renders
):
    peers(4)
    ids = reviewed("en")
    sign_in_supplier(ids["contact"])
    url = f"/s/assessments/{ids['assessment']}/report.pdf"
    assert "How you compare" not in pdf_text(client.get(url).data)
    client.post("/sign-out")
    peers(1)
    sign_in_supplier(ids["contact"])
    assert "How you compare" in pdf_text(client.get(url).data)
    assert len(renders) == 2


def test_with_a_job_queue_the_worker_renders_and_the_request_does_not(
    app, client, reviewed, sign_in_supplier, renders, redis_queue
):
    ids = reviewed("en")
    sign_in_supplier(ids["contact"])
    url = f"/s/assessments/{ids['assessment']}/report.pdf"
    waiting = client.get(url)
    assert waiting.status_code == 202
    assert "Your report is being prepared" in waiting.text
    assert '<meta http-equiv="refresh" content="3">' in waiting.text
    assert client.get(url).status_code == 202
    assert renders == []  # nothing rendered in the requests
    renderings = [j for j in redis_queue.jobs if not j.func_name.endswith("deliver_outbox")]
    assert len(renderings) == 1  # asked twice, queued once (the submission queued its mail)
    work_queue(app, redis_queue)
    assert len(renders) == 1
    ready = client.get(url)
    assert ready.status_code == 200
    assert ready.mimetype == "application/pdf"
    assert len(renders) == 1


def test_accepting_queues_the_report_in_each_contact_language(
    app, client, make_supplier, answer_and_submit, sign_in_buyer, buyer, redis_queue, renders
):
    supplier_id, contact_id = make_supplier(locale="es")
    assessment_id = answer_and_submit(supplier_id, contact_id)
    sign_in_buyer(buyer)
    assert client.post(f"/b/assessments/{assessment_id}/accept").status_code == 302
    work_queue(app, redis_queue)
    [stored] = _stored(app)
    assert (stored.subject_id, stored.locale) == (assessment_id, "es")
    with app.app_context():
        assert db.session.scalar(select(func.count(RenderedReport.id))) == 1
    assert client.get(f"/b/assessments/{assessment_id}/report.pdf").status_code == 200
    assert len(renders) == 1  # the buyer got the rendering the worker made


def test_without_a_worker_the_report_is_rendered_after_a_minute(
    app, client, reviewed, sign_in_supplier, renders, redis_queue
):
    from portal.reports.documents import LOCK_SECONDS, _lock_name

    ids = reviewed("en")
    sign_in_supplier(ids["contact"])
    url = f"/s/assessments/{ids['assessment']}/report.pdf"
    assert client.get(url).status_code == 202
    lock = _lock_name("feedback", ids["assessment"], "en", "a4")
    redis_queue.connection.expire(lock, LOCK_SECONDS - 61)  # queued 61 seconds ago
    late = client.get(url)
    assert late.status_code == 200
    assert late.mimetype == "application/pdf"
    assert len(renders) == 1


def test_two_requests_rendering_the_same_report_at_once_both_get_it(
    app, reviewed, issue_link, monkeypatch
):
    import threading

    from portal.reports import cache

    ids = reviewed("en")
    url = f"/s/assessments/{ids['assessment']}/report.pdf"
    clients = [app.test_client(), app.test_client()]
    for client in clients:
        assert client.post(f"/link/{issue_link(ids['contact'])}").status_code == 302
    both_rendering = threading.Barrier(2, timeout=30)
    real = cache.html_to_pdf

    def render_together(html):
        both_rendering.wait()  # both requests missed the cache: neither has stored yet
        return real(html)

    monkeypatch.setattr(cache, "html_to_pdf", render_together)
    answers = [None, None]

    def download(n: int) -> None:
        response = clients[n].get(url)
        answers[n] = (response.status_code, response.headers.get("ETag"), response.mimetype)

    threads = [threading.Thread(target=download, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert answers[0] == answers[1]
    assert answers[0][0] == 200
    assert answers[0][2] == "application/pdf"
    [stored] = _stored(app)
    assert stored.content_key == answers[0][1].strip('"')
