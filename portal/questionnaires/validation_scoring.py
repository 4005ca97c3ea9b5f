"""Checking section weights, scores and critical answers: the rules the JSON Schema cannot say.

Problems are added to `found` as (path in the data, message), like in validation.py, which
renders the path as "section "workers" › question "weekly_hours" › score › range 2".
"""

import math
from collections.abc import Callable, Iterable
from typing import Any

from portal.questionnaires.definition import YES_NO_ANSWERS, QuestionType

Where = tuple[str | int, ...]
Found = list[tuple[Where, str]]
CheckTexts = Callable[[Where, Any], None]

_SCORED = frozenset(
    {
        QuestionType.YES_NO,
        QuestionType.SINGLE_CHOICE,
        QuestionType.MULTIPLE_CHOICE,
        QuestionType.NUMBER,
    }
)
_TYPES = frozenset(t.value for t in QuestionType)
_ONLY_SCORED = "only yes_no, single_choice, multiple_choice and number questions can"


def answers_of(question: dict[str, Any]) -> list[Any]:
    """The answers a yes_no or choice question of the YAML data accepts."""
    if question.get("type") == QuestionType.YES_NO:
        return list(YES_NO_ANSWERS)
    options = question.get("options")
    options = options if isinstance(options, list) else []
    return [o.get("key") for o in options if isinstance(o, dict)]


def check_answers(
    found: Found, values: Iterable[tuple[Where, Any]], allowed: list[Any], of: str
) -> None:
    """Report each text value that is not one of the allowed answers of `of`."""
    for where, value in values:
        if isinstance(value, str) and value not in allowed:
            choices = ", ".join(str(a) for a in allowed)
            found.append((where, f'"{value}" is not an answer of {of} (use one of: {choices})'))


def check_condition(
    found: Found, where: Where, cond: dict[str, Any], allowed: list[Any] | None, of: str
) -> None:
    """Check {equals: v} or {any_of: [v, ...]}: one of the two, with answers from `allowed`."""
    if "equals" in cond and "any_of" in cond:
        found.append((where, 'use either "equals" or "any_of", not both'))
    elif "equals" not in cond and "any_of" not in cond:
        found.append((where, 'missing "equals" or "any_of"'))
    if allowed is not None:
        any_of = cond.get("any_of") if isinstance(cond.get("any_of"), list) else []
        values = [(where + ("equals",), cond.get("equals"))]
        values += [(where + ("any_of", i), v) for i, v in enumerate(any_of)]
        check_answers(found, values, allowed, of)


def _number(value: Any) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _show(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _finite(found: Found, where: Where, container: dict[str, Any], *names: str) -> bool:
    """Report infinite and NaN numbers (YAML's .inf and .nan); True when all are finite."""
    ok = True
    for name in names:
        number = _number(container.get(name))
        if number is not None and not math.isfinite(number):
            found.append((where + (name,), "must be a finite number"))
            ok = False
    return ok


def check_section(found: Found, where: Where, section: dict[str, Any]) -> None:
    """Check a section's weight (the schema already requires a number above 0)."""
    _finite(found, where, section, "weight")


def check_question(found: Found, texts: CheckTexts, where: Where, q: dict[str, Any]) -> None:
    """Check a question's score and critical answers against its type and answers."""
    kind = q.get("type") if q.get("type") in _TYPES else None
    if kind is not None and kind not in _SCORED:
        for name in ("score", "critical"):
            if name in q:
                found.append(
                    (where + (name,), f'a {kind} question cannot have "{name}": ' + _ONLY_SCORED)
                )
        return
    if isinstance(q.get("score"), dict):
        _check_score(found, where + ("score",), q["score"], kind, q)
    critical = q.get("critical")
    for i, item in enumerate(critical if isinstance(critical, list) else []):
        if isinstance(item, dict):
            _check_critical(found, texts, where + ("critical", i), item, kind, q)


def _check_score(found: Found, where: Where, score: dict[str, Any], kind: Any, q: dict) -> None:
    _finite(found, where, score, "max")
    if isinstance(score.get("ranges"), list):
        _check_ranges(found, where + ("ranges",), score["ranges"])
    if kind == QuestionType.NUMBER:
        if "points" in score:
            found.append((where + ("points",), 'a number question is scored with "ranges"'))
        if "not_applicable" in score:
            found.append(
                (
                    where + ("not_applicable",),
                    'only yes_no and choice questions can have "not_applicable"',
                )
            )
        if "ranges" not in score:
            found.append((where, 'missing "ranges": a number question scores by ranges'))
    elif kind is not None:
        if "ranges" in score:
            found.append(
                (
                    where + ("ranges",),
                    f'only number questions use "ranges"; a {kind} '
                    'question gives "points" to each answer',
                )
            )
        if "points" not in score:
            found.append((where, 'missing "points": give the points of each answer'))
        elif isinstance(score["points"], dict):
            _check_points(found, where, score, kind, q)
    if "max" in score and kind not in (None, QuestionType.MULTIPLE_CHOICE):
        found.append((where + ("max",), 'only multiple_choice questions can have "max"'))


def _check_points(found: Found, where: Where, score: dict, kind: Any, q: dict) -> None:
    points: dict[Any, Any] = score["points"]
    allowed = answers_of(q)
    listed = score.get("not_applicable")
    listed = listed if isinstance(listed, list) else []
    check_answers(found, ((where + ("points",), key) for key in points), allowed, "this question")
    check_answers(
        found,
        ((where + ("not_applicable", i), v) for i, v in enumerate(listed)),
        allowed,
        "this question",
    )
    for key in points:
        if key in listed:
            found.append(
                (where + ("points",), f'"{key}" is not applicable, so it cannot have points')
            )
    if not all(isinstance(key, str) for key in points) or not all(allowed):
        return  # the schema reports keys read as true/false, and keyless options
    missing = [a for a in allowed if a not in points and a not in listed]
    if missing:
        names = ", ".join(f'"{a}"' for a in missing)
        found.append(
            (
                where + ("points",),
                f"missing points for {names} (every answer that is not listed in "
                "not_applicable needs points)",
            )
        )
        return
    if allowed and all(a in listed for a in allowed):
        found.append((where + ("not_applicable",), "lists every answer: nothing is left to score"))
        return
    if not _finite(found, where + ("points",), points, *points):
        return
    values = [_number(points[a]) for a in allowed if a in points and a not in listed]
    if any(v is None for v in values):
        return
    best = _best(kind, q, points, listed, allowed)
    if best <= 0:
        found.append(
            (where + ("points",), "no answer gives any points: give the best answer more than 0")
        )
    cap = _number(score.get("max"))
    if kind == QuestionType.MULTIPLE_CHOICE and cap is not None and best > 0 and cap > best:
        found.append(
            (
                where + ("max",),
                f"{_show(cap)} is more than all options together give ({_show(best)})",
            )
        )


def _best(kind: Any, q: dict, points: dict, listed: list, allowed: list) -> float:
    """The most points an answer gives; exclusive options of a multiple_choice are alone."""
    counted = {a: _number(points[a]) for a in allowed if a in points and a not in listed}
    if kind != QuestionType.MULTIPLE_CHOICE:
        return max(counted.values())
    options = q.get("options") if isinstance(q.get("options"), list) else []
    alone = {o.get("key") for o in options if isinstance(o, dict) and o.get("exclusive") is True}
    together = sum(v for a, v in counted.items() if v > 0 and a not in alone)
    return max(together, max((v for a, v in counted.items() if a in alone), default=0.0))


def _check_ranges(found: Found, where: Where, ranges: list[Any]) -> None:
    spans: list[tuple[int, float, float]] = []
    points: list[float] = []
    for i, span in enumerate(ranges):
        if not isinstance(span, dict):
            continue
        if not _finite(found, where + (i,), span, "min", "max", "points"):
            continue
        low, high = _number(span.get("min")), _number(span.get("max"))
        if _number(span.get("points")) is not None:
            points.append(span["points"])
        if low is not None and high is not None and low >= high:
            found.append(
                (where + (i,), f"min ({_show(low)}) must be less than max ({_show(high)})")
            )
            continue
        low = -math.inf if low is None else low
        high = math.inf if high is None else high
        for j, other_low, other_high in spans:
            if low < other_high and other_low < high:
                found.append(
                    (where + (i,), f"overlaps range {j + 1}: an answer can fall in only one range")
                )
                break
        spans.append((i, low, high))
    if points and len(points) == len(ranges) and max(points) <= 0:
        found.append((where, "no range gives any points: give the best range more than 0"))


def _check_critical(
    found: Found, texts: CheckTexts, where: Where, item: dict[str, Any], kind: Any, q: dict
) -> None:
    texts(where + ("finding",), item.get("finding"))
    when = item.get("when")
    if not isinstance(when, dict):
        return
    where = where + ("when",)
    finite = _finite(found, where, when, "min", "max")
    if kind == QuestionType.NUMBER:
        used = [name for name in ("equals", "any_of") if name in when]
        if used:
            found.append((where, f'use "min" and/or "max" for a number question, not "{used[0]}"'))
        elif "min" not in when and "max" not in when:
            found.append((where, 'missing "min" or "max"'))
        low, high = _number(when.get("min")), _number(when.get("max"))
        if finite and low is not None and high is not None and low >= high:
            found.append((where, f"min ({_show(low)}) must be less than max ({_show(high)})"))
    elif kind is not None:
        used = [name for name in ("min", "max") if name in when]
        if used:
            found.append(
                (where, f'use "equals" or "any_of" for a {kind} question, not "{used[0]}"')
            )
        if not used or "equals" in when or "any_of" in when:
            check_condition(found, where, when, answers_of(q), "this question")
