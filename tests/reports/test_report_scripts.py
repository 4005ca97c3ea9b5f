"""Every script renders with a real font, is embedded, and can be read back from the PDF."""

from __future__ import annotations

import unicodedata

import pytest

from portal.config import LANGUAGES
from tests.reports.conftest import pdf_fonts, pdf_text

SAMPLES = {
    "Arabic": ("مصنع النسيج الحديث", "NotoSansArabic"),
    "Chinese": ("安装紧急出口标志", "NotoSansCJK"),
    "Bengali": ("জরুরি বহির্গমন পথ খোলা রাখুন", "NotoSansBengali"),
    "Hindi": ("आपातकालीन निकास खुला रखें", "NotoSansDevanagari"),
}


def letters(text: str) -> str:
    """`text` without spaces and combining vowel signs."""
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c)[0] != "M")


def _html(locale: str, direction: str = "ltr") -> str:
    paragraphs = "".join(
        f'<p lang="{lang}">{text}</p>'
        for lang, (text, _font) in zip(("ar", "zh", "bn", "hi"), SAMPLES.values(), strict=True)
    )
    return (
        f'<html lang="{locale}" dir="{direction}"><head></head>'
        f"<body><h1>Closeloop</h1>{paragraphs}</body></html>"
    )


def test_each_script_gets_its_noto_font_embedded(ctx):
    from portal.reports.rendering import html_to_pdf

    rendered = html_to_pdf(_html("en"))
    fonts = pdf_fonts(rendered.pdf)
    for name, (_text, font) in SAMPLES.items():
        assert any(f.startswith(font) for f in fonts), f"{name}: no {font} in {fonts}"
    text = pdf_text(rendered.pdf)
    assert SAMPLES["Chinese"][0] in text
    for name in ("Bengali", "Hindi"):
        # Vowel signs drawn before their consonant come back out of order from the PDF's
        # glyph-to-text map (a limit of PDF text extraction), so compare the letters.
        assert letters(SAMPLES[name][0]) in letters(text), name


def test_arabic_text_reads_back_from_the_pdf(ctx):
    from portal.reports.rendering import html_to_pdf

    rendered = html_to_pdf(_html("ar", "rtl"))
    text = pdf_text(rendered.pdf)
    words = SAMPLES["Arabic"][0].split()
    # Extraction gives the words in logical or visual order; each word must be whole.
    assert all(word in text or word[::-1] in text for word in words), text


@pytest.mark.parametrize("locale", ["en", "fr", "es"])
def test_reports_in_shipped_languages_run_left_to_right(ctx, locale):
    from portal.reports.documents import _page_context

    assert _page_context(locale, "a4")["direction"] == "ltr"


def test_a_right_to_left_language_turns_the_page_around(app, reviewed, make_supplier):
    """Arabic is not shipped yet; the report already lays it out right to left."""
    from portal.assessments.models import Assessment
    from portal.extensions import db
    from portal.reports.documents import feedback_html
    from portal.reports.rendering import html_to_pdf
    from portal.suppliers.models import Supplier

    ids = reviewed("en", name=SAMPLES["Arabic"][0])
    with app.test_request_context():
        assert db.session.get(Supplier, ids["supplier"]).name == SAMPLES["Arabic"][0]
        html = feedback_html(db.session.get(Assessment, ids["assessment"]), "ar", "a4")
        assert '<html lang="ar" dir="rtl">' in html
        rendered = html_to_pdf(html)
    assert any(f.startswith("NotoSansArabic") for f in pdf_fonts(rendered.pdf))


@pytest.mark.parametrize("locale", sorted(LANGUAGES))
def test_the_feedback_report_is_written_in_every_shipped_language(app, reviewed, locale):
    """The PDF's headings come from the catalog of its language, with its script's font."""
    from flask_babel import force_locale
    from flask_babel import gettext as _

    from portal.assessments.models import Assessment
    from portal.extensions import db
    from portal.reports.documents import feedback_html
    from portal.reports.rendering import html_to_pdf

    ids = reviewed(locale)
    with app.test_request_context():
        html = feedback_html(db.session.get(Assessment, ids["assessment"]), locale, "a4")
        with force_locale(locale):
            title = _("Feedback report")
        rendered = html_to_pdf(html)
    direction = "rtl" if locale == "ar" else "ltr"
    assert f'dir="{direction}"' in html.split(">", 2)[1] + ">"
    if locale != "en":
        assert title != "Feedback report", f"{locale}: the title is not translated"
    text = letters(pdf_text(rendered.pdf).casefold())  # headings may be set in capitals
    words = [letters(word.casefold()) for word in title.split()]
    assert all(word in text or word[::-1] in text for word in words), title
