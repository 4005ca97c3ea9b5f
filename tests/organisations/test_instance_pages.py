"""The instance admin's pages: every organisation counted, a new one with its first admin
(mailed the invitation), a new name; bad input changes nothing; nobody else gets in."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.auth.logic import create_user
from portal.auth.models import Role, User
from portal.extensions import db
from portal.organisations.models import Organisation
from portal.organisations.scoping import scope_to
from portal.suppliers.logic import create_supplier
from tests.auth.test_roles import stored
from tests.conftest_smtp import body
from tests.organisations.conftest import PASSWORD

NEW = {
    "name": "  Acme Sourcing ",
    "admin_name": "Ann Admin",
    "admin_email": "Ann@Acme.example",
    "locale": "fr",
}
PASSWORD_LINK = re.compile(r"http://localhost(/password/[A-Za-z0-9_\-]+)")


@pytest.fixture
def instance_admin(client, make_instance_admin, sign_in_buyer) -> int:
    """An instance admin, signed in on `client`."""
    user_id = make_instance_admin()
    sign_in_buyer(user_id)
    return user_id


def _organisation(app, name: str) -> Organisation | None:
    with app.app_context():
        return db.session.scalar(select(Organisation).where(Organisation.name == name))


def _entries(app, object_type: str, object_id: int) -> list[tuple[str, dict, int | None, int]]:
    with app.app_context():
        return [
            (e.action, e.detail, e.actor_id, e.organisation_id)
            for e in db.session.scalars(
                select(AuditEntry)
                .where(AuditEntry.object_type == object_type, AuditEntry.object_id == object_id)
                .order_by(AuditEntry.id)
            )
        ]


def _error_next_to(page: str, field: str) -> str:
    block = re.search(rf'<div class="field has-error">\s*<label for="{field}".*?</div>', page, re.S)
    assert block, f"no error shown next to {field}"
    return html.unescape(block.group(0))


def test_the_instance_admin_signs_in_with_a_password_and_lands_on_the_organisations(
    app, client, make_instance_admin
):
    user_id = make_instance_admin()
    with app.app_context():
        email = db.session.get(User, user_id).email

    response = client.post("/sign-in", data={"email": email, "password": "correct horse battery"})

    assert response.headers["Location"] == "/"
    page = client.get("/", follow_redirects=True)
    assert page.request.path == "/i/"
    assert "<h1>Organisations</h1>" in page.text
    assert 'href="/b/' not in page.text  # no buyer menu, no notification settings


def test_the_list_counts_each_organisation_s_active_buyers_and_admins_and_its_suppliers(
    app, client, instance_admin, make_organisation
):
    first, _admin = make_organisation("Zeta Foods")
    second, _other_admin = make_organisation("alpha Textiles")
    with app.app_context():
        create_user("bo@zeta.example", Role.BUYER, organisation_id=first)
        gone = create_user("gone@zeta.example", Role.BUYER, organisation_id=first)
        gone.active = False
        scope_to(db.session, first)
        for name in ("Mill", "Farm"):
            create_supplier(
                name=name,
                country="VN",
                category="Textiles",
                contact_email=f"{name.lower()}@supplier.example",
                by=None,
            )
        scope_to(db.session, None)
        db.session.commit()

    page = client.get("/i/").text

    rows = re.findall(r'<tr id="organisation-(\d+)">(.*?)</tr>', page, re.S)
    assert [int(id_) for id_, _row in rows] == [second, first]  # by name, in any case
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for _id, row in rows]
    assert [re.sub(r"<[^>]+>", "", cell[0]) for cell in cells] == ["alpha Textiles", "Zeta Foods"]
    # Zeta: its admin and Bo (Gone is deactivated; supplier contacts are not buyers).
    assert [(cell[1], cell[2]) for cell in cells] == [("1", "0"), ("2", "2")]
    assert all(re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}, \d{4}", cell[3]) for cell in cells)


def test_an_instance_admin_creates_an_organisation_whose_admin_is_mailed_and_signs_in(
    app, client, instance_admin, make_organisation, smtp_server
):
    make_organisation("Existing company")  # a portal that already has one

    response = client.post("/i/organisations", data=NEW)

    assert response.status_code == 302
    organisation = _organisation(app, "Acme Sourcing")
    assert response.headers["Location"] == f"/i/organisations/{organisation.id}"
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.email == "ann@acme.example"))
    assert (admin.role, admin.organisation_id, admin.name, admin.locale) == (
        Role.ADMIN,
        organisation.id,
        "Ann Admin",
        "fr",
    )
    assert admin.password_hash is None
    assert _entries(app, "organisation", organisation.id) == [
        ("organisation_created", {"name": "Acme Sourcing"}, instance_admin, organisation.id),
    ]
    assert _entries(app, "user", admin.id) == [
        (
            "user_invited",
            {"email": "ann@acme.example", "role": "admin"},
            instance_admin,
            organisation.id,
        ),
        ("password_link_sent", {"purpose": "invite"}, instance_admin, organisation.id),
    ]
    [mail] = smtp_server.to("ann@acme.example")
    assert mail["Subject"] == "Vous êtes invité sur Closeloop"
    text = body(mail)
    assert "Ira Instance vous a créé un compte Closeloop (ann@acme.example)." in text

    page = html.unescape(client.get(response.headers["Location"]).text)
    assert (
        "Acme Sourcing is created; its admin ann@acme.example is mailed a link to set a password."
        in page
    )
    assert "Organisation created: Acme Sourcing" in page
    assert "Invited, no password yet" in page

    # The new admin sets a password from the mail and lands in its own, empty organisation.
    browser = app.test_client()
    link = PASSWORD_LINK.search(text).group(1)
    set_page = browser.get(link)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]*)"', set_page.text)
    form = {"password": PASSWORD, "confirm": PASSWORD}
    if token:
        form["csrf_token"] = token.group(1)
    assert browser.post(link, data=form).status_code == 302
    signed_in = browser.post("/sign-in", data={"email": "ann@acme.example", "password": PASSWORD})
    assert signed_in.status_code == 302
    dashboard = browser.get("/", follow_redirects=True)
    assert dashboard.request.path.startswith("/b/")
    assert '<span class="organisation" title="Votre organisation"><bdi>Acme Sourcing</bdi>' in (
        dashboard.text
    )
    accounts = browser.get("/b/users/").text
    assert "ann@acme.example" in accounts
    assert "admin1@buyer1.example" not in accounts


BAD = [
    ({"name": ""}, "name", "This field is required."),
    ({"name": "   "}, "name", "This field is required."),
    ({"name": "n" * 201}, "name", "Field cannot be longer than 200 characters."),
    ({"name": "Taken Ltd"}, "name", "An organisation is already named Taken Ltd."),
    ({"name": "TAKEN LTD"}, "name", "An organisation is already named TAKEN LTD."),
    ({"admin_email": ""}, "admin_email", "This field is required."),
    ({"admin_email": "not an address"}, "admin_email", "Invalid email address."),
    ({"admin_email": "admin@taken.example"}, "admin_email", "Someone already uses this"),
    ({"admin_email": "ADMIN@taken.example"}, "admin_email", "Someone already uses this"),
    ({"admin_email": "contact@supplier.example"}, "admin_email", "Someone already uses this"),
    ({"admin_name": "n" * 201}, "admin_name", "Field cannot be longer than 200 characters."),
    ({"locale": "de"}, "locale", "Not a valid choice."),
]


@pytest.fixture
def taken(app, make_organisation):
    """An organisation named Taken Ltd, its admin, and a supplier contact elsewhere."""
    organisation_id, admin_id = make_organisation("Taken Ltd")
    with app.app_context():
        db.session.get(User, admin_id).email = "admin@taken.example"
        scope_to(db.session, organisation_id)
        create_supplier(
            name="Mill",
            country="VN",
            category="Textiles",
            contact_email="contact@supplier.example",
            by=None,
        )
        scope_to(db.session, None)
        db.session.commit()
    return organisation_id


@pytest.mark.parametrize(("change", "field", "message"), BAD)
def test_a_bad_new_organisation_is_refused_and_nothing_is_stored_or_mailed(
    app, client, instance_admin, taken, mailbox, change, field, message
):
    before = stored(app)

    response = client.post("/i/organisations", data={**NEW, **change})

    assert response.status_code == 422
    assert message in _error_next_to(response.text, field)
    assert stored(app) == before
    assert mailbox == []


def test_a_refusal_is_shown_in_the_instance_admin_s_language(
    app, client, instance_admin, taken, mailbox
):
    client.get("/lang/fr")

    response = client.post("/i/organisations", data={**NEW, "name": "Taken Ltd"})

    assert response.status_code == 422
    assert "Une organisation s’appelle déjà Taken Ltd." in _error_next_to(response.text, "name")


def test_the_instance_admin_s_own_address_cannot_be_an_organisation_s_admin(
    app, client, instance_admin, mailbox
):
    with app.app_context():
        own = db.session.get(User, instance_admin).email
    before = stored(app)

    response = client.post("/i/organisations", data={**NEW, "admin_email": own})

    assert response.status_code == 422
    assert "Someone already uses this" in _error_next_to(response.text, "admin_email")
    assert stored(app) == before


def test_renaming_an_organisation_is_audited_and_shown_to_its_buyers(
    app, client, instance_admin, make_organisation, sign_in_buyer
):
    organisation_id, admin_id = make_organisation("Old Name")
    make_organisation("Another company")

    response = client.post(
        f"/i/organisations/{organisation_id}/rename", data={"name": " New Name "}
    )

    assert response.status_code == 302
    assert _organisation(app, "New Name").id == organisation_id
    assert _entries(app, "organisation", organisation_id)[-1] == (
        "organisation_renamed",
        {"old": "Old Name", "new": "New Name"},
        instance_admin,
        organisation_id,
    )
    page = html.unescape(client.get(response.headers["Location"]).text)
    assert "Renamed to New Name." in page
    assert "Organisation renamed: Old Name → New Name" in page
    buyer = app.test_client()
    with app.app_context():
        email = db.session.get(User, admin_id).email
    buyer.post("/sign-in", data={"email": email, "password": PASSWORD})
    assert "<bdi>New Name</bdi>" in buyer.get("/b/dashboard/").text


def test_only_the_case_of_a_name_may_change(app, client, instance_admin, make_organisation):
    organisation_id, _admin = make_organisation("acme")

    client.post(f"/i/organisations/{organisation_id}/rename", data={"name": "Acme"})

    assert _organisation(app, "Acme").id == organisation_id


def test_the_same_name_again_records_nothing(app, client, instance_admin, make_organisation):
    organisation_id, _admin = make_organisation("Same")
    before = stored(app)

    response = client.post(f"/i/organisations/{organisation_id}/rename", data={"name": "Same"})

    assert response.status_code == 302
    assert stored(app) == before


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "This field is required."),
        ("Taken Ltd", "An organisation is already named Taken Ltd."),
        ("n" * 201, "Field cannot be longer than 200 characters."),
    ],
)
def test_a_bad_new_name_is_refused_and_changes_nothing(
    app, client, instance_admin, make_organisation, taken, name, message
):
    organisation_id, _admin = make_organisation("Mine")
    before = stored(app)

    response = client.post(f"/i/organisations/{organisation_id}/rename", data={"name": name})

    assert response.status_code == 422
    assert message in _error_next_to(response.text, "name")
    assert stored(app) == before


def test_an_organisation_s_admin_can_be_mailed_a_new_invitation(
    app, client, instance_admin, smtp_server
):
    client.post("/i/organisations", data=NEW)
    organisation = _organisation(app, "Acme Sourcing")
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.email == "ann@acme.example"))
    first = PASSWORD_LINK.search(body(smtp_server.to("ann@acme.example")[0])).group(1)

    response = client.post(f"/i/organisations/{organisation.id}/admins/{admin.id}/password-link")

    assert response.status_code == 302
    assert len(smtp_server.to("ann@acme.example")) == 2
    assert app.test_client().get(first).status_code == 410  # the earlier link stopped working
    page = html.unescape(client.get(response.headers["Location"]).text)
    assert "ann@acme.example is mailed a link to set a password; earlier links no longer" in page


def test_a_new_link_is_only_for_an_admin_of_that_organisation(
    app, client, instance_admin, make_organisation, mailbox
):
    first, first_admin = make_organisation()
    second, _second_admin = make_organisation()
    with app.app_context():
        buyer = create_user("bo@first.example", Role.BUYER, organisation_id=first).id
        db.session.commit()
    before = stored(app)

    for organisation_id, user_id in [(second, first_admin), (first, buyer), (first, 10_000)]:
        url = f"/i/organisations/{organisation_id}/admins/{user_id}/password-link"
        assert client.post(url).status_code == 404, url

    assert stored(app) == before
    assert mailbox == []


def test_an_unknown_organisation_is_not_found(client, instance_admin):
    assert client.get("/i/organisations/10000").status_code == 404
    assert client.post("/i/organisations/10000/rename", data={"name": "X"}).status_code == 404


def test_with_one_organisation_the_buyer_header_shows_nothing_about_organisations(
    app, client, make_buyer, sign_in_buyer, make_instance_admin
):
    make_instance_admin()  # an instance admin belongs to no organisation
    sign_in_buyer(make_buyer())

    page = client.get("/b/dashboard/").text

    assert 'class="organisation"' not in page
    assert "Default organisation" not in page


def test_with_several_the_buyer_header_names_the_buyer_s_own(app, make_organisation):
    mine, my_admin = make_organisation("Mine & Co")
    make_organisation("Theirs")
    browser = app.test_client()
    with app.app_context():
        email = db.session.get(User, my_admin).email
    browser.post("/sign-in", data={"email": email, "password": PASSWORD})

    for url in ("/b/dashboard/", "/b/suppliers/", "/b/users/"):
        page = browser.get(url).text
        header = page.split("</header>", 1)[0]
        assert '<span class="organisation" title="Your organisation">' in header, url
        assert "<bdi>Mine &amp; Co</bdi>" in header, url
        assert "Theirs" not in page, url
