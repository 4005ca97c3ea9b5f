"""An Arabic section page on a 360 px phone is laid out right to left, and mirrors the
English one; a Latin supplier name inside Arabic text keeps its own direction.

Arabic catalogs may still be partly empty: the test checks direction and layout, not words.
"""

from __future__ import annotations

import pytest

from tests.browser.supplier_site import SUPPLIER_NAME, sign_in, visit

pytestmark = pytest.mark.browser

WIDTH = 360
EDGE = 24  # the page's padding (16 px) and a little more


def _box(page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box


def test_an_arabic_section_page_is_right_to_left_and_mirrors_the_english_one(
    live_server, phone, supplier_site, tmp_path
):
    sign_in(phone, live_server, supplier_site)
    section = supplier_site.section(1)

    visit(phone, live_server, section, "ar")
    shot = tmp_path / "section-ar.png"
    phone.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 1000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert phone.evaluate("document.documentElement.dir") == "rtl"
    assert phone.evaluate("document.documentElement.lang") == "ar"
    form = phone.locator("form.section-form")
    assert form.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert phone.evaluate("document.documentElement.scrollWidth") <= WIDTH
    arabic = {
        "brand": _box(phone, ".brand"),
        "radio": _box(phone, ".choice input"),
        "choice": _box(phone, ".choice"),
        "number": _box(phone, ".number input"),
        "unit": _box(phone, ".number .unit"),
    }

    visit(phone, live_server, section, "en")
    assert phone.evaluate("document.documentElement.dir") == "ltr"
    english = {
        "brand": _box(phone, ".brand"),
        "radio": _box(phone, ".choice input"),
        "choice": _box(phone, ".choice"),
        "number": _box(phone, ".number input"),
        "unit": _box(phone, ".number .unit"),
    }

    # the brand link sits at the right edge in Arabic, at the left in English
    assert WIDTH - (arabic["brand"]["x"] + arabic["brand"]["width"]) <= EDGE
    assert english["brand"]["x"] <= EDGE
    # a radio button sits at the start of its label: the right end in Arabic
    choice, radio = arabic["choice"], arabic["radio"]
    assert radio["x"] > choice["x"] + choice["width"] / 2
    choice, radio = english["choice"], english["radio"]
    assert radio["x"] + radio["width"] < choice["x"] + choice["width"] / 2
    # a number's unit follows it: on its left in Arabic, on its right in English
    assert arabic["unit"]["x"] + arabic["unit"]["width"] <= arabic["number"]["x"]
    assert english["unit"]["x"] >= english["number"]["x"] + english["number"]["width"]


def test_a_latin_supplier_name_is_isolated_inside_arabic_text(live_server, phone, supplier_site):
    visit(phone, live_server, f"/link/{supplier_site.token}", "ar")
    assert phone.evaluate("document.documentElement.dir") == "rtl"
    name = phone.locator("h1 bdi")
    assert name.inner_text() == SUPPLIER_NAME
    assert name.evaluate("e => getComputedStyle(e).unicodeBidi") == "isolate"
    assert name.evaluate("e => getComputedStyle(e).direction") == "ltr"  # its own, from its text
    assert phone.locator("h1").evaluate("e => getComputedStyle(e).direction") == "rtl"

    sign_in(phone, live_server, supplier_site)
    visit(phone, live_server, "/s/", "ar")
    name = phone.locator("main bdi", has_text=SUPPLIER_NAME)
    assert name.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert name.evaluate("e => getComputedStyle(e).unicodeBidi") == "isolate"
    # it still sits on the right, with the Arabic text around it
    box = name.bounding_box()
    assert WIDTH - (box["x"] + box["width"]) <= EDGE
