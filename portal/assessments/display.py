"""Showing stored answers to people, and putting them back into form fields."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _

from portal.questionnaires.definition import Definition, Question, QuestionType


def form_values(question: Question, value: Any) -> list[str]:
    """A stored answer as the list of strings its form field would post."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    if question.type == QuestionType.NUMBER and isinstance(value, float) and value.is_integer():
        return [str(int(value))]
    return [str(value)]


def display_answer(definition: Definition, question: Question, value: Any, locale: str) -> str:
    """A stored answer as a person reads it, in `locale`."""
    if value in (None, "", []):
        return ""
    options = {option.key: definition.text(option.label, locale) for option in question.options}
    match question.type:
        case QuestionType.YES_NO:
            return _("Yes") if value == "yes" else _("No")
        case QuestionType.SINGLE_CHOICE:
            return options.get(value, str(value))
        case QuestionType.MULTIPLE_CHOICE:
            return ", ".join(options.get(v, str(v)) for v in value)
        case QuestionType.NUMBER:
            number = format_decimal(value)
            unit = definition.text(question.unit, locale) if question.unit else ""
            return f"{number} {unit}".strip()
        case QuestionType.DATE:
            return format_date(date.fromisoformat(value), "long")
    return str(value)
