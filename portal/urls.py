"""Addresses of portal pages for mail and printed links, inside a request or outside one."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for


def portal_path(endpoint: str, **values: object) -> str:
    """The path of an endpoint, also outside a request (a CLI command, a job)."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context():
        return url_for(endpoint, **values)


def absolute_url(endpoint: str, **values: object) -> str:
    """BASE_URL followed by the endpoint's path: the address people open from a mail."""
    return current_app.config["BASE_URL"] + portal_path(endpoint, **values)
