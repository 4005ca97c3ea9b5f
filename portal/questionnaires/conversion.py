"""Converting between checked YAML data and the definition dataclasses, both ways."""

from typing import Any

from portal.questionnaires.definition import (
    DEFAULT_MAX_LENGTH,
    Critical,
    Definition,
    Option,
    PointRange,
    Question,
    QuestionType,
    Score,
    Section,
    ShowIf,
)


def build(data: dict[str, Any]) -> Definition:
    """The Definition of data that the validator found no problem in."""
    return Definition(
        key=data["key"],
        version=int(data["version"]),  # the schema also takes 1.0 as an integer
        languages=tuple(data["languages"]),
        title=data["title"],
        intro=data.get("intro", {}),
        sections=tuple(
            Section(
                key=s["key"],
                title=s["title"],
                intro=s.get("intro", {}),
                questions=tuple(_build_question(q) for q in s["questions"]),
                weight=s.get("weight", 1),
            )
            for s in data["sections"]
        ),
    )


def _build_question(q: dict[str, Any]) -> Question:
    kind = QuestionType(q["type"])
    show_if = q.get("show_if")
    return Question(
        key=q["key"],
        type=kind,
        label=q["label"],
        help=q.get("help", {}),
        required=q.get("required", True),
        options=tuple(
            Option(o["key"], o["label"], exclusive=o.get("exclusive", False))
            for o in q.get("options", ())
        ),
        unit=q.get("unit", {}),
        min=q.get("min"),
        max=q.get("max"),
        integer=q.get("integer", False),
        max_length=int(q["max_length"]) if "max_length" in q else DEFAULT_MAX_LENGTH.get(kind),
        show_if=None
        if show_if is None
        else ShowIf(show_if["question"], tuple(show_if.get("any_of") or [show_if["equals"]])),
        score=None if "score" not in q else _build_score(q["score"]),
        critical=tuple(_build_critical(c) for c in q.get("critical", ())),
    )


def _build_score(s: dict[str, Any]) -> Score:
    return Score(
        points=s.get("points", {}),
        ranges=tuple(
            PointRange(r.get("min"), r.get("max"), r["points"]) for r in s.get("ranges", ())
        ),
        not_applicable=tuple(s.get("not_applicable", ())),
        max=s.get("max"),
    )


def _build_critical(c: dict[str, Any]) -> Critical:
    when = c["when"]
    equals = when.get("any_of") or ([when["equals"]] if "equals" in when else [])
    return Critical(equals, when.get("min"), when.get("max"), c["severity"], c["finding"])


def to_dict(definition: Definition) -> dict[str, Any]:
    """A plain JSON-able dict in the YAML format that parses back to an equal Definition."""
    return _drop_empty(
        {
            "key": definition.key,
            "version": definition.version,
            "languages": list(definition.languages),
            "title": dict(definition.title),
            "intro": dict(definition.intro),
            "sections": [
                _drop_empty(
                    {
                        "key": s.key,
                        "title": dict(s.title),
                        "intro": dict(s.intro),
                        "questions": [_question_to_dict(q) for q in s.questions],
                        "weight": None if s.weight == 1 else _plain(s.weight),
                    }
                )
                for s in definition.sections
            ],
        }
    )


def _option_to_dict(option: Option) -> dict[str, Any]:
    exclusive = {"exclusive": True} if option.exclusive else {}
    return {"key": option.key, "label": dict(option.label), **exclusive}


def _question_to_dict(q: Question) -> dict[str, Any]:
    show_if: dict[str, Any] | None = None
    if q.show_if is not None:
        values = list(q.show_if.values)
        show_if = {"question": q.show_if.question}
        show_if.update({"equals": values[0]} if len(values) == 1 else {"any_of": values})
    return _drop_empty(
        {
            "key": q.key,
            "type": str(q.type),
            "label": dict(q.label),
            "help": dict(q.help),
            "required": q.required,
            "options": [_option_to_dict(o) for o in q.options],
            "unit": dict(q.unit),
            "min": q.min,
            "max": q.max,
            "integer": q.integer if q.type == QuestionType.NUMBER else None,
            "max_length": q.max_length,
            "show_if": show_if,
            "score": None if q.score is None else _score_to_dict(q.score),
            "critical": [_critical_to_dict(c) for c in q.critical],
        }
    )


def _score_to_dict(score: Score) -> dict[str, Any]:
    ranges = [
        _drop_empty({"min": _plain(r.min), "max": _plain(r.max), "points": _plain(r.points)})
        for r in score.ranges
    ]
    return _drop_empty(
        {
            "points": {key: _plain(value) for key, value in score.points.items()},
            "ranges": ranges,
            "not_applicable": list(score.not_applicable),
            "max": _plain(score.max),
        }
    )


def _critical_to_dict(critical: Critical) -> dict[str, Any]:
    values = list(critical.equals)
    when = {"equals": values[0]} if len(values) == 1 else {"any_of": values}
    if not values:
        when = _drop_empty({"min": _plain(critical.min), "max": _plain(critical.max)})
    return {"when": when, "severity": str(critical.severity), "finding": dict(critical.finding)}


def _plain(number: float | None) -> float | int | None:
    """Whole numbers as int, so that a written-out file reads 10, not 10.0."""
    return int(number) if number is not None and float(number).is_integer() else number


def _drop_empty(values: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value not in (None, {}, [])}
