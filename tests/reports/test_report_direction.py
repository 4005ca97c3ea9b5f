"""A right-to-left report mirrors: the findings' side rule on the right, the supplier's name
in the top right corner and the page number in the bottom left; a left-to-right one the
other way round."""

from __future__ import annotations

import pytest


def _layout(html: str):
    """The laid-out pages of `html`, with the report stylesheet, as the portal renders them."""
    from flask import current_app
    from weasyprint import HTML

    from portal.reports.rendering import StaticOnlyFetcher, _stylesheet, static_base_url

    fetcher = StaticOnlyFetcher(current_app.static_folder)
    return HTML(string=html, base_url=static_base_url(), url_fetcher=fetcher).render(
        stylesheets=[_stylesheet(fetcher)]
    )


def _boxes(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def _text(box) -> str:
    return "".join(getattr(b, "text", "") for b in _boxes(box))


def _classes(box) -> list[str]:
    element = getattr(box, "element", None)
    return (element.get("class") or "").split() if element is not None else []


def _margin_boxes(page) -> dict[str, str]:
    """Each filled margin box of a page: '@top-left' → its text."""
    return {
        box.at_keyword: _text(box)
        for box in page._page_box.children
        if getattr(box, "at_keyword", None) and _text(box).strip()
    }


@pytest.mark.parametrize(
    ("locale", "start", "end"), [("en", "left", "right"), ("ar", "right", "left")]
)
def test_the_report_lays_out_in_the_direction_of_its_language(app, reviewed, locale, start, end):
    from portal.assessments.models import Assessment
    from portal.extensions import db
    from portal.reports.documents import feedback_html

    ids = reviewed(locale, name="Taller Sol")
    with app.test_request_context():
        html = feedback_html(db.session.get(Assessment, ids["assessment"]), locale, "a4")
        document = _layout(html)
    issues = [
        b for page in document.pages for b in _boxes(page._page_box) if "issue" in _classes(b)
    ]
    assert issues
    for issue in issues:
        assert getattr(issue, f"border_{start}_width") > 0
        assert getattr(issue, f"border_{end}_width") == 0
        assert getattr(issue, f"padding_{start}") > 0
    assert len(document.pages) > 1
    first, second = (_margin_boxes(page) for page in document.pages[:2])
    assert set(first) == {f"@bottom-{end}"}  # the title page: the page number only
    assert second[f"@top-{start}"] == "Taller Sol"
    assert second[f"@top-{end}"] == "Closeloop"
    assert "2" in second[f"@bottom-{end}"]
