"""An admin signed in, and the password links it mails."""

from __future__ import annotations

import re

import pytest

from portal.auth.models import Role, User
from portal.extensions import db

PASSWORD_LINK = re.compile(r"http://localhost(/password/[A-Za-z0-9_\-]+)")


@pytest.fixture
def admin(make_buyer, sign_in_buyer) -> int:
    """An admin, signed in on `client`."""
    admin_id = make_buyer(role=Role.ADMIN)
    sign_in_buyer(admin_id)
    return admin_id


@pytest.fixture
def link_in_mail(mailbox):
    """The path of the password link in the last mail to `recipient`."""

    def find(recipient: str) -> str:
        bodies = [body for to, _subject, body in mailbox if to == recipient]
        assert bodies, f"no mail to {recipient}"
        return PASSWORD_LINK.search(bodies[-1]).group(1)

    return find


def user(app, user_id: int) -> User:
    with app.app_context():
        return db.session.get(User, user_id)
