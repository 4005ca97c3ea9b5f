"""What people type enters the portal without bidirectional control characters.

An embedding, override or isolate control (U+202A–U+202E, U+2066–U+2069) typed into an
answer or a note changes how the text after it is displayed: a right-to-left override
shows "gnp.exe" for "exe.png", and an unclosed one spills into whatever the page shows
next. They are removed from every form field and query argument as the request reads them
(`CleanedRequest`), and from imported rows. The marks U+200E, U+200F and U+061C stay:
Arabic and Hebrew writers use them to place digits and punctuation, they only act on the
characters beside them, and pages show user-written text isolated (`<bdi>`,
`unicode-bidi: isolate`), so a mark cannot reach past the text it was typed in.
"""

from __future__ import annotations

import re

from flask import Request
from markupsafe import Markup, escape
from werkzeug.utils import cached_property

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Not displayed and compared as typed: cleaning a password would change it.
_KEPT_AS_TYPED = ("password",)


def without_bidi_controls(text: str) -> str:
    """`text` without bidirectional embedding, override and isolate controls."""
    return BIDI_CONTROLS.sub("", text)


def _cleaned(pairs, storage_class):
    return storage_class(
        [
            (key, value if any(k in key for k in _KEPT_AS_TYPED) else without_bidi_controls(value))
            for key, value in pairs
        ]
    )


class CleanedRequest(Request):
    """The app's request: form fields and query arguments read without bidi controls."""

    @cached_property
    def args(self):
        return _cleaned(super().args.items(multi=True), self.parameter_storage_class)

    def _load_form_data(self) -> None:
        super()._load_form_data()
        form = self.__dict__["form"]
        self.__dict__["form"] = _cleaned(form.items(multi=True), type(form))


def isolated(value: object) -> Markup:
    """`value` escaped and wrapped in `<bdi>`: user-written text placed inside a sentence
    or beside labels keeps its own direction (the `bdi` template filter)."""
    return Markup("<bdi>%s</bdi>") % escape(value)


def isolated_in(sentence: str, **values: object) -> Markup:
    """The translated `sentence` (placeholders not yet filled) with `values` put in, each
    escaped and isolated in `<bdi>`: a flash message naming what someone typed."""
    return escape(sentence) % {name: isolated(value) for name, value in values.items()}
