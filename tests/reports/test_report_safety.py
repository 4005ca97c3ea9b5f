"""WeasyPrint fetches only the portal's static files; what people typed stays text."""

from __future__ import annotations

import http.server
import io
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.system_packages import require

require("pdf", module_level=True)  # the fetcher imports WeasyPrint, which needs Pango

from portal.reports.fetcher import RefusedURL, StaticOnlyFetcher  # noqa: E402
from tests.reports.conftest import pdf_text  # noqa: E402

STATIC = Path(__file__).resolve().parents[2] / "static"


@pytest.fixture
def http_server():
    """A local web server that records every request it gets."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/svg+xml")
            self.end_headers()
            self.wfile.write(b'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>')

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def test_fetcher_serves_static_files_and_data_urls():
    fetcher = StaticOnlyFetcher(STATIC)
    response = fetcher.fetch((STATIC / "report.css").as_uri())
    assert b"@page" in response.read()
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        (STATIC / ".." / "pyproject.toml").as_uri().replace("/static/", "/static/../"),
        (STATIC / "missing.css").as_uri(),
        "file://other-host/etc/passwd",
        "http://127.0.0.1:6379/",
        "https://example.com/logo.png",
        "ftp://example.com/file",
        "gopher://127.0.0.1:25/",
    ],
)
def test_fetcher_refuses_everything_else(url):
    fetcher = StaticOnlyFetcher(STATIC)
    with pytest.raises((RefusedURL, ValueError)):
        fetcher.fetch(url)


def test_fetcher_refuses_a_link_out_of_static(tmp_path):
    (tmp_path / "static").mkdir()
    (tmp_path / "secret.txt").write_text("top secret")
    (tmp_path / "static" / "link.txt").symlink_to(tmp_path / "secret.txt")
    fetcher = StaticOnlyFetcher(tmp_path / "static")
    with pytest.raises(RefusedURL):
        fetcher.fetch((tmp_path / "static" / "link.txt").as_uri())
    with pytest.raises(RefusedURL):
        fetcher.fetch((tmp_path / "static" / ".." / "secret.txt").as_uri())


def _images_and_attachments(pdf: bytes) -> tuple[int, int]:
    reader = PdfReader(io.BytesIO(pdf))
    images = sum(len(page.images) for page in reader.pages)
    return images, len(reader.attachments)


def test_html_that_names_local_files_or_the_network_embeds_neither(ctx, http_server):
    from portal.reports.rendering import html_to_pdf

    base, requests = http_server
    html = f"""<html><body><p>Report</p>
    <img src="file:///etc/passwd"><img src="{STATIC.parent}/pyproject.toml">
    <img src="{base}/tracker.svg"><link rel="attachment" href="file:///etc/passwd">
    <link rel="stylesheet" href="{base}/evil.css">
    <p style="background: url({base}/bg.svg)">x</p></body></html>"""
    rendered = html_to_pdf(html)
    assert requests == []
    assert _images_and_attachments(rendered.pdf) == (0, 0)
    assert b"root:" not in rendered.pdf


def test_typed_html_in_answers_comments_and_actions_is_printed_as_text(
    app, client, make_supplier, answer_and_submit, buyer, sign_in_supplier, http_server
):
    from portal.actions.logic import create_action
    from portal.assessments.models import Assessment
    from portal.assessments.review import accept
    from portal.auth.models import User
    from portal.extensions import db
    from portal.findings.logic import record_finding
    from tests.answers_fixture import SAMPLE_ANSWERS

    base, requests = http_server
    typed = f'<img src="file:///etc/passwd"><img src="{base}/a.svg"><b>Ana</b>'
    answers = {**SAMPLE_ANSWERS, 2: {**SAMPLE_ANSWERS[2], "q-hs_responsible": typed}}
    supplier_id, contact_id = make_supplier(name='<script>x</script> Sol & "Co"')
    assessment_id = answer_and_submit(supplier_id, contact_id, answers)
    with app.test_request_context():
        by = db.session.get(User, buyer)
        assessment = db.session.get(Assessment, assessment_id)
        accept(
            assessment, by=by, comment=f'<link rel="attachment" href="file:///etc/passwd">{typed}'
        )
        finding = record_finding(
            assessment,
            by=by,
            title=f'<img src="{base}/title.svg">Who is responsible',
            severity="medium",
            description=typed,
            question_key="hs_responsible",
        )
        create_action(
            finding,
            by=by,
            title='<iframe src="file:///etc/passwd"></iframe>Name a person',
            what_must_change=typed,
            due_date=assessment.due_date,
        )
        db.session.commit()
    sign_in_supplier(contact_id)
    response = client.get(f"/s/assessments/{assessment_id}/report.pdf")
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert requests == []
    assert _images_and_attachments(response.data) == (0, 0)
    assert '<script>x</script> Sol & "Co"' in text
    assert '<img src="file:///etc/passwd">' in text
    assert f'<img src="{base}/title.svg">Who is responsible' in text
    assert '<iframe src="file:///etc/passwd"></iframe>Name a person' in text
    assert "root:" not in text
