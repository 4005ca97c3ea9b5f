"""Every page forbids inline code and third-party origins; CSS and JS are cached for a year."""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from portal.assets import hashed_name


class _InlineCode(HTMLParser):
    """Inline scripts, <style> elements, style="" and on…="" attributes of a page."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names:
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        self.found += [f"{tag} {name}=" for name in names if name == "style" or name[:2] == "on"]
        for name in ("src", "href", "action"):
            value = names.get(name) or ""
            if re.match(r"(https?:)?//", value) and "127.0.0.1" not in value:
                self.found.append(f"{tag} {name}={value}")


def _inline_code(html: str) -> list[str]:
    parser = _InlineCode()
    parser.feed(html)
    return parser.found


@pytest.fixture
def pages(client, make_supplier, make_assessment, sign_in_supplier, make_buyer):
    supplier_id, contact_id = make_supplier(name="Acme")
    assessment_id = make_assessment(supplier_id)
    sign_in_supplier(contact_id)
    base = f"/s/assessments/{assessment_id}"
    return ["/sign-in", "/s/", base, f"{base}/sections/1", f"{base}/review", "/s/actions"]


def test_supplier_pages_carry_a_strict_policy_and_no_inline_code(client, pages):
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy, policy
        assert "unsafe-inline" not in policy, policy
        assert "http" not in policy, policy  # no third-party origin
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in response.headers  # plain HTTP
        assert _inline_code(response.text) == [], path


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/sign-in").headers
    secure = client.get("/sign-in", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.parametrize("filename", ["supplier.css", "supplier.js", "buyer.css"])
def test_assets_have_hashed_names_and_are_cached_for_a_year(app, client, filename):
    with app.app_context():
        name = hashed_name(filename)
    assert re.fullmatch(
        rf"{filename.split('.')[0]}\.[0-9a-f]{{10}}\.{filename.split('.')[1]}", name
    )

    response = client.get(f"/assets/{name}")

    assert response.status_code == 200
    assert response.data == (Path(app.static_folder) / filename).read_bytes()
    cache = response.headers["Cache-Control"]
    response.close()
    assert "max-age=31536000" in cache
    assert "immutable" in cache
    assert "public" in cache


@pytest.mark.parametrize("filename", ["supplier.css", "supplier.js"])
def test_assets_go_gzipped_to_browsers_that_accept_it(app, client, filename):
    with app.app_context():
        name = hashed_name(filename)
    source = (Path(app.static_folder) / filename).read_bytes()

    zipped = client.get(f"/assets/{name}", headers={"Accept-Encoding": "gzip, deflate, br"})
    plain = client.get(f"/assets/{name}", headers={"Accept-Encoding": "gzip;q=0, br"})

    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == source
    assert len(zipped.data) < len(source) / 2
    assert zipped.headers["Content-Type"] == plain.headers["Content-Type"]
    assert "immutable" in zipped.headers["Cache-Control"]
    assert "max-age=31536000" in zipped.headers["Cache-Control"]
    assert "Content-Encoding" not in plain.headers
    assert plain.data == source
    for response in (zipped, plain):
        assert "Accept-Encoding" in response.headers["Vary"]
        response.close()
    again = client.get(
        f"/assets/{name}",
        headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]},
    )
    assert again.status_code == 304


def test_an_old_asset_name_leads_to_the_current_file_and_junk_is_not_found(app, client):
    with app.app_context():
        current = hashed_name("supplier.css")

    old = client.get("/assets/supplier.0000000000.css")
    assert old.status_code == 302
    assert old.headers["Location"].endswith(f"/assets/{current}")
    assert "immutable" not in old.headers.get("Cache-Control", "")
    for junk in (
        "nothing.0000000000.css",
        "supplier.css",
        "..",
        "...css",
        "%2e%2e%2fpyproject.toml",
    ):
        assert client.get(f"/assets/{junk}").status_code in (302, 404), junk
    assert client.get("/assets/..%2F..%2Fpyproject.toml").status_code == 404


def test_pages_link_the_hashed_assets(client, pages):
    section = client.get(pages[3]).text
    assert re.search(r'href="/assets/supplier\.[0-9a-f]{10}\.css"', section)
    assert re.search(r'src="/assets/supplier\.[0-9a-f]{10}\.js"', section)


@pytest.mark.parametrize("filename", ["supplier.css", "supplier.js"])
def test_a_browser_that_takes_gzip_gets_the_asset_compressed(app, client, filename):
    import gzip

    with app.app_context():
        name = hashed_name(filename)

    response = client.get(f"/assets/{name}", headers={"Accept-Encoding": "gzip, deflate, br"})
    again = client.get(
        f"/assets/{name}",
        headers={"Accept-Encoding": "gzip", "If-None-Match": response.headers["ETag"]},
    )

    original = (Path(app.static_folder) / filename).read_bytes()
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert gzip.decompress(response.data) == original
    assert len(response.data) < len(original) / 2
    assert "immutable" in response.headers["Cache-Control"]
    assert (
        response.mimetype == {"css": "text/css", "js": "text/javascript"}[filename[-3:].strip(".")]
    )
    assert again.status_code == 304


@pytest.mark.parametrize("filename", ["supplier.css", "supplier.js", "sw.js"])
def test_assets_neither_vary_on_nor_set_the_session_cookie(app, client, pages, filename):
    from portal.auth.renewal import RENEWED

    with app.app_context():
        path = "/s/sw.js" if filename == "sw.js" else f"/assets/{hashed_name(filename)}"
    with client.session_transaction() as session:
        session[RENEWED] = 0  # the session is due for its daily renewal

    response = client.get(path, headers={"Accept-Encoding": "gzip"})

    assert response.status_code == 200
    assert "Cookie" not in response.headers.get("Vary", "")
    assert "Set-Cookie" not in response.headers
    response.close()
    page = client.get("/s/")  # a page still renews the session, and varies on it
    assert "session=" in page.headers["Set-Cookie"]
    assert "Cookie" in page.headers["Vary"]
