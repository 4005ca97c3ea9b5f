"""Every string the code marks for translation is translated, with the same placeholders.

Extraction runs fresh from the sources (same mapping and keywords as `make i18n-extract`),
so a string added without `make i18n-update` and a translation fails here, not in front
of a supplier reading English on a French page.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
# Keep in step with the i18n-extract target of the Makefile.
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "_l": None}
REQUIRED_LANGUAGES = {"fr", "es", "pt", "zh_Hans", "vi", "id", "bn", "hi", "ar", "tr"}
# `%(name)s`, `%(num)d`, `%(ratio).1f` …: the named python-format placeholders.
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa]")

LANGUAGES = sorted(path.parents[1].name for path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))


def _placeholders(text: str) -> set[str]:
    return {match.group(0) for match in PLACEHOLDER.finditer(text)}


def _ids(message: Message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, list | tuple) else (message.id,)


def _strings(message: Message) -> tuple[str, ...]:
    if isinstance(message.string, list | tuple):
        return tuple(message.string)
    return (message.string,)


def _forms(catalog: Catalog, source: Message) -> int:
    """How many translations an entry needs: one, or every plural form of the language."""
    return catalog.num_plurals if source.pluralizable else 1


def _label(message: Message) -> str:
    label = repr(_ids(message)[0])
    return f"{label} (context {message.context!r})" if message.context else label


@pytest.fixture(scope="module")
def extracted() -> Catalog:
    """What `pybabel extract -F babel.cfg -k lazy_gettext -k _l` finds right now."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    catalog = Catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _read_catalog(lang: str) -> Catalog:
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=lang)


def test_extraction_finds_strings_and_required_languages_exist(extracted):
    assert len([m for m in extracted if m.id]) > 50, "extraction found almost nothing"
    assert REQUIRED_LANGUAGES <= set(LANGUAGES), f"catalogs found: {LANGUAGES}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_extracted_string_is_translated(extracted, lang):
    catalog = _read_catalog(lang)
    assert not catalog.fuzzy, f"{lang}: the catalog header is marked fuzzy (it would not compile)"
    missing, untranslated, fuzzy = [], [], []
    for source in extracted:
        if not source.id:
            continue
        message = catalog.get(source.id, source.context)
        if message is None:
            missing.append(_label(source))
        elif not all(_strings(message)) or len(_strings(message)) < _forms(catalog, source):
            untranslated.append(_label(source))
        elif message.fuzzy:
            fuzzy.append(_label(source))
    problems = [
        f"{title}:\n  " + "\n  ".join(labels)
        for title, labels in (
            ("missing from the catalog (run make i18n-update)", missing),
            ("not translated, or a plural form is empty", untranslated),
            ("still marked fuzzy", fuzzy),
        )
        if labels
    ]
    assert not problems, f"{lang}/LC_MESSAGES/messages.po\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_the_placeholders(extracted, lang):
    catalog = _read_catalog(lang)
    wrong = []
    for source in extracted:
        if not source.id:
            continue
        message = catalog.get(source.id, source.context)
        if message is None:
            continue  # reported by test_every_extracted_string_is_translated
        expected = set().union(*(_placeholders(msgid) for msgid in _ids(source)))
        for index, translated in enumerate(_strings(message)):
            if translated and _placeholders(translated) != expected:
                wrong.append(
                    f"{_label(source)} form {index}: expected {sorted(expected)}, "
                    f"got {sorted(_placeholders(translated))}"
                )
    assert not wrong, f"{lang}: placeholders differ from the msgid:\n  " + "\n  ".join(wrong)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_passes_babel_checks_and_compiles(lang):
    catalog = _read_catalog(lang)
    errors = [
        f"{_label(message)}: {'; '.join(str(error) for error in message_errors)}"
        for message, message_errors in catalog.check()
    ]
    assert not errors, f"{lang}: babel check failed:\n  " + "\n  ".join(errors)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    assert compiled.getvalue(), f"{lang}: compiled catalog is empty"
