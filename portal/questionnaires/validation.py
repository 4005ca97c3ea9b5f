"""Validating a questionnaire definition file: every problem, named by its place."""

import json
import math
import re
from pathlib import Path
from typing import Any, NoReturn

import jsonschema
import yaml

from portal.questionnaires import validation_scoring as scoring
from portal.questionnaires.definition import DEFAULT_MAX_LENGTH, DefinitionError, QuestionType

# Validation. Every problem is collected as (path in the data, message) and rendered at the end
# as "section "workers" › question 3 › label: message", in file order, without duplicates.

MAX_SOURCE_BYTES = 1024 * 1024
_MAX_NODES = 1_000_000  # more than any 1 MB file holds without aliases: refuses "billion laughs"
_SCHEMA = json.loads(Path(__file__).with_name("schema.json").read_text("utf-8"))
_VALIDATOR = jsonschema.Draft202012Validator(_SCHEMA)
_LANGUAGE = re.compile(_SCHEMA["$defs"]["language"]["pattern"])
_TYPES = frozenset(t.value for t in QuestionType)
_CHOICE = frozenset({QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE})
_TEXT = frozenset(DEFAULT_MAX_LENGTH)
_NAMED = {
    "sections": "section",
    "questions": "question",
    "options": "option",
    "critical": "critical answer",
    "ranges": "range",
}
_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "text",
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
}
_BOOL_HINT = " (YAML reads unquoted yes, no, on and off as true/false: put the value in quotes)"

Where = tuple[str | int, ...]
Found = list[tuple[Where, str]]


def _fail(message: str) -> NoReturn:
    raise DefinitionError([message])


def load_yaml(source: str | bytes) -> dict[str, Any]:
    raw = source.encode("utf-8", "surrogatepass") if isinstance(source, str) else bytes(source)
    if len(raw) > MAX_SOURCE_BYTES:
        _fail(f"the file is {len(raw):,} bytes; the limit is 1 MB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _fail(f"not a YAML file: it is not UTF-8 text (bad byte at position {exc.start + 1})")
    try:
        loader = yaml.SafeLoader(text)  # parsed once: checked as nodes, then built from them
        try:
            root = loader.get_single_node()
            _check_nodes(root)
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        _fail(f"YAML error{at}: {exc.problem or exc.context}")
    except yaml.YAMLError as exc:
        _fail(f"not a YAML file: {exc}")
    except RecursionError:
        _fail("the file is nested too deeply")
    if data is None:
        _fail("the file is empty")
    if not isinstance(data, dict):
        _fail(f"the top level must be a mapping (key: value lines), not {_describe(data)}")
    return data


def _check_nodes(root: yaml.Node | None) -> None:
    """Refuse duplicate keys (safe_load silently keeps the last) and runaway aliases."""
    sizes: dict[int, int] = {}
    duplicates: list[str] = []

    def size(node: yaml.Node) -> int:
        if id(node) in sizes:
            if sizes[id(node)] < 0:
                _fail(f"line {node.start_mark.line + 1}: an alias refers to a value containing it")
            return sizes[id(node)]
        sizes[id(node)] = -1
        total = 1
        if isinstance(node, yaml.MappingNode):
            seen: dict[tuple[str, str], int] = {}
            for key, value in node.value:
                line = key.start_mark.line + 1
                ident = (key.tag, key.value)
                if isinstance(key, yaml.ScalarNode) and not key.tag.endswith(":merge"):
                    if ident in seen:
                        duplicates.append(
                            f'line {line}: "{key.value}" appears twice in the same '
                            f"mapping (first on line {seen[ident]})"
                        )
                    seen.setdefault(ident, line)
                total += size(key) + size(value)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(item) for item in node.value)
        sizes[id(node)] = total
        return total

    if root is not None and size(root) > _MAX_NODES:
        _fail("the file expands to too many values: check its anchors and aliases")
    if duplicates:
        raise DefinitionError(duplicates)


def problems(data: dict[str, Any]) -> list[str]:
    found: Found = [
        (tuple(e.absolute_path), _schema_message(e)) for e in _VALIDATOR.iter_errors(data)
    ]
    found += _ruleproblems(data)
    found.sort(key=lambda item: _position(data, item[0]))
    return list(dict.fromkeys(f"{_place(data, where)}: {message}" for where, message in found))


def _get(node: Any, step: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(step)
    if isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
        return node[step]
    return None


def _position(data: Any, where: Where) -> list[int]:
    node, position = data, []
    for step in where:
        keys = list(node) if isinstance(node, dict) else []
        position.append(keys.index(step) if step in keys else step if isinstance(step, int) else 0)
        node = _get(node, step)
    return position


def _place(data: Any, where: Where) -> str:
    parts, node, i = [], data, 0
    while i < len(where):
        step, child = where[i], _get(node, where[i])
        if step in _NAMED and isinstance(child, list) and i + 1 < len(where):
            index = where[i + 1]
            item = _get(child, index)
            key = item.get("key") if isinstance(item, dict) else None
            name = f'"{key}"' if isinstance(key, str) else f"{int(index) + 1}"
            parts.append(f"{_NAMED[str(step)]} {name}")
            node, i = item, i + 2
            continue
        parts.append(f"item {step + 1}" if isinstance(node, list) else str(step))
        node, i = child, i + 1
    return " › ".join(parts) or "top level"


def _describe(value: Any) -> str:
    kinds = (
        (bool, "true/false"),
        (dict, "a mapping"),
        (list, "a list"),
        (str, "text"),
        (int, "a whole number"),
        (float, "a number"),
    )
    if value is None:
        return "empty"
    return next((name for kind, name in kinds if isinstance(value, kind)), type(value).__name__)


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "…"


def _schema_message(error: jsonschema.ValidationError) -> str:
    kind, expected, value, schema = (
        error.validator,
        error.validator_value,
        error.instance,
        error.schema,
    )
    hint = _BOOL_HINT if isinstance(value, bool) else ""
    if "propertyNames" in error.absolute_schema_path:
        return f"the key {_show(value)} is not {schema.get('description', 'allowed')}{hint}"
    if kind == "required":
        return "missing " + ", ".join(f'"{name}"' for name in expected if name not in value)
    if kind == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        unknown = [_show(k) for k in value if k not in allowed]
        plural = "s" if len(unknown) > 1 else ""
        return f"unknown field{plural} {', '.join(unknown)} (allowed: {', '.join(allowed)})"
    if kind == "type" and "propertyNames" in schema:
        return f"must give one text per language, like {{en: ..., fr: ...}}, not {_describe(value)}"
    if kind == "type":
        hint = hint if expected == "string" else ""
        return f"must be {_TYPE_NAMES.get(expected, expected)}, not {_describe(value)}{hint}"
    if kind == "enum":
        return f"{_show(value)} is not one of: {', '.join(map(str, expected))}{hint}"
    if kind == "pattern":
        return f"{_show(value)} is not {schema.get('description', 'in the expected form')}"
    if kind == "minItems":
        return "must not be empty" if expected == 1 else f"needs at least {expected} entries"
    messages = {
        "uniqueItems": "lists the same value more than once",
        "minimum": f"must be at least {expected}",
        "maximum": f"must be at most {expected}",
        "exclusiveMinimum": f"must be more than {expected}",
        "minProperties": "must not be empty",
    }
    return messages.get(kind, error.message)


def _items(container: dict[str, Any], name: str) -> list[tuple[int, dict[str, Any]]]:
    items = container.get(name)
    return (
        [(i, x) for i, x in enumerate(items) if isinstance(x, dict)]
        if isinstance(items, list)
        else []
    )


def _unique(found: Found, where: Where, key: Any, seen: dict[str, str], label: str) -> None:
    if isinstance(key, str) and key in seen:
        found.append((where + ("key",), f'"{key}" is already used by {seen[key]}'))
    elif isinstance(key, str):
        seen[key] = label


def _ruleproblems(data: dict[str, Any]) -> Found:
    found: Found = []
    listed = data.get("languages")
    languages = [x for x in listed if isinstance(x, str)] if isinstance(listed, list) else []

    def texts(where: Where, value: Any) -> None:
        if not languages or not isinstance(value, dict):
            return
        for language in languages:
            if language not in value:
                found.append((where, f'missing text for "{language}"'))
            elif isinstance(value[language], str) and not value[language].strip():
                found.append((where, f'empty text for "{language}"'))
        for language in value:
            if (
                isinstance(language, str)
                and _LANGUAGE.match(language)
                and language not in languages
            ):
                found.append((where, f'text in "{language}", which is not listed in languages'))

    texts(("title",), data.get("title"))
    texts(("intro",), data.get("intro"))
    all_keys = {
        q.get("key") for _, s in _items(data, "sections") for _, q in _items(s, "questions")
    }
    section_labels: dict[str, str] = {}
    question_labels: dict[str, str] = {}
    earlier: dict[str, dict[str, Any]] = {}
    for si, section in _items(data, "sections"):
        where: Where = ("sections", si)
        _unique(found, where, section.get("key"), section_labels, f"section {si + 1}")
        texts(where + ("title",), section.get("title"))
        texts(where + ("intro",), section.get("intro"))
        scoring.check_section(found, where, section)
        for qi, question in _items(section, "questions"):
            qwhere = where + ("questions", qi)
            _check_question(found, texts, qwhere, question)
            scoring.check_question(found, texts, qwhere, question)
            if isinstance(question.get("show_if"), dict):
                own = question.get("key")
                _check_show_if(
                    found, qwhere + ("show_if",), question["show_if"], own, earlier, all_keys
                )
            label = f"question {qi + 1} of section {si + 1}"
            _unique(found, qwhere, question.get("key"), question_labels, label)
            if isinstance(question.get("key"), str):
                earlier.setdefault(question["key"], question)
    return found


def _check_question(found: Found, texts: Any, where: Where, q: dict[str, Any]) -> None:
    for name in ("label", "help", "unit"):
        texts(where + (name,), q.get(name))
    option_labels: dict[str, str] = {}
    for oi, option in _items(q, "options"):
        texts(where + ("options", oi, "label"), option.get("label"))
        _unique(
            found, where + ("options", oi), option.get("key"), option_labels, f"option {oi + 1}"
        )
    kind = q.get("type") if q.get("type") in _TYPES else None
    if kind is not None and "options" in q and kind not in _CHOICE:
        found.append(
            (
                where + ("options",),
                "only single_choice and multiple_choice questions can have options",
            )
        )
    if kind in _CHOICE and "options" not in q:
        found.append((where, f'missing "options": a {kind} question needs at least 2'))
    _check_exclusive(found, where, q, kind)
    for name in ("unit", "min", "max", "integer"):
        if kind is not None and name in q and kind != QuestionType.NUMBER:
            found.append((where + (name,), f'only number questions can have "{name}"'))
    if kind is not None and "max_length" in q and kind not in _TEXT:
        found.append(
            (
                where + ("max_length",),
                'only short_text and long_text questions can have "max_length"',
            )
        )
    low, high = (
        x if isinstance(x, int | float) and not isinstance(x, bool) else None
        for x in (q.get("min"), q.get("max"))
    )
    for name, number in (("min", low), ("max", high)):
        if number is not None and not math.isfinite(number):
            found.append((where + (name,), "must be a finite number"))
    if low is not None and high is not None and low > high:
        found.append((where + ("min",), f"{low} is greater than max ({high})"))


def _check_exclusive(found: Found, where: Where, q: dict[str, Any], kind: Any) -> None:
    options = [(oi, o) for oi, o in _items(q, "options") if o.get("exclusive") is True]
    if not options:
        return
    if kind is not None and kind != QuestionType.MULTIPLE_CHOICE:
        for oi, _option in options:
            found.append(
                (
                    where + ("options", oi, "exclusive"),
                    "only options of multiple_choice questions can be exclusive "
                    "(every answer of a single_choice question is already given alone)",
                )
            )
        return
    combinable = [o for _oi, o in _items(q, "options") if o.get("exclusive") is not True]
    if kind == QuestionType.MULTIPLE_CHOICE and len(combinable) < 2:
        found.append(
            (
                where + ("options",),
                "at least 2 options must not be exclusive, or nothing can be ticked together: "
                "make it a single_choice question",
            )
        )


def _check_show_if(
    found: Found,
    where: Where,
    cond: dict[str, Any],
    own: Any,
    earlier: dict[str, dict[str, Any]],
    all_keys: set[Any],
) -> None:
    ref = cond.get("question")
    target = earlier.get(ref) if isinstance(ref, str) else None
    if isinstance(ref, str) and target is None:
        hint = (
            " (a question cannot depend on itself)"
            if ref == own
            else " (it comes later: show_if can only use an earlier question)"
            if ref in all_keys
            else ""
        )
        found.append((where, f'refers to "{ref}", which is not an earlier question{hint}'))
    kind = target.get("type") if target is not None else None
    choice = kind in _CHOICE or kind == QuestionType.YES_NO
    if kind in _TYPES and not choice:
        found.append(
            (
                where,
                f'refers to "{ref}", a {kind} question: only yes_no, '
                "single_choice and multiple_choice questions can be used",
            )
        )
    allowed = scoring.answers_of(target) if target is not None and choice else None
    scoring.check_condition(found, where, cond, allowed, f'"{ref}"')
