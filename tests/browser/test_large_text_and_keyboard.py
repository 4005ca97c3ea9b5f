"""Supplier pages stay usable with the browser's text at 200 % on a 360 px phone, and a
section page can be answered with the keyboard alone, with the focus always visible."""

from __future__ import annotations

import pytest

from tests.browser.supplier_site import sign_in, visit

pytestmark = pytest.mark.browser

WIDTH = 360

# Elements wider than the screen, or cut by their own box: what a reader of large text
# would miss. Visually hidden text (.sr) is meant to be clipped.
CUT_OFF = """(width) => {
  const found = [];
  for (const e of document.body.querySelectorAll('*')) {
    if (e.closest('.sr, script, style, head')) continue;
    const box = e.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const style = getComputedStyle(e);
    const what = e.outerHTML.slice(0, 80);
    if (box.left < -0.5 || box.right > width + 0.5) {
      found.push(`${what}: from ${Math.round(box.left)} to ${Math.round(box.right)} px`);
    } else if (style.overflowX !== 'visible' && e.scrollWidth > e.clientWidth + 1
               && !['INPUT', 'TEXTAREA', 'SELECT'].includes(e.tagName)) {
      found.push(`${what}: ${e.scrollWidth} px of text in ${e.clientWidth} px`);
    }
  }
  return found;
}"""


@pytest.fixture
def large_text_phone(phone):
    """The phone with the browser's text size at 200 % (Chromium's default font size
    doubled, as a reader's text-size setting does)."""
    session = phone.context.new_cdp_session(phone)
    session.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    return phone


def test_supplier_pages_at_200_percent_text_scroll_only_downwards(
    live_server, large_text_phone, supplier_site
):
    page = large_text_phone
    found = {}

    def check(path):
        visit(page, live_server, path)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        cut = page.evaluate(CUT_OFF, WIDTH)
        if scroll_width > WIDTH or cut:
            found[path] = [f"page {scroll_width} px wide", *cut]

    for path in supplier_site.signed_out:
        check(path)
    sign_in(page, live_server, supplier_site)
    for path in supplier_site.signed_in:
        check(path)
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "34px"  # 2 × 17 px
    report = [f"{path}: {line}" for path, lines in found.items() for line in lines]
    assert not report, "\n".join(report)


FOCUSED = """() => {
  const e = document.activeElement;
  const style = getComputedStyle(e);
  const key = e.type === 'radio' ? `radio ${e.name}`
    : e.tagName === 'BUTTON' ? `button ${e.value}` : `${e.tagName.toLowerCase()} ${e.name}`;
  return {key, inForm: !!e.closest('form.section-form'), outline: style.outlineStyle,
          width: parseFloat(style.outlineWidth)};
}"""

# What Tab should reach in the form, in order: one stop per radio group, one per other
# field, then the Save buttons.
FORM_STOPS = """() => {
  const keys = [];
  for (const e of document.querySelector('form.section-form').elements) {
    if (e.tagName === 'FIELDSET' || e.type === 'hidden' || e.disabled) continue;
    if (!e.getClientRects().length) continue;
    const key = e.type === 'radio' ? `radio ${e.name}`
      : e.tagName === 'BUTTON' ? `button ${e.value}` : `${e.tagName.toLowerCase()} ${e.name}`;
    if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}"""


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_keyboard_reaches_every_field_and_save_in_order_with_a_visible_focus(
    live_server, phone, supplier_site, language
):
    sign_in(phone, live_server, supplier_site)
    visit(phone, live_server, supplier_site.section(1), language)
    expected = phone.evaluate(FORM_STOPS)
    assert any(k.startswith("radio") for k in expected)
    assert any(k.startswith("input") for k in expected)
    assert expected[-2:] == ["button next", "button stay"]  # Save and continue, Save draft
    reached, unseen_focus = [], []
    for _ in range(len(expected) + 20):
        phone.keyboard.press("Tab")
        focused = phone.evaluate(FOCUSED)
        if focused["outline"] == "none" or focused["width"] < 2:
            unseen_focus.append(focused["key"])
        if focused["inForm"]:
            reached.append(focused["key"])
        elif reached:
            break  # past the form
    assert reached == expected
    assert not unseen_focus, f"focus not visible on {unseen_focus}"
