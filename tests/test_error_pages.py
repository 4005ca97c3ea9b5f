"""Every error is a friendly page, in the reader's language and layout, never a stack trace."""

from __future__ import annotations

import gettext
import html

import pytest
from sqlalchemy import func, select

from portal import PROJECT_ROOT
from portal.extensions import db
from portal.questionnaires.models import QuestionnaireVersion

FR_CATALOG = PROJECT_ROOT / "translations" / "fr" / "LC_MESSAGES" / "messages.mo"
SECRET = "db password is hunter2"


def french(message: str) -> str:
    """What a French reader sees for `message`: the catalog's text once it exists."""
    if not FR_CATALOG.exists():
        return message
    with FR_CATALOG.open("rb") as mo:
        return gettext.GNUTranslations(mo).gettext(message)


def shows(response, message: str) -> bool:
    """Whether the reader sees `message` (translations are trusted markup, so may be unescaped)."""
    return message in html.unescape(response.text)


@pytest.fixture
def buyer(make_buyer, sign_in_buyer):
    sign_in_buyer(make_buyer())


@pytest.fixture
def broken_view(app, monkeypatch):
    """Make the sign-in page fail with an unexpected exception."""

    def boom():
        raise RuntimeError(SECRET)

    monkeypatch.setitem(app.view_functions, "auth.sign_in", boom)


def too_large_upload(client, headers):
    """Upload a 3 MB definition file (the limit is 2 MB), as a browser would send it."""
    # Built by hand: the test client spools big multipart bodies to a temporary file
    # that it never closes, which pytest reports as a ResourceWarning.
    body = (
        b"--limit\r\n"
        b'Content-Disposition: form-data; name="definition"; filename="huge.yaml"\r\n'
        b"Content-Type: application/yaml\r\n\r\n" + b"#" * (3 * 1024 * 1024) + b"\r\n--limit--\r\n"
    )
    return client.post(
        "/b/questionnaires/",
        data=body,
        content_type="multipart/form-data; boundary=limit",
        headers=headers,
    )


def bad_form_token(app, client, headers, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    return client.post(
        "/sign-in",
        data={"email": "a@example.com", "password": "x", "csrf_token": "forged"},
        headers=headers,
    )


AGAIN = "Please go back, reload the page and try again."

# name: (how to provoke it, status, title, explanation the reader sees)
ERRORS = {
    "404": (
        lambda c, h: c.get("/b/no-such-page", headers=h),
        404,
        "Page not found",
        "This page does not exist, or it is not yours to see.",
    ),
    "405": (
        lambda c, h: c.get("/sign-out", headers=h),
        405,
        "Something was wrong with that request",
        AGAIN,
    ),
    "410": (
        lambda c, h: c.get("/link/" + "A" * 43, headers=h),
        410,
        "This link no longer works",
        "Your answers are safe. Enter your email address and we will send you a new link.",
    ),
    "500": (
        lambda c, h: c.get("/sign-in", headers=h),
        500,
        "Something went wrong on our side",
        "Nothing you did caused this. Please try again in a few minutes.",
    ),
    "413": (
        too_large_upload,
        413,
        "That file is too large",
        "Please choose a smaller file and try again.",
    ),
    "400": (None, 400, "Something was wrong with that request", AGAIN),
}


@pytest.fixture(params=list(ERRORS))
def error(request, app, client, monkeypatch):
    """Provoke one kind of error; return a function that makes the request."""
    name = request.param
    provoke, status, title, text = ERRORS[name]
    if name == "500":
        request.getfixturevalue("broken_view")
    if name == "413":
        request.getfixturevalue("buyer")
    if name == "400":

        def provoke(c, h):
            return bad_form_token(app, c, h, monkeypatch)

    return lambda headers=None: provoke(client, headers or {}), status, title, text


def test_error_pages_are_friendly(error):
    provoke, status, title, text = error

    response = provoke()

    assert response.status_code == status
    assert shows(response, title)
    assert shows(response, text)
    assert "Traceback" not in response.text


def test_error_pages_are_in_the_readers_language(error):
    provoke, status, title, text = error

    response = provoke({"Accept-Language": "fr"})

    assert response.status_code == status
    assert '<html lang="fr"' in response.text
    assert shows(response, french(title))
    assert shows(response, french(text))


def test_error_pages_carry_the_security_headers(error):
    provoke, _status, _title, _text = error

    response = provoke()

    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_forbidden_page_carries_the_security_headers(client, make_buyer, sign_in_buyer):
    sign_in_buyer(make_buyer())

    response = client.get("/s/")

    assert response.status_code == 403
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_not_found_on_supplier_side_uses_the_supplier_layout(client):
    response = client.get("/s/no-such-page")

    assert response.status_code == 404
    assert "/assets/supplier." in response.text
    assert "/assets/buyer." not in response.text


def test_not_found_on_buyer_side_uses_the_buyer_layout(client, buyer):
    response = client.get("/b/no-such-page")

    assert response.status_code == 404
    assert "/assets/buyer." in response.text
    assert "/assets/supplier." not in response.text


def test_signed_in_supplier_gets_the_supplier_layout_anywhere(
    client, make_supplier, sign_in_supplier
):
    _supplier, contact = make_supplier()
    sign_in_supplier(contact)

    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert "/assets/supplier." in response.text


def test_method_not_allowed_says_which_methods_work(client):
    response = client.get("/sign-out")

    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


def test_unexpected_error_shows_no_details(client, broken_view):
    response = client.get("/sign-in")

    assert response.status_code == 500
    assert SECRET not in response.text
    assert "RuntimeError" not in response.text
    assert "Traceback" not in response.text
    assert 'File "' not in response.text


def test_unexpected_error_view_is_restored_after_the_test(client):
    assert client.get("/sign-in").status_code == 200


def test_too_large_upload_stores_nothing(app, client, buyer):
    response = too_large_upload(client, {})

    assert response.status_code == 413
    with app.app_context():
        assert db.session.scalar(select(func.count(QuestionnaireVersion.id))) == 0


def test_forged_form_token_signs_nobody_in(app, client, make_buyer, monkeypatch):
    make_buyer()

    response = bad_form_token(app, client, {}, monkeypatch)

    assert response.status_code == 400
    assert client.get("/b/").headers["Location"].startswith("/sign-in")
