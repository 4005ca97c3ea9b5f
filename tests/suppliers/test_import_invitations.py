"""Importing suppliers can invite each new contact by mail, in its language."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from portal.notifications.models import OutboxMail
from tests.conftest_smtp import body

CSV = (
    "name,country,category,contact_email,contact_name,language\r\n"
    "Taller Textil Luna,MX,Textiles,rosa@luna.example,Rosa Pérez,es\r\n"
    "Atelier Dupont,fr,Leather goods,Marc@Dupont.example,,FR\r\n"
)


def _upload(client, invite: bool, data: str = CSV):
    form = {"file": (io.BytesIO(data.encode()), "suppliers.csv")}
    if invite:
        form["invite"] = "y"
    return client.post(
        "/b/suppliers/import/", data=form, content_type="multipart/form-data", follow_redirects=True
    )


def test_the_invitation_box_is_ticked_by_default(client, make_buyer, sign_in_buyer):
    sign_in_buyer(make_buyer())
    page = client.get("/b/suppliers/import/").text
    assert re.search(r'<input checked id="invite" name="invite" type="checkbox"', page)


def test_importing_with_the_box_ticked_invites_each_contact_in_its_language(
    app, client, make_buyer, sign_in_buyer, smtp_server
):
    sign_in_buyer(make_buyer())

    response = _upload(client, invite=True)

    assert "2 suppliers imported. 2 invitation mails queued." in response.text
    [rosa] = smtp_server.to("rosa@luna.example")
    [marc] = smtp_server.to("marc@dupont.example")
    assert rosa["Subject"] == "Su cliente le invita a Closeloop"
    assert marc["Subject"] == "Votre client vous invite sur Closeloop"
    assert "Taller Textil Luna" in body(rosa)
    link = re.search(r"http://localhost(/link/[^\s?]+)", body(marc)).group(1)
    assert app.test_client().post(link).headers["Location"].endswith("/s/")


def test_importing_with_the_box_unticked_sends_nothing(
    app, client, make_buyer, sign_in_buyer, smtp_server
):
    sign_in_buyer(make_buyer())

    response = _upload(client, invite=False)

    assert "2 suppliers imported." in response.text
    assert "invitation" not in response.text
    assert smtp_server.messages == []
    with app.app_context():
        from portal.extensions import db

        assert db.session.scalar(select(func.count(OutboxMail.id))) == 0


def test_a_refused_file_invites_nobody(app, client, make_buyer, sign_in_buyer, smtp_server):
    sign_in_buyer(make_buyer())

    response = _upload(client, invite=True, data=CSV + "Bad,XX,,\r\n")

    assert response.status_code == 422
    assert smtp_server.messages == []
