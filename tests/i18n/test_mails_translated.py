"""Every mail reads in its recipient's language: no English sentence left in a translated one.

Each mail template is rendered in English and in every other shipped language with the
same stand-in values; a line shown identically in both that holds English words is a
string left behind.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from flask import render_template
from flask_babel import force_locale

from portal.config import LANGUAGES
from tests.i18n.test_no_english_left import ENGLISH_WORDS, NOT_ENGLISH

TEMPLATES = sorted(p.stem for p in (Path(__file__).parents[2] / "templates" / "mail").glob("*.txt"))


class StandIn:
    """Any object a mail template reads: attributes, items and calls give more stand-ins."""

    def __init__(self, text: str = "Acme"):
        self.text = text

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name.endswith(("_at", "_on")) or name in ("due_date", "date", "due"):
            return datetime(2026, 5, 4, 9, 30)
        if name in ("days", "num", "count", "score", "total", "number", "late_days"):
            return 3
        return StandIn()

    def __getitem__(self, key):
        return StandIn()

    def __call__(self, *args, **kwargs):
        return StandIn()

    def __iter__(self):
        return iter([StandIn(), StandIn()])

    def __len__(self):
        return 2

    def __str__(self):
        return self.text

    def __html__(self):
        return self.text

    def __int__(self):
        return 3

    def __bool__(self):
        return True


def _context() -> dict:
    """Stand-ins for what the mail templates read (found with jinja2.meta)."""
    numbers = dict.fromkeys(("days", "days_late", "days_left", "hours"), 3)
    things = {name: StandIn() for name in ("action", "assessment", "by", "supplier", "user")}
    texts = {"comment": "Acme", "reason": "Acme", "title": "Acme"}
    urls = {"url": "http://127.0.0.1/link/x", "settings_url": "http://127.0.0.1/b/settings"}
    return {**numbers, **things, **texts, **urls, "lines": [StandIn(), StandIn()]}


def _render(template: str, locale: str) -> str:
    with force_locale(locale):
        return render_template(f"mail/{template}.txt", **_context())


@pytest.mark.parametrize("locale", sorted(code for code in LANGUAGES if code != "en"))
def test_every_mail_is_written_in_the_recipients_language(app, locale):
    left = {}
    with app.test_request_context():
        for template in TEMPLATES:
            english = {line.strip() for line in _render(template, "en").splitlines()}
            translated = {line.strip() for line in _render(template, locale).splitlines()}
            same = []
            for line in english & translated:
                rest = line
                for name in NOT_ENGLISH | {"Acme"}:
                    rest = rest.replace(name, " ")
                if ENGLISH_WORDS.search(rest):
                    same.append(line)
            if same:
                left[template] = sorted(same)
    assert not left, f"{locale}: mails with English left: {left}"
