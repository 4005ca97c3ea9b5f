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


def edited_elsewhere(
    section: Section, stamps: str, stored: Mapping[str, Any], submitted: Mapping[str, Any]
) -> dict[str, Any]:
    """Answers changed since `stamps` were taken that the submitted values would overwrite."""
    seen = _parse(stamps)
    return {
        q.key: stored.get(q.key)
        for q in section.questions
        if q.key in seen
        and seen[q.key] != answer_stamp(stored.get(q.key))
        and submitted.get(q.key) != stored.get(q.key)
    }
