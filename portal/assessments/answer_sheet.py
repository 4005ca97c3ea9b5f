"""Every answer of an assessment as the supplier reads it back, section by section."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from portal.assessments.display import display_answer
from portal.questionnaires.answers import is_question_visible
from portal.questionnaires.definition import Definition, Question, Section


@dataclass(frozen=True)
class SheetRow:
    question: Question
    shown: str  # "" when not answered


@dataclass(frozen=True)
class SheetSection:
    number: int  # from 1, as in the section pages' URLs
    section: Section
    rows: tuple[SheetRow, ...]


def answer_sheet(
    definition: Definition, answers: Mapping[str, Any], locale: str
) -> list[SheetSection]:
    """Every section, with every question its show-if conditions show, and its answer."""
    return [
        SheetSection(
            number,
            section,
            tuple(
                SheetRow(
                    question,
                    display_answer(definition, question, answers.get(question.key), locale),
                )
                for question in section.questions
                if is_question_visible(definition, question, answers)
            ),
        )
        for number, section in enumerate(definition.sections, start=1)
    ]
