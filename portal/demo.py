"""Demo data for a first look at the portal on a laptop."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import click
from flask import current_app
from sqlalchemy import func, select

from portal import PROJECT_ROOT
from portal.assessments.logic import assign
from portal.auth.logic import create_user, find_user, issue_sign_in_link
from portal.auth.models import Role, User
from portal.extensions import db
from portal.questionnaires.logic import import_questionnaire
from portal.questionnaires.models import QuestionnaireVersion
from portal.suppliers.logic import create_supplier

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
]
SAMPLE = PROJECT_ROOT / "questionnaires" / "supplier-self-assessment.yaml"


def seed(*, if_empty: bool, link_url: Callable[[str], str]) -> None:
    """Create the demo data (once) and print how to sign in as buyer and as supplier."""
    has_users = db.session.scalar(select(func.count(User.id))) > 0
    if not (if_empty and has_users) and find_user(DEMO_BUYER) is None:
        _create()
        db.session.commit()
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
    click.echo("                 sign in at " + current_app.config["BASE_URL"] + "/sign-in")
    click.echo(f"  Demo supplier: {contact.supplier.name} ({contact.email}), open this link:")
    click.echo("                 " + link_url(token))
    click.echo("")


def _create() -> None:
    buyer = create_user(DEMO_BUYER, Role.BUYER, name="Demo Buyer", password=DEMO_PASSWORD)
    create_user(DEMO_ADMIN, Role.ADMIN, name="Demo Admin", password=DEMO_PASSWORD)
    version = db.session.scalar(
        select(QuestionnaireVersion).where(QuestionnaireVersion.key == "supplier-self-assessment")
    ) or import_questionnaire(SAMPLE.read_bytes(), by=buyer)
    due = date.today() + timedelta(days=30)
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
        assign(supplier, version, due, by=buyer)
