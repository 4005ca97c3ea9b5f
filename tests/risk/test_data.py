"""The shipped rating files: every country Babel knows, sensible categories, a default each."""

from __future__ import annotations

import pytest

from portal.risk.data import DATA_DIR, RatingFileError, read_ratings, shipped_ratings
from portal.risk.models import RatingKind
from portal.risk.ratings import RatingTable
from portal.suppliers.logic import country_codes


def test_every_country_code_has_a_rating_from_1_to_5_and_a_note():
    countries = shipped_ratings(RatingKind.COUNTRY)

    assert set(country_codes()) <= set(countries)
    assert all(1 <= r.rating <= 5 and r.note for r in countries.values())
    assert countries["default"].rating == 3


def test_the_categories_cover_the_usual_trades_and_have_a_default():
    categories = shipped_ratings(RatingKind.CATEGORY)

    for name in (
        "textiles",
        "leather goods",
        "fresh produce",
        "electronics",
        "packaging",
        "chemicals",
        "metal works",
        "furniture",
        "construction",
        "logistics",
        "services",
        "other",
        "default",
    ):
        assert name in categories
    assert all(1 <= r.rating <= 5 for r in categories.values())


def test_categories_match_ignoring_case_spacing_and_a_plural_s():
    table = RatingTable([])

    assert table.category("  Fresh   PRODUCE ").key == "fresh produce"
    assert table.category("Textile").key == "textiles"
    assert table.category("Metal work").key == "metal works"
    assert table.category("Leather goods").rating == 4
    assert table.category("Space tourism").is_default
    assert table.category("Default").is_default


def test_unknown_countries_get_the_default():
    table = RatingTable([])

    assert table.country("VN").rating == 4
    assert not table.country("VN").is_default
    assert table.country("QQ").is_default


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("code,rating,note\nVN,7,x\ndefault,3,\n", "rating of 1-5"),
        ("code,rating,note\nVN,high,x\ndefault,3,\n", "not a number"),
        ("code,rating,note\nVN,4,x\nvn,4,x\ndefault,3,\n", "listed twice"),
        ("code,rating,note\nVN,4,x\n", "no 'default' row"),
    ],
)
def test_a_broken_rating_file_is_refused_with_its_line(tmp_path, content, problem):
    path = tmp_path / "countries.csv"
    path.write_text(content)

    with pytest.raises(RatingFileError, match=problem):
        read_ratings(path, RatingKind.COUNTRY)


def test_the_shipped_files_are_where_the_docs_say():
    assert (DATA_DIR / "countries.csv").is_file()
    assert (DATA_DIR / "categories.csv").is_file()
