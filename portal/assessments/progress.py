"""How far a supplier has come, section by section."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from portal.questionnaires.answers import is_question_visible
from portal.questionnaires.definition import Definition, Section


@dataclass(frozen=True)
class SectionProgress:
    number: int
    section: Section
    answered: int
    total: int

    @property
    def complete(self) -> bool:
        return self.answered >= self.total


def section_progress(definition: Definition, answers: Mapping[str, Any]) -> list[SectionProgress]:
    """Answered and visible question counts for each section, in order."""
    progress = []
    for number, section in enumerate(definition.sections, start=1):
        visible = [q for q in section.questions if is_question_visible(definition, q, answers)]
        answered = sum(1 for q in visible if answers.get(q.key) not in (None, "", []))
        progress.append(SectionProgress(number, section, answered, len(visible)))
    return progress
