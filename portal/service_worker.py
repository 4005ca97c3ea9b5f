"""The service worker that lets a supplier reopen a section page with no network.

Served from a stable URL inside the supplier's part of the site (`/s/sw.js`, so its scope
is `/s/` without any extra header) and never cached by the HTTP cache, so that a changed
worker reaches phones at their next visit. What it does is in `static/sw.js`.
"""

from __future__ import annotations

from flask import Flask

from portal.assets import static_file

URL = "/s/sw.js"


def _serve():
    response = static_file("sw.js", max_age=0, mimetype="text/javascript")
    response.cache_control.no_cache = True
    return response


def init_app(app: Flask) -> None:
    app.add_url_rule(URL, "service_worker", _serve)
