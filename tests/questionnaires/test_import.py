"""Buyers publish questionnaire definition files through /b/questionnaires/."""

from __future__ import annotations

import html
import io
import re

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.questionnaires.models import QuestionnaireVersion
from tests.conftest import SAMPLE

SAMPLE_TEXT = SAMPLE.read_text("utf-8")
SHOW_IF_MINORS = 'show_if: {question: employs_minors, equals: "yes"}'
FR_TOTAL_WORKERS = (
    '          fr: "Combien de personnes travaillent pour vous aujourd\'hui\u00a0?"\n'
)


@pytest.fixture
def buyer(make_buyer, sign_in_buyer) -> int:
    buyer_id = make_buyer()
    sign_in_buyer(buyer_id)
    return buyer_id


def _upload(client, content: bytes, filename: str = "questionnaire.yaml"):
    return client.post(
        "/b/questionnaires/",
        data={"definition": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def _versions(app) -> list[tuple[str, int]]:
    with app.app_context():
        return [
            (v.key, v.version)
            for v in db.session.scalars(
                select(QuestionnaireVersion).order_by(QuestionnaireVersion.id)
            )
        ]


def _problems(page: str) -> list[str]:
    block = re.search(r"nothing was published:</p>\s*<ul>(.*?)</ul>", page, re.S)
    assert block, "no list of problems on the page"
    return [html.unescape(p) for p in re.findall(r"<li>(.*?)</li>", block.group(1), re.S)]


def _version_2() -> str:
    return SAMPLE_TEXT.replace("\nversion: 1\n", "\nversion: 2\n", 1)


def test_uploading_the_sample_publishes_it(app, client, buyer):
    response = _upload(client, SAMPLE.read_bytes())

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/b/questionnaires/")
    assert _versions(app) == [("supplier-self-assessment", 1)]
    with app.app_context():
        version = db.session.scalar(select(QuestionnaireVersion))
        assert version.title == "Supplier self-assessment"
        assert version.published_by_id == buyer
        assert version.source == SAMPLE_TEXT
        assert db.session.scalar(
            select(AuditEntry).where(
                AuditEntry.action == "questionnaire_published", AuditEntry.object_id == version.id
            )
        )
    page = client.get(response.headers["Location"]).text
    assert "Published Supplier self-assessment, version 1." in page


def test_uploading_the_same_key_and_version_again_is_refused(app, client, buyer):
    _upload(client, SAMPLE.read_bytes())

    response = _upload(client, SAMPLE.read_bytes(), "copy-of-the-same.yaml")

    assert response.status_code == 422
    (problem,) = _problems(response.text)
    assert "supplier-self-assessment version 1 is already published" in problem
    assert "higher version" in problem
    assert _versions(app) == [("supplier-self-assessment", 1)]


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        (
            SAMPLE_TEXT.replace(
                SHOW_IF_MINORS, 'show_if: {question: written_rules, equals: "yes"}', 1
            ),
            [
                'section "workers" › question "workers_under_18" › show_if: refers to '
                '"written_rules", which is not an earlier question'
            ],
        ),
        (
            SAMPLE_TEXT.replace(FR_TOTAL_WORKERS, "", 1),
            ['section "workers" › question "total_workers" › label: missing text for "fr"'],
        ),
        (
            SAMPLE_TEXT.replace(
                SHOW_IF_MINORS, 'show_if: {question: written_rules, equals: "yes"}', 1
            ).replace(FR_TOTAL_WORKERS, "", 1),
            [
                'section "workers" › question "total_workers" › label: missing text for "fr"',
                'section "workers" › question "workers_under_18" › show_if',
            ],
        ),
    ],
    ids=["show-if-to-a-later-question", "missing-french-label", "both-at-once"],
)
def test_malformed_file_is_refused_naming_the_section_and_question(
    app, client, buyer, broken, expected
):
    assert broken != SAMPLE_TEXT

    response = _upload(client, broken.encode())

    assert response.status_code == 422
    assert "The file was refused and nothing was published:" in response.text
    problems = _problems(response.text)
    assert len(problems) == len(expected)
    for problem, start in zip(problems, expected, strict=True):
        assert problem.startswith(start), problem
    assert _versions(app) == []
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\xff\xfe",
        "key: caf\u00e9\n".encode("latin-1"),
    ],
    ids=["binary", "latin-1"],
)
def test_file_that_is_not_utf8_text_is_refused(app, client, buyer, content):
    response = _upload(client, content, "picture.png")

    assert response.status_code == 422
    (problem,) = _problems(response.text)
    assert "UTF-8" in problem
    assert _versions(app) == []


def test_uploading_without_a_file_is_refused(app, client, buyer):
    response = client.post("/b/questionnaires/", data={}, content_type="multipart/form-data")

    assert response.status_code == 422
    assert "This field is required." in response.text
    assert _versions(app) == []


def test_published_versions_are_listed_with_their_versions(app, client, buyer):
    _upload(client, SAMPLE.read_bytes())
    _upload(client, _version_2().encode())

    page = client.get("/b/questionnaires/").text

    rows = re.findall(r"<tr><td><a href=\"/b/questionnaires/(\d+)\">(.*?)</a></td>.*?</tr>", page)
    assert [title for _id, title in rows] == ["Supplier self-assessment"] * 2
    assert re.search(r"<code>supplier-self-assessment</code></td><td>2</td>", page)
    assert re.search(r"<code>supplier-self-assessment</code></td><td>1</td>", page)
    assert _versions(app) == [("supplier-self-assessment", 1), ("supplier-self-assessment", 2)]


def test_empty_list_says_nothing_is_published(client, buyer):
    assert "Nothing published yet." in client.get("/b/questionnaires/").text


def test_version_page_shows_sections_questions_and_options(app, client, buyer, questionnaire):
    response = client.get(f"/b/questionnaires/{questionnaire}")

    assert response.status_code == 200
    page = html.unescape(response.text)
    assert "Supplier self-assessment (v1)" in page
    assert "1. Workers and wages" in page
    assert "How many people work for you today?" in page
    assert "Do your workers have a written contract?" in page
    assert "Yes, all of them" in page
    assert "How many workers are under 18?" in page
    assert "only if “Do you employ anyone under 18?” is Yes" in page
    assert client.get("/b/questionnaires/99999").status_code == 404


def test_supplier_cannot_open_the_questionnaire_pages(app, make_supplier, sign_in_supplier, client):
    _supplier, contact = make_supplier()
    sign_in_supplier(contact)

    assert client.get("/b/questionnaires/").status_code == 403
    assert _upload(client, SAMPLE.read_bytes()).status_code == 403
    assert _versions(app) == []
