"""One way to mail a supplier's contacts: each active one, in its language, with its own link."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import func, select

from portal.auth.logic import create_user
from portal.auth.models import Role, SignInLink, User
from portal.extensions import db
from portal.notifications.contacts import mail_supplier_contacts
from portal.notifications.logic import deliver_pending
from portal.suppliers.models import Supplier
from tests.conftest_smtp import body


def _more_contacts(supplier_id: int) -> tuple[str, str]:
    """Add a Spanish-reading contact and an inactive one; return their addresses."""
    spanish = create_user(
        "ines@supplier.example", Role.SUPPLIER, supplier_id=supplier_id, locale="es"
    )
    gone = create_user("gone@supplier.example", Role.SUPPLIER, supplier_id=supplier_id)
    gone.active = False
    return spanish.email, gone.email


def test_each_active_contact_gets_its_own_link_in_its_language(app, make_supplier, smtp_server):
    supplier_id, contact_id = make_supplier(locale="fr")
    with app.test_request_context():
        spanish, gone = _more_contacts(supplier_id)
        supplier = db.session.get(Supplier, supplier_id)
        french = db.session.get(User, contact_id).email
        sent = mail_supplier_contacts(
            supplier, "sign_in_link", landing="/s/actions", context={"extra": "unused"}
        )
        db.session.commit()
        assert sent == 2
        assert deliver_pending() == (2, 0)
        assert db.session.scalar(select(func.count(SignInLink.id))) == 2

    assert smtp_server.to(gone) == []
    [fr] = smtp_server.to(french)
    [es] = smtp_server.to(spanish)
    assert fr["Subject"] == "Votre lien de connexion Closeloop"
    assert es["Subject"] == "Su enlace de acceso a Closeloop"
    links = [re.search(r"http://localhost/link/\S+", body(m)).group(0) for m in (fr, es)]
    assert links[0] != links[1]  # one link per contact: each signs in its own contact
    for link in links:
        assert parse_qs(urlsplit(link).query)["next"] == ["/s/actions"]


def test_a_supplier_without_active_contacts_gets_no_mail(app, make_supplier, mailbox):
    supplier_id, contact_id = make_supplier()
    with app.test_request_context():
        db.session.get(User, contact_id).active = False
        assert mail_supplier_contacts(db.session.get(Supplier, supplier_id), "sign_in_link") == 0
        db.session.commit()
        deliver_pending()
    assert mailbox == []


def test_in_development_the_whole_mail_with_its_link_is_printed(
    app, make_supplier, monkeypatch, capsys
):
    monkeypatch.setitem(app.config, "MAIL_CONSOLE", True)
    supplier_id, contact_id = make_supplier()
    with app.test_request_context():
        mail_supplier_contacts(db.session.get(Supplier, supplier_id), "sign_in_link")
        email = db.session.get(User, contact_id).email
        db.session.commit()
        assert deliver_pending() == (1, 0)
    printed = capsys.readouterr().out
    assert f"Mail to {email}" in printed
    assert "Subject: Your Closeloop sign-in link" in printed
    token = re.search(r"http://localhost/link/([A-Za-z0-9_\-]{20,})", printed)
    assert token, printed  # the link can be copied from the console and followed
    client = app.test_client()
    assert client.post(f"/link/{token.group(1)}").status_code == 302
