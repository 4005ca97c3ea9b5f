"""Category names from the shipped rating file are translated wherever reports print them;
a category of the buyer's own making is printed as it was typed."""

from __future__ import annotations

import pytest

from portal.risk.category_names import NAMES, category_label
from portal.risk.data import shipped_ratings
from portal.risk.models import RatingKind
from tests.reports.conftest import pdf_text


def test_every_shipped_category_has_a_name_to_translate():
    shipped = set(shipped_ratings(RatingKind.CATEGORY)) - {"default"}
    assert shipped == set(NAMES)


@pytest.mark.parametrize(
    ("typed", "locale", "shown"),
    [
        ("Textiles", "fr", "Textile"),
        ("textile", "es", "Textil"),
        ("  Leather   GOODS ", "fr", "Maroquinerie"),
        ("Fresh produce", "en", "Fresh produce"),
        ("Hand-made kites", "fr", "Hand-made kites"),  # not a shipped category
    ],
)
def test_category_label_matches_as_ratings_do(ctx, typed, locale, shown):
    assert category_label(typed, locale) == shown


def test_the_feedback_report_prints_the_category_in_the_contacts_language(
    client, reviewed, sign_in_supplier
):
    ids = reviewed("fr", name="Maroquinerie Dupont")  # its category: Textiles
    sign_in_supplier(ids["contact"])

    text = pdf_text(client.get(f"/s/assessments/{ids['assessment']}/report.pdf").data)

    assert "CATÉGORIE Textile " in text
    assert "Textiles" not in text


def test_the_summary_prints_the_category_in_the_buyers_language(
    client, make_supplier, sign_in_buyer, buyer
):
    supplier_id, _contact = make_supplier(name="Hilados Luna")
    sign_in_buyer(buyer)

    response = client.get(
        f"/b/suppliers/{supplier_id}/summary.pdf", headers={"Accept-Language": "es"}
    )

    text = pdf_text(response.data)
    assert "CATEGORÍA Textil " in text
    assert "«Textil»" in text  # the risk explanation names it too
    assert "Textiles" not in text
