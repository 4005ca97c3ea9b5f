import copy
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from portal.questionnaires.definition import (
    Critical,
    DefinitionError,
    PointRange,
    QuestionType,
    Score,
    Severity,
    definition_to_dict,
    parse_definition,
)

ROOT = Path(__file__).parents[2]
SAMPLE = ROOT / "questionnaires" / "supplier-self-assessment.yaml"
FINDING = {"en": "Exits are locked.", "fr": "Les sorties sont fermées."}
DELETE = object()


GOOD = yaml.safe_load(
    """
key: supplier-check
version: 1
languages: [en, fr]
title: &text {en: Text, fr: Texte}
sections:
  - key: workers
    title: *text
    weight: 1.5
    questions:
      - key: contracts
        type: single_choice
        label: *text
        options: [{key: all, label: *text}, {key: some, label: *text}, {key: none, label: *text}]
        score: {points: {all: 10, some: 4, none: 0}}
      - key: equipment
        type: single_choice
        label: *text
        options:
          - {key: given, label: *text}
          - {key: not_given, label: *text}
          - {key: not_needed, label: *text}
        score: {points: {given: 10, not_given: 0}, not_applicable: [not_needed]}
      - key: hours
        type: number
        label: *text
        score:
          ranges: [{max: 49, points: 10}, {min: 49, max: 61, points: 5}, {min: 61, points: 0}]
        critical:
          - when: {min: 61}
            severity: high
            finding: &finding {en: Exits are locked., fr: Les sorties sont fermées.}
      - key: exits
        type: yes_no
        label: *text
        score: {points: {"yes": 10, "no": 0}}
        critical: [{when: {equals: "no"}, severity: critical, finding: *finding}]
  - key: environment
    title: *text
    questions:
      - key: waste
        type: multiple_choice
        label: *text
        options:
          - {key: sorted, label: *text}
          - {key: collected, label: *text}
          - {key: burned, label: *text}
          - {key: dumped, label: *text}
        score: {points: {sorted: 4, collected: 3, burned: 0, dumped: 0}, max: 5}
        critical: [{when: {any_of: [burned, dumped]}, severity: medium, finding: *finding}]
      - {key: rule, type: yes_no, label: *text}
      - {key: notes, type: short_text, label: *text, required: false}
      - {key: audit, type: date, label: *text, required: false}
"""
)
W, E = ("sections", 0), ("sections", 1)
CONTRACTS, EQUIPMENT, HOURS, EXITS = ((*W, "questions", i) for i in range(4))
WASTE, RULE, NOTES, AUDIT = ((*E, "questions", i) for i in range(4))


def changed(*changes: tuple[tuple, object]) -> dict:
    data = json.loads(json.dumps(GOOD))
    for path, value in changes:
        *parents, last = path
        target = data
        for step in parents:
            target = target[step]
        if value is DELETE:
            del target[last]
        else:
            target[last] = value
    return data


def parsed(data: dict):
    return parse_definition(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def errors_of(data: dict | str) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data) if isinstance(data, str) else parsed(data)
    return caught.value.errors


def test_good_file_parses_with_scores_weights_and_critical_answers():
    definition = parsed(GOOD)
    assert [s.weight for s in definition.sections] == [1.5, 1.0]
    contracts = definition.question("contracts")
    assert contracts.score == Score(points={"all": 10, "some": 4, "none": 0})
    assert contracts.critical == ()
    equipment = definition.question("equipment").score
    assert equipment.not_applicable == ("not_needed",)
    assert dict(equipment.points) == {"given": 10.0, "not_given": 0.0}
    hours = definition.question("hours")
    assert hours.score.points == {}
    assert hours.score.ranges == (
        PointRange(None, 49, 10),
        PointRange(49, 61, 5),
        PointRange(61, None, 0),
    )
    assert hours.critical == (Critical(min=61, severity=Severity.HIGH, finding=FINDING),)
    exits = definition.question("exits").critical[0]
    assert (exits.equals, exits.min, exits.max) == (("no",), None, None)
    assert exits.severity is Severity.CRITICAL
    assert exits.finding["fr"] == "Les sorties sont fermées."
    waste = definition.question("waste")
    assert waste.score.max == 5
    assert waste.critical[0].equals == ("burned", "dumped")
    assert waste.critical[0].severity == "medium"
    for key in ("rule", "notes", "audit"):
        assert definition.question(key).score is None
        assert definition.question(key).critical == ()


def test_max_points_of_each_question_type():
    definition = parsed(GOOD)

    def best(key: str) -> float:
        question = definition.question(key)
        return question.score.max_points(question.type)

    assert best("contracts") == 10
    assert best("equipment") == 10
    assert best("hours") == 10
    assert best("exits") == 10
    assert best("waste") == 5
    uncapped = Score(points={"sorted": 4, "collected": 3, "burned": 0})
    assert uncapped.max_points(QuestionType.MULTIPLE_CHOICE) == 7
    assert uncapped.max_points("single_choice") == 4
    assert Score(points={"a": 2, "b": 9}, not_applicable=("b",)).max_points("yes_no") == 2


def test_definition_to_dict_round_trips_the_new_fields():
    definition = parsed(GOOD)
    as_dict = definition_to_dict(definition)
    json.dumps(as_dict)
    assert parsed(as_dict) == definition
    workers, environment = as_dict["sections"]
    assert workers["weight"] == 1.5
    assert "weight" not in environment
    hours = workers["questions"][2]
    assert hours["score"] == GOOD["sections"][0]["questions"][2]["score"]
    assert hours["critical"] == [{"when": {"min": 61}, "severity": "high", "finding": FINDING}]
    assert workers["questions"][3]["critical"][0]["when"] == {"equals": "no"}
    assert environment["questions"][0] == {**GOOD["sections"][1]["questions"][0], "required": True}
    assert "score" not in environment["questions"][1]
    assert "critical" not in environment["questions"][1]


def test_definition_with_scoring_is_hashable_and_copyable():
    definition = parsed(GOOD)
    assert copy.deepcopy(definition) == definition
    assert hash(definition) == hash(parsed(GOOD))
    assert hash(definition.question("waste").score) == hash(parsed(GOOD).question("waste").score)


@pytest.mark.parametrize(
    ("span", "inside", "outside"),
    [
        (PointRange(None, 49, 1), [48.99, 0, -1000], [49, 49.5]),
        (PointRange(49, 61, 1), [49, 60.5, 60.999], [48.99, 61, 70]),
        (PointRange(61, None, 1), [61, 61.0, 10**9], [60.999]),
        (PointRange(None, None, 1), [0, -1.5, 10**9], [None, True, "5", [5]]),
    ],
)
def test_point_range_holds_min_but_not_max(span, inside, outside):
    assert [span.contains(value) for value in inside] == [True] * len(inside)
    assert [span.contains(value) for value in outside] == [False] * len(outside)


@pytest.mark.parametrize(
    ("critical", "matching", "not_matching"),
    [
        (Critical(equals=("no",)), ["no", ["no"]], ["yes", None, "", False, []]),
        (
            Critical(equals=("burned", "dumped")),
            ["burned", "dumped", ["sorted", "dumped"], ("burned",)],
            ["sorted", ["sorted", "collected"], [], 3, None],
        ),
        (Critical(min=61), [61, 61.0, 100], [60.9, 0, None, "61", True, ["61"]]),
        (Critical(max=1), [0, -5, 0.99], [1, 1.5, None]),
        (Critical(min=1, max=3), [1, 2.5], [0.99, 3, None]),
    ],
)
def test_critical_matches_stored_answers(critical, matching, not_matching):
    assert [critical.matches(value) for value in matching] == [True] * len(matching)
    assert [critical.matches(value) for value in not_matching] == [False] * len(not_matching)


def test_critical_and_score_fields_are_normalised():
    critical = Critical(equals=["no"], severity="critical", finding={"en": "x"})
    assert critical.equals == ("no",)
    assert critical.severity is Severity.CRITICAL
    assert isinstance(hash(critical), int)
    assert PointRange(1, 2, 3) == PointRange(1.0, 2.0, 3.0)
    with pytest.raises(ValueError, match="fatal"):
        Critical(severity="fatal")


def at(path: tuple, *rest: str | int) -> tuple:
    return (*path, *rest)


CONTRACT_POINTS, HOURS_RANGES = at(CONTRACTS, "score", "points"), at(HOURS, "score", "ranges")
NA, HOURS_WHEN = at(EQUIPMENT, "score", "not_applicable"), at(HOURS, "critical", 0, "when")
EXITS_FLAG = at(EXITS, "critical", 0)
RANGES_49_0 = [{"max": 49, "points": 0}, {"min": 49, "points": 0}]
CRITICAL_NOTE = [{"when": {"equals": "x"}, "severity": "low", "finding": FINDING}]


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (
            at(NOTES, "score"),
            {"points": {"a": 1}},
            'question "notes" › score: a short_text question cannot have "score": '
            "only yes_no, single_choice, multiple_choice and number questions can",
        ),
        (at(AUDIT, "score"), {"points": {"a": 1}}, 'a date question cannot have "score"'),
        (at(NOTES, "critical"), CRITICAL_NOTE, 'a short_text question cannot have "critical"'),
        (at(AUDIT, "critical"), [], 'question "audit" › critical: must not be empty'),
        (CONTRACT_POINTS, DELETE, 'question "contracts" › score: missing "points"'),
        (
            at(CONTRACTS, "score", "ranges"),
            [{"points": 1}],
            "score › ranges: only number questions",
        ),
        (
            at(CONTRACT_POINTS, "maybe"),
            1,
            'score › points: "maybe" is not an answer of this question '
            "(use one of: all, some, none)",
        ),
        (at(CONTRACT_POINTS, "some"), DELETE, 'score › points: missing points for "some" (every'),
        (at(CONTRACT_POINTS, "some"), -1, "score › points › some: must be at least 0"),
        (at(CONTRACT_POINTS, "some"), "4", "score › points › some: must be a number, not text"),
        (CONTRACT_POINTS, {}, 'question "contracts" › score › points: must not be empty'),
        (CONTRACT_POINTS, {"all": 0, "some": 0, "none": 0}, "points: no answer gives any points"),
        (at(CONTRACTS, "score", "colour"), 1, 'score: unknown field "colour"'),
        (at(CONTRACTS, "score", "max"), 5, "score › max: only multiple_choice questions can have"),
        (NA, ["not_needed", "never"], 'not_applicable › item 2: "never" is not an answer of this'),
        (
            at(EQUIPMENT, "score", "points", "not_needed"),
            0,
            'question "equipment" › score › points: '
            '"not_needed" is not applicable, so it cannot have points',
        ),
        (NA, ["given", "not_given", "not_needed"], "not_applicable: lists every answer: nothing"),
        (
            at(EXITS, "score", "points"),
            {True: 10, False: 0},
            'question "exits" › score › points: the key true is not an answer: '
            '"yes", "no" or an option key (YAML reads unquoted yes',
        ),
        (at(EXITS, "score", "points"), {"yes": 10}, 'missing points for "no"'),
        (at(WASTE, "score", "max"), 0, 'question "waste" › score › max: must be more than 0'),
        (at(WASTE, "score", "max"), 8, "score › max: 8 is more than all options together give (7)"),
        (HOURS_RANGES, DELETE, 'question "hours" › score: missing "ranges"'),
        (HOURS_RANGES, [], 'question "hours" › score › ranges: must not be empty'),
        (at(HOURS, "score", "points"), {"yes": 1}, "score › points: a number question is scored"),
        (at(HOURS, "score", "not_applicable"), ["0"], "only yes_no and choice questions can have"),
        (at(HOURS_RANGES, 1, "min"), 70, "score › range 2: min (70) must be less than max (61)"),
        (at(HOURS_RANGES, 1, "min"), 40, "score › range 2: overlaps range 1: an answer can fall"),
        (at(HOURS_RANGES, 2, "min"), DELETE, "score › range 3: overlaps range 1"),
        (at(HOURS_RANGES, 0, "points"), -5, "score › range 1 › points: must be at least 0"),
        (at(HOURS_RANGES, 0, "points"), DELETE, 'score › range 1: missing "points"'),
        (HOURS_RANGES, RANGES_49_0, 'question "hours" › score › ranges: no range gives any'),
        (
            HOURS_WHEN,
            {"equals": "61"},
            'question "hours" › critical answer 1 › when: '
            'use "min" and/or "max" for a number question, not "equals"',
        ),
        (HOURS_WHEN, {}, 'critical answer 1 › when: missing "min" or "max"'),
        (HOURS_WHEN, {"min": 61, "max": 50}, "when: min (61) must be less than max (50)"),
        (
            at(EXITS_FLAG, "when"),
            {"min": 1},
            'question "exits" › critical answer 1 › when: '
            'use "equals" or "any_of" for a yes_no question, not "min"',
        ),
        (
            at(EXITS_FLAG, "when", "equals"),
            "maybe",
            'critical answer 1 › when › equals: "maybe" is not an answer of this question '
            "(use one of: yes, no)",
        ),
        (at(EXITS_FLAG, "when", "equals"), False, "when › equals: must be text, not true/false"),
        (at(EXITS_FLAG, "when"), {}, 'critical answer 1 › when: missing "equals" or "any_of"'),
        (
            at(EXITS_FLAG, "when", "any_of"),
            ["no"],
            'when: use either "equals" or "any_of", not both',
        ),
        (
            at(WASTE, "critical", 0, "when", "any_of"),
            ["burned", "buried"],
            'question "waste" › critical answer 1 › when › any_of › item 2: '
            '"buried" is not an answer of this question',
        ),
        (at(EXITS_FLAG, "severity"), "fatal", 'severity: "fatal" is not one of: low, medium, high'),
        (at(EXITS_FLAG, "severity"), DELETE, 'critical answer 1: missing "severity"'),
        (at(EXITS_FLAG, "finding"), DELETE, 'critical answer 1: missing "finding"'),
        (at(EXITS_FLAG, "finding"), {"en": "x"}, "critical answer 1 › finding: missing text for"),
        (at(EXITS_FLAG, "finding", "fr"), " ", 'finding: empty text for "fr"'),
        (at(EXITS_FLAG, "finding", "de"), "x", 'finding: text in "de", which is not listed'),
        (at(W, "weight"), 0, 'section "workers" › weight: must be more than 0'),
        (at(W, "weight"), "heavy", 'section "workers" › weight: must be a number, not text'),
    ],
)
def test_bad_scoring_is_refused_naming_the_place(path, value, expected):
    errors = errors_of(changed((path, value)))
    assert any(expected in error for error in errors), errors


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("weight: 1.5", "weight: .inf", 'section "workers" › weight: must be a finite number'),
        ("given: 10", "given: .nan", "score › points › given: must be a finite number"),
        ("max: 5", "max: .inf", 'question "waste" › score › max: must be a finite number'),
        ("max: 49", "max: .nan", "score › range 1 › max: must be a finite number"),
        ("min: 61\n      severity", "min: -.inf\n      severity", "when › min: must be a finite"),
    ],
)
def test_infinite_numbers_are_refused(old, new, expected):
    source = yaml.safe_dump(GOOD, sort_keys=False, default_flow_style=False, width=1000)
    source = source.replace(old, new, 1)
    assert new in source
    errors = errors_of(source)
    assert any(expected in error for error in errors), errors


def test_every_scoring_problem_is_reported_at_once_in_file_order():
    errors = errors_of(
        changed(
            (at(CONTRACT_POINTS, "some"), DELETE),
            (at(HOURS_RANGES, 1, "min"), 40),
            (at(EXITS_FLAG, "when", "equals"), "maybe"),
            (at(WASTE, "score", "max"), 8),
        )
    )
    assert len(errors) == 4, errors
    order = ['"contracts"', '"hours"', '"exits"', '"waste"']
    assert [next(i for i, e in enumerate(errors) if name in e) for name in order] == [0, 1, 2, 3]


def load_sample():
    return parse_definition(SAMPLE.read_bytes())


def test_sample_questionnaire_is_scored_and_has_at_least_five_critical_answers():
    definition = load_sample()
    criticals = [(q, c) for q in definition.questions() for c in q.critical]
    assert len(criticals) >= 5
    assert {c.severity for _, c in criticals} >= {Severity.CRITICAL, Severity.HIGH}
    for question, critical in criticals:
        assert set(critical.finding) == set(definition.languages), question.key
        assert all(len(text) > 40 for text in critical.finding.values()), question.key
    scorable = [q for q in definition.questions() if q.type in {"yes_no", "number"} or q.options]
    assert sum(q.score is not None for q in scorable) > len(scorable) / 2
    for question in definition.questions():
        if question.type in {"date", "short_text", "long_text"}:
            assert question.score is None
            assert question.critical == ()
    assert definition.question("protective_equipment").score.not_applicable == ("not_needed",)
    hours = definition.question("weekly_hours")
    assert hours.score.ranges[0].contains(40)
    assert not hours.score.ranges[0].contains(49)
    assert any(c.matches(61) for c in hours.critical)
    assert not any(c.matches(60) for c in hours.critical)
    assert definition.question("emergency_exits").critical[0].matches("no")
    assert definition.question("emergency_exits").critical[0].severity is Severity.CRITICAL
    assert definition.version == 1
    assert parsed(definition_to_dict(definition)) == definition


def test_sample_questionnaire_follows_the_json_schema():
    schema = json.loads((ROOT / "portal" / "questionnaires" / "schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(yaml.safe_load(SAMPLE.read_text("utf-8")), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(changed((at(HOURS, "score", "step"), 1)), schema)


@pytest.mark.parametrize("heading", ["## Scoring", "## Critical answers"])
def test_examples_in_the_format_documentation_parse(heading):
    doc = (ROOT / "docs" / "questionnaire-format.md").read_text("utf-8")
    example = doc.split(f"\n{heading}\n", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    data = changed()
    data["sections"][1]["questions"] = yaml.safe_load(example)
    definition = parsed(data)
    assert any(q.score or q.critical for q in definition.sections[1].questions)
