"""Changing a supplier's name, country and category, audited, with its risk kept current."""

from __future__ import annotations

from flask_babel import gettext as _

from portal.audit.logic import record
from portal.auth.models import User
from portal.suppliers.logic import country_codes
from portal.suppliers.models import Supplier
from portal.suppliers.refused import SupplierChangeRefused

NAME_MAX = 200
CATEGORY_MAX = 100


def checked_details(name: str, country: str, category: str) -> tuple[str, str, str]:
    """The name, country code and category as stored; raise SupplierChangeRefused when
    one of them is not acceptable (the rules supplier creation and import follow)."""
    name, country, category = name.strip(), country.strip().upper(), category.strip()
    if not name:
        raise SupplierChangeRefused(_("The supplier needs a name."), "name")
    if len(name) > NAME_MAX:
        raise SupplierChangeRefused(
            _("The name can be at most %(max)d characters.", max=NAME_MAX), "name"
        )
    if country not in country_codes():
        raise SupplierChangeRefused(_("Choose a country from the list."), "country")
    if not category:
        raise SupplierChangeRefused(_("The supplier needs a category."), "category")
    if len(category) > CATEGORY_MAX:
        raise SupplierChangeRefused(
            _("The category can be at most %(max)d characters.", max=CATEGORY_MAX), "category"
        )
    return name, country, category


def edit_supplier(
    supplier: Supplier, *, name: str, country: str, category: str, by: User | None
) -> list[str]:
    """Store a supplier's new details, one audit row per changed field; return the fields
    changed."""
    name, country, category = checked_details(name, country, category)
    changed = []
    for field, action, new in (
        ("name", "supplier_renamed", name),
        ("country", "supplier_country_changed", country),
        ("category", "supplier_category_changed", category),
    ):
        old = getattr(supplier, field)
        if old == new:
            continue
        setattr(supplier, field, new)
        changed.append(field)
        record(
            action,
            object_type="supplier",
            object_id=supplier.id,
            by=by,
            supplier_id=supplier.id,
            old=old,
            new=new,
        )
    return changed  # a new country or category is rescored before the commit (risk.upkeep)
