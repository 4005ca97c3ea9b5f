"""Names of languages, as a reader of another language calls them."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from flask import Flask
from flask_babel import get_locale


def language_name(code: str, locale: Locale | str | None = None) -> str:
    """The name of language `code` in `locale` (default: the page's), e.g. "French"."""
    locale = locale or get_locale() or "en"
    try:
        name = Locale.parse(code).get_display_name(locale)
    except (UnknownLocaleError, ValueError, TypeError):
        return code
    return name or code


def init_app(app: Flask) -> None:
    """Let templates name the language the supplier reads (`supplier_language(supplier)`)."""
    from portal.suppliers.logic import supplier_locale

    @app.template_global("supplier_language")
    def supplier_language(supplier) -> str:
        return language_name(supplier_locale(supplier))
