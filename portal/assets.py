"""The few bytes of CSS and JS, under names that carry a hash of their content.

`asset_url("supplier.css")` gives `/assets/supplier.1a2b3c4d5e.css`: a browser may keep
that file for a year without asking again, because a changed file gets a new name. An
old name (a page cached before a deploy) is sent on to the current file. CSS and JS go
gzipped to browsers that accept it (compressed once per process: a third of the bytes on a
slow link); they hold no secret, so compressing them gives nothing away (unlike pages).
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from pathlib import Path

from flask import Flask, abort, current_app, redirect, request, send_from_directory

ONE_YEAR = 365 * 24 * 3600
_HASH_LENGTH = 10
_COMPRESSED_TYPES = frozenset({"css", "js", "svg"})
_fingerprints: dict[tuple[str, float], str] = {}
_gzipped: dict[tuple[str, float], bytes] = {}


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


def _gzipped_bytes(filename: str) -> bytes:
    path = _folder() / filename
    key = (str(path), path.stat().st_mtime)
    if key not in _gzipped:
        _gzipped[key] = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
    return _gzipped[key]


def _gzipped_response(filename: str, name: str):
    response = current_app.response_class(
        _gzipped_bytes(filename), mimetype=mimetypes.guess_type(filename)[0]
    )
    response.content_encoding = "gzip"
    response.set_etag(f"{name}.gz")
    return response.make_conditional(request)


def asset_url(filename: str) -> str:
    return f"/assets/{hashed_name(filename)}"


def _serve(name: str):
    stem, _, extension = name.rpartition(".")
    base, _, fingerprint = stem.rpartition(".")
    filename = f"{base}.{extension}"
    if not base or "/" in name or not (_folder() / filename).is_file():
        abort(404)
    if fingerprint != _fingerprint(filename):
        return redirect(asset_url(filename))
    if extension in _COMPRESSED_TYPES and request.accept_encodings["gzip"] > 0:
        response = _gzipped_response(filename, name)
        response.cache_control.max_age = ONE_YEAR
    else:
        response = send_from_directory(_folder(), filename, max_age=ONE_YEAR)
    response.vary.add("Accept-Encoding")
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


def init_app(app: Flask) -> None:
    app.add_url_rule("/assets/<name>", "asset", _serve)
    app.jinja_env.globals["asset_url"] = asset_url
