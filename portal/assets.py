"""The few bytes of CSS and JS, under names that carry a hash of their content.

`asset_url("supplier.css")` gives `/assets/supplier.1a2b3c4d5e.css`: a browser may keep
that file for a year without asking again, because a changed file gets a new name. An
old name (a page cached before a deploy) is sent on to the current file. A browser that
takes gzip gets the file compressed once per version (a third of the bytes on a slow
phone line).
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from pathlib import Path

from flask import Flask, Response, abort, current_app, redirect, request, send_from_directory

ONE_YEAR = 365 * 24 * 3600
_HASH_LENGTH = 10
_fingerprints: dict[tuple[str, float], str] = {}
_compressed: dict[tuple[str, str], bytes] = {}


def _folder() -> Path:
    return Path(current_app.static_folder)


def _fingerprint(filename: str) -> str:
    path = _folder() / filename
    key = (str(path), path.stat().st_mtime)
    if key not in _fingerprints:
        _fingerprints[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:_HASH_LENGTH]
    return _fingerprints[key]


def hashed_name(filename: str) -> str:
    """`supplier.css` → `supplier.1a2b3c4d5e.css`."""
    stem, dot, extension = filename.rpartition(".")
    return f"{stem}.{_fingerprint(filename)}{dot}{extension}"


def asset_url(filename: str) -> str:
    return f"/assets/{hashed_name(filename)}"


def static_file(filename: str, *, max_age: int, mimetype: str | None = None) -> Response:
    """A file of the static folder, gzipped when the browser takes it, revalidated by ETag."""
    if not request.accept_encodings["gzip"]:
        response = send_from_directory(_folder(), filename, max_age=max_age, mimetype=mimetype)
        response.vary.add("Accept-Encoding")
        return response
    fingerprint = _fingerprint(filename)
    key = (filename, fingerprint)
    if key not in _compressed:
        _compressed[key] = gzip.compress((_folder() / filename).read_bytes(), mtime=0)
    response = Response(_compressed[key], mimetype=mimetype or mimetypes.guess_type(filename)[0])
    response.content_encoding = "gzip"
    response.vary.add("Accept-Encoding")
    response.cache_control.max_age = max_age
    response.set_etag(f"{fingerprint}-gzip")
    return response.make_conditional(request)


def _serve(name: str):
    stem, _, extension = name.rpartition(".")
    base, _, fingerprint = stem.rpartition(".")
    filename = f"{base}.{extension}"
    if not base or "/" in name or not (_folder() / filename).is_file():
        abort(404)
    if fingerprint != _fingerprint(filename):
        return redirect(asset_url(filename))
    response = static_file(filename, max_age=ONE_YEAR)
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


def init_app(app: Flask) -> None:
    app.add_url_rule("/assets/<name>", "asset", _serve)
    app.jinja_env.globals["asset_url"] = asset_url
