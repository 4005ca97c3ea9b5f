"""Scores and red flags of a set of answers: plain functions of a definition and answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from portal.questionnaires.answers import is_question_visible
from portal.questionnaires.definition import Definition, Question, QuestionType, Severity

SEVERITY_ORDER = {
    Severity.CRITICAL: 0,
    Severity.HIGH: 1,
    Severity.MEDIUM: 2,
    Severity.LOW: 3,
}


@dataclass(frozen=True)
class SectionScore:
    key: str
    percent: float | None  # None: nothing in this section counts
    points: float
    max_points: float
    weight: float


@dataclass(frozen=True)
class AssessmentScore:
    overall: float | None
    sections: tuple[SectionScore, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form, as stored with a revision."""
        return {
            "overall": self.overall,
            "sections": {s.key: s.percent for s in self.sections},
        }


@dataclass(frozen=True)
class RedFlag:
    question: str
    rule: int  # which of the question's critical answers matched
    severity: Severity
    answer: Any

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form, as stored with a revision."""
        return {
            "question": self.question,
            "rule": self.rule,
            "severity": str(self.severity),
            "answer": self.answer,
        }


def _unanswered(value: Any) -> bool:
    return value is None or value == "" or value == []


def question_points(question: Question, value: Any) -> tuple[float, float] | None:
    """(points earned, points possible) for one answer, or None when it does not count."""
    score = question.score
    if score is None or _unanswered(value):
        return None
    if question.type == QuestionType.NUMBER:
        earned = next((r.points for r in score.ranges if r.contains(float(value))), None)
        if earned is None:
            return None
        return earned, score.max_points(question.type, question.exclusive_options())
    chosen = value if isinstance(value, list) else [value]
    if any(v in score.not_applicable for v in chosen):
        return None
    earned = sum(score.points.get(v, 0.0) for v in chosen)
    possible = score.max_points(question.type, question.exclusive_options())
    return min(earned, possible), possible


def score_answers(definition: Definition, answers: Mapping[str, Any]) -> AssessmentScore:
    """Percentages per section and overall (weighted by section); see docs/questionnaire-format."""
    sections = []
    for section in definition.sections:
        earned = possible = 0.0
        for question in section.questions:
            if not is_question_visible(definition, question, answers):
                continue
            counted = question_points(question, answers.get(question.key))
            if counted is not None:
                earned += counted[0]
                possible += counted[1]
        percent = round(100 * earned / possible, 1) if possible else None
        sections.append(SectionScore(section.key, percent, earned, possible, section.weight))
    counted_sections = [s for s in sections if s.percent is not None]
    total_weight = sum(s.weight for s in counted_sections)
    overall = (
        round(sum(s.percent * s.weight for s in counted_sections) / total_weight, 1)
        if total_weight
        else None
    )
    return AssessmentScore(overall, tuple(sections))


def red_flags(definition: Definition, answers: Mapping[str, Any]) -> list[RedFlag]:
    """Critical answers given, most severe first, then in questionnaire order."""
    flags = []
    for question in definition.questions():
        value = answers.get(question.key)
        if _unanswered(value) or not is_question_visible(definition, question, answers):
            continue
        for rule, critical in enumerate(question.critical):
            if critical.matches(value):
                flags.append(RedFlag(question.key, rule, critical.severity, value))
                break
    order = {q.key: i for i, q in enumerate(definition.questions())}
    return sorted(flags, key=lambda f: (SEVERITY_ORDER[f.severity], order[f.question]))
