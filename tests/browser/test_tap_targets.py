"""Every tap target on every supplier page is at least 44 × 44 CSS px on a 360 × 740 phone.

The rule the test applies (WCAG 2.5.5, with 2.5.8's exception for inline links):
- a target is every visible link with an href, button, input (not hidden), select,
  textarea and summary;
- a radio button or checkbox is tapped through its label: the label's box is measured
  (the label holds the input, or names it with `for`), not the small circle or square;
- a link inside running text is exempt: a link laid out inline whose nearest block also
  holds letters outside any link or button (a sentence; text in a nested block does not
  count) is sized by the line-height of that text. A link that stands alone, or beside
  other links with only separators such as "·", is measured; so is every link styled as
  a block or a flex box.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.supplier_site import sign_in, visit

pytestmark = pytest.mark.browser

MINIMUM = 44

SMALL_TARGETS = """(minimum) => {
  const shown = (e) => {
    const box = e.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(e).visibility !== 'hidden';
  };
  const blockOf = (e) => {
    while (e.parentElement && getComputedStyle(e).display.startsWith('inline')) {
      e = e.parentElement;
    }
    return e;
  };
  // letters on the link's own lines: text of the same block, outside any link or button
  const wordsBeside = (link) => {
    const block = blockOf(link);
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    let text = '';
    while (walker.nextNode()) {
      const parent = walker.currentNode.parentElement;
      const own = !parent.closest('a, button') && blockOf(parent) === block;
      if (own) text += walker.currentNode.data;
    }
    return /\\p{L}/u.test(text);
  };
  const inRunningText = (e) =>
    e.tagName === 'A' && getComputedStyle(e).display === 'inline' && wordsBeside(e);
  const targets = new Set();
  for (const e of document.querySelectorAll(
      'a[href], button, input:not([type=hidden]), select, textarea, summary')) {
    if (e.type === 'radio' || e.type === 'checkbox') {
      targets.add(e.closest('label') || document.querySelector(`label[for="${e.id}"]`) || e);
    } else if (!inRunningText(e)) {
      targets.add(e);
    }
  }
  return [...targets].filter(shown).map((e) => {
    const box = e.getBoundingClientRect();
    return {html: e.outerHTML.slice(0, 90), width: Math.round(box.width * 10) / 10,
            height: Math.round(box.height * 10) / 10};
  }).filter((t) => t.width < minimum - 0.01 || t.height < minimum - 0.01);
}"""


def small_targets(page) -> list[dict]:
    return page.evaluate(SMALL_TARGETS, MINIMUM)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_tap_target_on_every_supplier_page_is_at_least_44_px(
    live_server, phone, supplier_site, language
):
    too_small = {}
    for path in supplier_site.signed_out:
        visit(phone, live_server, path, language)
        too_small[path] = small_targets(phone)
    sign_in(phone, live_server, supplier_site)
    for path in supplier_site.signed_in:
        visit(phone, live_server, path, language)
        too_small[path] = small_targets(phone)
    report = [
        f"{path}: {t['width']} × {t['height']} {t['html']}"
        for path, found in too_small.items()
        for t in found
    ]
    assert not report, "\n".join(report)


def test_the_measure_flags_small_targets_and_spares_a_link_in_a_sentence(phone):
    phone.set_content(
        "<p>Read <a href='#a' id='in-sentence'>this</a> first.</p>"
        "<p><a href='#b' id='alone'>Alone</a> · <a href='#c' id='beside'>Beside</a></p>"
        "<label id='small-choice'><input type='radio' name='r'> Yes</label>"
        "<label id='big-choice' style='display:block;height:50px'>"
        "<input type='checkbox' style='width:10px;height:10px'> No</label>"
        "<button style='width:50px;height:50px'>Big</button><input type='hidden'>"
    )
    flagged = [re.search(r'id="([^"]+)"', t["html"])[1] for t in small_targets(phone)]
    assert flagged == ["alone", "beside", "small-choice"]
