"""The few bytes of CSS and JS, under names that carry a hash of their content.

`asset_url("supplier.css")` gives `/assets/supplier.1a2b3c4d5e.css`: a browser may keep
that file for a year without asking again, because a changed file gets a new name. An
old name (a page cached before a deploy) is sent on to the current file.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, abort, current_app, redirect, send_from_directory

ONE_YEAR = 365 * 24 * 3600
_HASH_LENGTH = 10
_fingerprints: dict[tuple[str, float], str] = {}


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


def _serve(name: str):
    stem, _, extension = name.rpartition(".")
    base, _, fingerprint = stem.rpartition(".")
    filename = f"{base}.{extension}"
    if not base or "/" in name or not (_folder() / filename).is_file():
        abort(404)
    if fingerprint != _fingerprint(filename):
        return redirect(asset_url(filename))
    response = send_from_directory(_folder(), filename, max_age=ONE_YEAR)
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


def init_app(app: Flask) -> None:
    app.add_url_rule("/assets/<name>", "asset", _serve)
    app.jinja_env.globals["asset_url"] = asset_url
