"""Every route of the application, and a signed-in client for each kind of user."""

from __future__ import annotations

from flask import Flask, url_for
from werkzeug.routing import IntegerConverter, Rule

ROLES = ("anonymous", "supplier", "buyer", "admin", "instance_admin")


def routes(app: Flask, method: str | None = None) -> list[tuple[str, Rule]]:
    """(method, rule) for every rule of the app but static files, HEAD and OPTIONS."""
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static":
            continue
        for verb in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if method is None or verb == method:
                found.append((verb, rule))
    return found


def int_arguments(rule: Rule) -> list[str]:
    """The names of the rule's integer arguments."""
    return [name for name, conv in rule._converters.items() if isinstance(conv, IntegerConverter)]


def build(app: Flask, rule: Rule, values: dict) -> str:
    """The path of `rule` with `values`, built as the app builds its links."""
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def signed_in_client(
    app: Flask,
    role: str,
    *,
    contact_id: int,
    buyer_id: int | None,
    admin_id: int | None,
    instance_admin_id: int | None = None,
):
    """A fresh test client, signed in as `role` (one of ROLES)."""
    from portal.auth.logic import issue_sign_in_link
    from portal.auth.models import User
    from portal.extensions import db

    client = app.test_client()
    if role == "anonymous":
        return client
    if role == "supplier":
        with app.app_context():
            token = issue_sign_in_link(db.session.get(User, contact_id), by=None, days=14)
            db.session.commit()
        assert client.post(f"/link/{token}").status_code == 302
        return client
    user_id = {"buyer": buyer_id, "admin": admin_id, "instance_admin": instance_admin_id}[role]
    with app.app_context():
        email = db.session.get(User, user_id).email
    response = client.post("/sign-in", data={"email": email, "password": "correct horse battery"})
    assert response.status_code == 302, response.text
    return client
