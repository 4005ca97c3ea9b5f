"""A supplier company is one per portal, whichever organisations work with it, and no
organisation learns from the portal that another one works with it."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from portal.auth.models import User
from portal.extensions import db
from portal.suppliers.models import Company, Supplier
from tests.organisations.conftest import PASSWORD


def _sign_in(client, app, user_id):
    with app.app_context():
        email = db.session.get(User, user_id).email
    client.post("/sign-out")
    assert client.post("/sign-in", data={"email": email, "password": PASSWORD}).status_code == 302


def _new_supplier(client, name, country, email):
    return client.post(
        "/b/suppliers/new",
        data={
            "name": name,
            "country": country,
            "category": "Leather goods",
            "contact_name": "Karim",
            "contact_email": email,
            "contact_locale": "fr",
        },
        follow_redirects=True,
    )


def _companies(app):
    with app.app_context():
        rows = db.session.execute(
            select(Supplier.organisation_id, Supplier.name, Supplier.company_id)
            .order_by(Supplier.id)
            .execution_options(all_organisations=True)
        )
        return [tuple(row) for row in rows]


def test_two_organisations_naming_one_company_share_it(app, client, make_organisation):
    first, first_admin = make_organisation()
    second, second_admin = make_organisation()
    _sign_in(client, app, first_admin)
    _new_supplier(client, "Atelier Cuir Atlas SARL", "MA", "karim@atlas.example")
    _sign_in(client, app, second_admin)
    _new_supplier(client, "ATELIER CUIR-ATLAS", "MA", "orders@atlas.example")
    _new_supplier(client, "Atelier Cuir Atlas", "TN", "tunis@atlas.example")

    [(o1, n1, c1), (o2, n2, c2), (o3, _n3, c3)] = _companies(app)
    assert (o1, o2, o3) == (first, second, second)
    assert c1 == c2 != c3  # one company in Morocco, another in Tunisia
    assert (n1, n2) == ("Atelier Cuir Atlas SARL", "ATELIER CUIR-ATLAS")  # each its own name


def test_the_answer_does_not_tell_that_another_organisation_knows_the_company(
    app, client, make_organisation
):
    _first, first_admin = make_organisation()
    _second, second_admin = make_organisation()
    _sign_in(client, app, first_admin)
    _new_supplier(client, "Known Tannery", "MA", "known@tannery.example")
    _sign_in(client, app, second_admin)
    known = _new_supplier(client, "Known Tannery", "MA", "buyer2@tannery.example")
    unknown = _new_supplier(client, "Unknown Tannery", "MA", "new@tannery.example")

    def page(response, name, email):
        text = response.get_data(as_text=True).replace(name, "NAME").replace(email, "EMAIL")
        return re.sub(r"\d+", "N", text)  # ids and times

    assert known.status_code == unknown.status_code == 200
    assert page(known, "Known Tannery", "buyer2@tannery.example") == page(
        unknown, "Unknown Tannery", "new@tannery.example"
    )


def test_a_registration_number_decides_over_the_name(ctx):
    from portal.suppliers.matching import company_for

    first = company_for("Sol Textiles", "MX", "RFC-111")
    db.session.flush()
    assert company_for("Textiles del Sol", "MX", "RFC-111") is first
    other = company_for("Sol Textiles", "MX", "RFC-222")
    db.session.flush()
    assert other is not first
    assert company_for("SOL TEXTILES S.A. de C.V.", "MX") is first
    assert db.session.scalar(select(func.count(Company.id))) == 2


def test_a_name_match_takes_the_number_it_was_missing(ctx):
    from portal.suppliers.matching import company_for

    named = company_for("Green Valley Farm", "KE")
    db.session.flush()
    assert company_for("Green Valley Farm Ltd", "KE", "KE-42") is named
    assert named.registration_number == "KE-42"


def test_an_import_finds_known_companies_and_shares_one_between_its_rows(app, make_organisation):
    from portal.organisations.scoping import scope_to
    from portal.suppliers.importing import import_suppliers
    from portal.suppliers.logic import create_supplier

    first, _first_admin = make_organisation()
    second, _second_admin = make_organisation()
    with app.app_context():
        scope_to(db.session, first)
        known = create_supplier(
            name="Known Tannery",
            country="MA",
            category="Leather",
            contact_email="known@tannery.example",
            by=None,
        ).company_id
        scope_to(db.session, second)
        data = (
            b"name,country,category,contact_email\n"
            b"KNOWN TANNERY SARL,MA,Leather,buyer2@tannery.example\n"
            b"New Hides,MA,Leather,hides@new.example\n"
            b"New Hides Ltd,MA,Leather,orders@new.example\n"
        )
        import_suppliers(data, by=None)
        scope_to(db.session, None)
        db.session.commit()
    companies = {name: company for _o, name, company in _companies(app)}
    assert companies["KNOWN TANNERY SARL"] == known
    assert companies["New Hides"] == companies["New Hides Ltd"] != known
