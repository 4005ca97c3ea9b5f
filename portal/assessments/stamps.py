"""Noticing answers that another device changed while a section was open on this one."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from portal.questionnaires.definition import Section
from portal.refusals import Refused


class EditedElsewhere(Refused):
    """Answers changed elsewhere since the form was opened, and this save would overwrite them."""

    def __init__(self, changed: Mapping[str, Any]):
        super().__init__(", ".join(changed))
        self.changed = dict(changed)  # question key -> the value saved elsewhere


def answer_stamp(value: Any) -> str:
    """A short fingerprint of one stored answer."""
    encoded = json.dumps(value, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()[:12]


def section_stamps(section: Section, answers: Mapping[str, Any]) -> str:
    """Fingerprints of a section's stored answers, to send along with its form."""
    return ",".join(f"{q.key}:{answer_stamp(answers.get(q.key))}" for q in section.questions)


def _parse(stamps: str) -> dict[str, str]:
    pairs = (item.partition(":") for item in stamps.split(",") if item)
    return {key: stamp for key, _sep, stamp in pairs}


def _blank(value: Any) -> bool:
    return value in (None, "", [])


def sort_out(
    section: Section, stamps: str | None, stored: Mapping[str, Any], submitted: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split a save into (answers to write, answers that conflict).

    A question conflicts only when this form changed it and another device changed it too
    since the form was opened (its stamp no longer matches). A question the form left as
    it was is not written, so it cannot undo what another device saved. A question with
    no stamp (a save without stamps) may have been changed elsewhere: it conflicts unless
    nothing is stored for it yet.
    """
    seen = _parse(stamps or "")
    to_write: dict[str, Any] = {}
    conflicts: dict[str, Any] = {}
    for question in section.questions:
        if question.key not in submitted:
            continue
        new, now = submitted[question.key], stored.get(question.key)
        if new == now:
            to_write[question.key] = new  # the same either way (and a blank is stored too)
            continue
        then = seen.get(question.key)
        if then is None:
            if _blank(now):
                to_write[question.key] = new
            else:
                conflicts[question.key] = now
        elif then == answer_stamp(now):
            to_write[question.key] = new  # nobody else changed it since the form was opened
        elif answer_stamp(new) != then:
            conflicts[question.key] = now  # changed here and there
    return to_write, conflicts


def stamps_after_save(
    section: Section, stamps: str | None, stored: Mapping[str, Any], submitted: Mapping[str, Any]
) -> str:
    """The stamps a page should carry on after its save was stored.

    Where the page's answer is now the stored one, the stored answer's stamp. Where another
    device saved something else that this page did not change (and so did not overwrite),
    the stamp the page had: its next change to that question must still conflict.
    """
    seen = _parse(stamps or "")
    kept = []
    for question in section.questions:
        now = stored.get(question.key)
        in_sync = question.key in submitted and submitted[question.key] == now
        stamp = seen.get(question.key)
        kept.append(f"{question.key}:{answer_stamp(now) if in_sync or stamp is None else stamp}")
    return ",".join(kept)
