"""Demo data for a first look at the portal on a laptop."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import click
from flask import current_app
from sqlalchemy import func, select

from portal import PROJECT_ROOT
from portal.assessments.logic import assign
from portal.assessments.models import AssessmentStatus
from portal.auth.logic import create_user, find_user, issue_sign_in_link
from portal.auth.models import Role, User
from portal.demo_reviews import REVIEWED_EMAIL, review_demo
from portal.extensions import db
from portal.organisations.logic import (
    create_organisation,
    organisation_count,
    organisation_named,
)
from portal.organisations.scoping import scope_to
from portal.questionnaires.logic import import_questionnaire
from portal.questionnaires.models import QuestionnaireVersion
from portal.suppliers.logic import create_supplier

DEMO_ORGANISATION = "Demo Retail"
DEMO_BUYER = "buyer@demo.closeloop.example"
DEMO_ADMIN = "admin@demo.closeloop.example"
DEMO_PASSWORD = "demo-buyer-password"  # noqa: S105 - printed on purpose: demo data only
DEMO_SUPPLIERS = [
    ("Taller Textil Sol", "MX", "Textiles", "Lucía Ramírez", "lucia@demo.closeloop.example", "es"),
    (
        "Atelier Cuir Atlas",
        "MA",
        "Leather goods",
        "Karim Benali",
        "karim@demo.closeloop.example",
        "fr",
    ),
    (
        "Green Valley Farm",
        "KE",
        "Fresh produce",
        "Grace Wanjiru",
        "grace@demo.closeloop.example",
        "en",
    ),
    # Suppliers whose assessments are already accepted: peers for the reports' comparison.
    (
        "Saigon Stitch Garments",
        "VN",
        "Textiles",
        "Linh Nguyen",
        "linh@demo.closeloop.example",
        "en",
    ),
    (
        "Cooperativa Andina del Cacao",
        "PE",
        "Cocoa",
        "Rosa Quispe",
        "rosa@demo.closeloop.example",
        "es",
    ),
    (
        "Coopérative Karité Faso",
        "BF",
        "Shea butter",
        "Aminata Ouédraogo",
        "aminata@demo.closeloop.example",
        "fr",
    ),
    ("Bengal Jute Works", "BD", "Packaging", "Rahim Hossain", "rahim@demo.closeloop.example", "en"),
    ("Muebles Río Verde", "GT", "Furniture", "José Morales", "jose@demo.closeloop.example", "es"),
    (
        "Menuiserie Cap Bon",
        "TN",
        "Wooden homeware",
        "Salma Trabelsi",
        "salma@demo.closeloop.example",
        "fr",
    ),
]
SAMPLE = PROJECT_ROOT / "questionnaires" / "supplier-self-assessment.yaml"
# A second buying organisation with a supplier in common: the same leather workshop, under
# the name this customer gave it, with the same contact, who signs in once for both.
SECOND_ORGANISATION = "Nordic Home"
SECOND_BUYER = "buyer@nordic.closeloop.example"
SECOND_SUPPLIER = ("ATELIER CUIR ATLAS SARL", "MA", "Leather goods", "K. Benali")


def seed(*, if_empty: bool, link_url: Callable[[str], str]) -> None:
    """Create the demo data (once) and print how to sign in as buyer and as supplier."""
    has_users = db.session.scalar(select(func.count(User.id))) > 0
    if not (if_empty and has_users) and find_user(DEMO_BUYER) is None:
        try:
            _create()
            db.session.commit()
        finally:
            scope_to(db.session, None)
    buyer = find_user(DEMO_BUYER)
    contact = find_user(DEMO_SUPPLIERS[0][4])
    if buyer is None or contact is None:
        click.echo("The database already has users; no demo data was added.")
        return
    token = issue_sign_in_link(contact, by=None, days=current_app.config["SIGN_IN_LINK_DAYS"])
    db.session.commit()
    click.echo("")
    click.echo("  Demo buyer:    " + DEMO_BUYER + "  password: " + DEMO_PASSWORD)
    if find_user(DEMO_ADMIN) is not None:
        click.echo(
            "  Demo admin:    "
            + DEMO_ADMIN
            + "  password: "
            + DEMO_PASSWORD
            + "  (also edits risk ratings)"
        )
    if find_user(SECOND_BUYER) is not None:
        click.echo(
            f"  Second buyer:  {SECOND_BUYER}  password: {DEMO_PASSWORD}  ({SECOND_ORGANISATION},"
            " another customer of the leather workshop)"
        )
    click.echo("                 sign in at " + current_app.config["BASE_URL"] + "/sign-in")
    click.echo(f"  Demo supplier: {contact.supplier.name} ({contact.email}), open this link:")
    click.echo("                 " + link_url(token))
    _echo_reviewed(link_url)
    click.echo("")


def _echo_reviewed(link_url: Callable[[str], str]) -> None:
    """Print a sign-in link for the supplier whose assessment was reviewed, if there is one."""
    contact = find_user(REVIEWED_EMAIL)
    accepted = contact is not None and any(
        a.status == AssessmentStatus.ACCEPTED for a in contact.supplier.assessments
    )
    if not accepted:
        return  # a demo seeded before reviews existed
    token = issue_sign_in_link(contact, by=None, days=current_app.config["SIGN_IN_LINK_DAYS"])
    db.session.commit()
    click.echo(f"  Demo supplier: {contact.supplier.name} ({contact.email}), whose assessment")
    click.echo("                 was reviewed: findings, actions and its feedback report (PDF),")
    if len(contact.suppliers) > 1:
        click.echo(f"                 and {SECOND_ORGANISATION}'s request, which can start from")
        click.echo("                 the answers it sent the first customer; open this link:")
    else:
        click.echo("                 open this link:")
    click.echo("                 " + link_url(token))


def _create() -> None:
    if organisation_count() == 0:
        organisation = create_organisation(DEMO_ORGANISATION)
    else:
        organisation = organisation_named(None)  # the one migrated from before organisations
    scope_to(db.session, organisation.id)
    buyer = create_user(DEMO_BUYER, Role.BUYER, name="Demo Buyer", password=DEMO_PASSWORD)
    create_user(DEMO_ADMIN, Role.ADMIN, name="Demo Admin", password=DEMO_PASSWORD)
    # Shared by every organisation of the portal, as an association's common questionnaire.
    version = db.session.scalar(
        select(QuestionnaireVersion).where(QuestionnaireVersion.key == "supplier-self-assessment")
    ) or import_questionnaire(SAMPLE.read_bytes(), by=None)
    due = date.today() + timedelta(days=30)
    assessments = {}
    for name, country, category, contact_name, email, locale in DEMO_SUPPLIERS:
        supplier = create_supplier(
            name=name,
            country=country,
            category=category,
            contact_email=email,
            contact_name=contact_name,
            contact_locale=locale,
            by=buyer,
        )
        assessments[email] = assign(supplier, version, due, by=buyer)
    with current_app.test_request_context():  # answering and reviewing speak through gettext
        review_demo(assessments, buyer)
    _create_second_customer(version, due)


def _create_second_customer(version: QuestionnaireVersion, due: date) -> None:
    second = create_organisation(SECOND_ORGANISATION)
    scope_to(db.session, second.id)
    buyer = create_user(SECOND_BUYER, Role.BUYER, name="Nora Buyer", password=DEMO_PASSWORD)
    name, country, category, contact_name = SECOND_SUPPLIER
    supplier = create_supplier(
        name=name,
        country=country,
        category=category,
        contact_email=REVIEWED_EMAIL,
        contact_name=contact_name,
        by=buyer,
    )
    assign(supplier, version, due + timedelta(days=15), by=buyer)
