"""A supplier reading its own language sees no English sentence on its pages.

The catalog test proves every marked string is translated; this one catches a string that
was never marked (typed straight into a template or a view) and questionnaire texts that
fall back to English: each supplier page is rendered in English and in every other shipped
language, and a run of English words shown identically on both is a string left behind.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from portal.config import LANGUAGES

OTHER_LANGUAGES = sorted(code for code in LANGUAGES if code != "en")
# Names, not words: the product, the language names in the footer, a certification
# scheme the sample questionnaire names.
NOT_ENGLISH = {"Closeloop", "Rainforest Alliance", *LANGUAGES.values()}
ENGLISH_WORDS = re.compile(r"[A-Za-z]{2,}(?:[ ’'-][A-Za-z]{2,})+")


class _Text(HTMLParser):
    """The visible text of a page, one entry per text node, plus attributes people read."""

    READ_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code"):
            self._skip += 1
        for name, value in attrs:
            if name in self.READ_ATTRIBUTES and value:
                self.texts.append(value.strip())

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def _texts(html: str) -> set[str]:
    parser = _Text()
    parser.feed(html)
    return set(parser.texts)


def _english_runs(text: str, names: set[str]) -> list[str]:
    for name in names:
        text = text.replace(name, " ")
    return ENGLISH_WORDS.findall(text)


@pytest.fixture
def supplier_pages(client, make_supplier, make_assessment, sign_in_supplier, questionnaire):
    supplier_id, contact_id = make_supplier(name="Acme")
    assessment_id = make_assessment(supplier_id)
    sign_in_supplier(contact_id)
    base = f"/s/assessments/{assessment_id}"
    sections = len(set(re.findall(rf'href="{base}/sections/(\d+)"', client.get(base).text)))
    assert sections > 1
    return [
        "/s/",
        base,
        *(f"{base}/sections/{n}" for n in range(1, sections + 1)),
        f"{base}/review",
        "/s/actions",
    ]


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_supplier_pages_show_no_english_in_another_language(client, supplier_pages, lang):
    names = NOT_ENGLISH | {"Acme"}
    left_in_english = {}
    for path in supplier_pages:
        client.get(f"/lang/en?next={path}")
        english = client.get(path)
        assert english.status_code == 200, path
        client.get(f"/lang/{lang}?next={path}")
        translated = client.get(path)
        assert translated.status_code == 200, path
        same = _texts(english.text) & _texts(translated.text)
        runs = sorted(text for text in same if _english_runs(text, names))
        if runs:
            left_in_english[path] = runs
    assert not left_in_english, f"{lang}: shown in English: {left_in_english}"
