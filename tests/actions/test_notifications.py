"""Who is told what about a corrective action: the supplier when it is reopened or verified,
the buyer who opened it when the supplier asks for verification."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from portal.actions.models import ActionStatus
from portal.auth.models import User
from portal.extensions import db
from portal.notifications.models import DigestItem, OutboxMail
from tests.actions.conftest import load
from tests.conftest_smtp import body

S = ActionStatus
REASON = "La porte 2 est toujours fermée à clé."


def _email(app, user_id: int) -> str:
    with app.app_context():
        return db.session.get(User, user_id).email


def _outbox(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(OutboxMail.id)))


def test_reopening_mails_the_supplier_the_reason_which_tops_its_action_page(
    app, client, make_finding, make_action, buyer, sign_in_buyer, smtp_server
):
    finding_id, _supplier_id, contact_id = make_finding(locale="fr")
    action_id = make_action(finding_id, status=S.READY_FOR_VERIFICATION)
    smtp_server.messages.clear()
    sign_in_buyer(buyer)

    response = client.post(f"/b/actions/{action_id}/reopen", data={"comment": REASON})

    assert response.status_code == 302
    [mail] = smtp_server.to(_email(app, contact_id))
    assert mail["Subject"] == "Votre client a rouvert une action corrective : Unlock the exits"
    text = body(mail)
    assert REASON in text
    link = re.search(r"http://localhost(/link/\S+)", text).group(1)
    assert f"next=/s/actions/{action_id}" in link.replace("%2F", "/")

    phone = app.test_client()
    landed = phone.post(link.split("?")[0], data={"next": f"/s/actions/{action_id}"})
    assert landed.status_code == 302
    page = phone.get(f"/s/actions/{action_id}").text
    assert "Votre client a rouvert cette action" in page
    top = page.split("Ce qui doit changer", 1)[0]  # before the action's own text
    assert REASON.replace("'", "&#39;") in top


def test_the_reason_stays_on_top_while_the_supplier_works_and_goes_once_it_is_ready_again(
    app, make_finding, make_action, sign_in_supplier, client
):
    finding_id, _supplier_id, contact_id = make_finding()
    action_id = make_action(finding_id, status=S.REOPENED)  # reason: "as set up by the test"
    sign_in_supplier(contact_id)

    assert "as set up by the test" in client.get(f"/s/actions/{action_id}").text.split("<h2")[1]
    client.post(f"/s/actions/{action_id}/updates", data={"note": "Lock removed.", "percent": "100"})
    assert load(app, action_id).status == S.IN_PROGRESS
    assert "Your customer reopened this action" in client.get(f"/s/actions/{action_id}").text
    assert client.post(f"/s/actions/{action_id}/ready").status_code == 302
    assert "Your customer reopened this action" not in client.get(f"/s/actions/{action_id}").text


def test_verifying_mails_the_supplier_in_its_language(
    app, client, make_finding, make_action, buyer, sign_in_buyer, smtp_server
):
    finding_id, _supplier_id, contact_id = make_finding(locale="es")
    action_id = make_action(finding_id, status=S.READY_FOR_VERIFICATION)
    smtp_server.messages.clear()
    sign_in_buyer(buyer)

    assert client.post(f"/b/actions/{action_id}/verify", data={"comment": ""}).status_code == 302

    [mail] = smtp_server.to(_email(app, contact_id))
    assert mail["Subject"].startswith("Su cliente")
    assert "Unlock the exits" in mail["Subject"]


def test_a_supplier_cannot_reopen_and_a_refused_reopening_mails_nobody(
    app, client, make_finding, make_action, buyer, sign_in_buyer, sign_in_supplier
):
    finding_id, _supplier_id, contact_id = make_finding()
    action_id = make_action(finding_id, status=S.READY_FOR_VERIFICATION)
    before = _outbox(app)

    sign_in_supplier(contact_id)
    assert client.post(f"/b/actions/{action_id}/reopen", data={"comment": "x"}).status_code == 403
    client.post("/sign-out")
    sign_in_buyer(buyer)
    assert client.post(f"/b/actions/{action_id}/reopen", data={"comment": ""}).status_code == 422

    assert load(app, action_id).status == S.READY_FOR_VERIFICATION
    assert _outbox(app) == before


def test_ready_for_verification_mails_the_buyer_who_opened_the_action(
    app, client, make_finding, make_action, buyer, make_buyer, sign_in_supplier, smtp_server
):
    other_buyer = make_buyer()
    finding_id, _supplier_id, contact_id = make_finding()
    action_id = make_action(finding_id, status=S.IN_PROGRESS)  # opened by `buyer`
    smtp_server.messages.clear()
    sign_in_supplier(contact_id)
    client.post(f"/s/actions/{action_id}/updates", data={"note": "Done.", "percent": "100"})

    assert client.post(f"/s/actions/{action_id}/ready").status_code == 302

    [mail] = smtp_server.to(_email(app, buyer))
    assert mail["Subject"] == "Ready for verification: Unlock the exits"
    assert f"http://localhost/b/actions/{action_id}" in body(mail)
    assert "http://localhost/b/notifications/" in body(mail)
    assert smtp_server.to(_email(app, other_buyer)) == []


def test_a_buyer_who_chose_the_digest_gets_no_mail_but_a_digest_item(
    app, client, make_finding, make_action, buyer, sign_in_supplier, mailbox
):
    with app.app_context():
        db.session.get(User, buyer).daily_digest = True
        db.session.commit()
    finding_id, _supplier_id, contact_id = make_finding()
    action_id = make_action(finding_id, status=S.IN_PROGRESS)
    mailbox.clear()
    sign_in_supplier(contact_id)
    client.post(f"/s/actions/{action_id}/updates", data={"note": "Done.", "percent": "100"})

    assert client.post(f"/s/actions/{action_id}/ready").status_code == 302

    assert [m for m in mailbox if m[0] == _email(app, buyer)] == []
    with app.app_context():
        [item] = db.session.scalars(
            select(DigestItem).where(DigestItem.kind == "action_ready")
        ).all()
        assert (item.user_id, item.kind, item.subject_id) == (buyer, "action_ready", action_id)
        assert item.sent_at is None


def test_another_supplier_cannot_mark_the_action_ready_and_nobody_is_told(
    app, client, make_finding, make_action, make_supplier, sign_in_supplier
):
    finding_id, *_ = make_finding()
    action_id = make_action(finding_id, status=S.IN_PROGRESS)
    _other, stranger = make_supplier()
    before = _outbox(app)
    sign_in_supplier(stranger)

    assert client.post(f"/s/actions/{action_id}/ready").status_code == 404

    assert load(app, action_id).status == S.IN_PROGRESS
    assert _outbox(app) == before


def test_the_new_action_page_says_which_language_the_supplier_reads(
    client, make_finding, buyer, sign_in_buyer
):
    finding_id, *_ = make_finding(locale="es")
    sign_in_buyer(buyer)

    page = client.get(f"/b/findings/{finding_id}/actions/new").text

    assert "The supplier reads Spanish: write in Spanish." in page
