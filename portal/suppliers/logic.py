"""Creating suppliers and their contacts."""

from __future__ import annotations

import re

from babel import Locale
from flask import current_app
from sqlalchemy import func, select

from portal.audit.logic import record
from portal.auth.logic import UserExists, find_user, insert_user
from portal.auth.models import Role, User
from portal.extensions import db
from portal.organisations.logic import acting_organisation_id
from portal.refusals import Refused
from portal.suppliers.matching import KnownCompanies, company_for
from portal.suppliers.models import Supplier, SupplierContact

_ISO_CODE = re.compile(r"^[A-Z]{2}$")


def country_codes() -> list[str]:
    """Every ISO 3166 alpha-2 country code Babel knows."""
    return sorted(code for code in Locale("en").territories if _ISO_CODE.match(code))


def country_name(code: str, locale: Locale | str = "en") -> str:
    """The name of a country in `locale`, or the code itself when unknown."""
    return Locale.parse(locale).territories.get(code, code)


class InvalidCountry(Refused, ValueError):
    """Not an ISO 3166 alpha-2 country code."""


def create_supplier(
    *,
    name: str,
    country: str,
    category: str,
    contact_email: str,
    contact_name: str = "",
    contact_locale: str | None = None,
    by: User | None,
    known: KnownCompanies | None = None,
) -> Supplier:
    """Create a supplier and its first contact; raise InvalidCountry, or UserExists when
    the address is a buyer's or admin's.

    The supplier is the company as this organisation knows it (matching.company_for), and
    its contact the person with this address, who may already answer for other suppliers:
    nothing tells the caller whether another organisation knew either. An import passes
    `known` (matching.known_companies) so that it looks the companies up once."""
    country = country.strip().upper()
    if country not in country_codes():
        raise InvalidCountry(country)
    supplier = Supplier(
        organisation_id=acting_organisation_id(),
        company=company_for(name, country, known=known),
        name=name.strip(),
        country=country,
        category=category.strip(),
    )
    db.session.add(supplier)
    db.session.flush()
    person = find_user(contact_email)
    if person is None:
        person = insert_user(contact_email, Role.SUPPLIER, name=contact_name, locale=contact_locale)
    elif not person.is_supplier:
        raise UserExists(person.email)
    db.session.add(SupplierContact(supplier=supplier, user=person, name=contact_name.strip()))
    db.session.flush()
    record(
        "supplier_created",
        object_type="supplier",
        object_id=supplier.id,
        by=by,
        supplier_id=supplier.id,
        name=supplier.name,
    )
    return supplier


def list_suppliers(search: str = "") -> list[Supplier]:
    """Suppliers by name, optionally only those whose name contains `search`."""
    query = select(Supplier).order_by(func.lower(Supplier.name), Supplier.id)
    if search:
        query = query.where(Supplier.name.icontains(search, autoescape=True))
    return list(db.session.scalars(query))


def supplier_locale(supplier: Supplier) -> str:
    """The language the supplier reads in: its first active contact's, else the default."""
    for contact in supplier.active_contacts:
        if contact.locale:
            return contact.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]
