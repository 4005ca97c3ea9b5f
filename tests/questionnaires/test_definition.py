import copy
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from portal.questionnaires.definition import (
    Definition,
    DefinitionError,
    QuestionType,
    ShowIf,
    definition_to_dict,
    parse_definition,
)

SAMPLE = Path(__file__).parents[2] / "questionnaires" / "supplier-self-assessment.yaml"
SCHEMA = Path(__file__).parents[2] / "portal" / "questionnaires" / "schema.json"
T = {"en": "Text", "fr": "Texte"}
DELETE = object()

GOOD = {
    "key": "supplier-check",
    "version": 1,
    "languages": ["en", "fr"],
    "title": {"en": "Check", "fr": "Contrôle"},
    "sections": [
        {
            "key": "workers",
            "title": T,
            "questions": [
                {"key": "employs_minors", "type": "yes_no", "label": T},
                {
                    "key": "workers_under_18",
                    "type": "number",
                    "label": T,
                    "unit": {"en": "workers", "fr": "travailleurs"},
                    "min": 0,
                    "max": 10000,
                    "integer": True,
                    "show_if": {"question": "employs_minors", "equals": "yes"},
                },
            ],
        },
        {
            "key": "environment",
            "title": T,
            "intro": T,
            "questions": [
                {
                    "key": "certifications",
                    "type": "multiple_choice",
                    "label": T,
                    "options": [{"key": "iso14001", "label": T}, {"key": "fsc", "label": T}],
                },
                {
                    "key": "audit_scope",
                    "type": "single_choice",
                    "label": T,
                    "required": False,
                    "options": [{"key": "site", "label": T}, {"key": "group", "label": T}],
                    "show_if": {"question": "certifications", "any_of": ["iso14001", "fsc"]},
                },
                {
                    "key": "audit_date",
                    "type": "date",
                    "label": T,
                    "show_if": {"question": "audit_scope", "equals": "site"},
                },
                {"key": "notes", "type": "short_text", "label": T, "help": T, "max_length": 120},
                {"key": "story", "type": "long_text", "label": T, "required": False},
            ],
        },
    ],
}


def changed(*changes: tuple[tuple, object]) -> dict:
    data = json.loads(json.dumps(GOOD))  # no shared dicts: changing one text changes one
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


def errors_of(source: dict | str | bytes) -> list[str]:
    if isinstance(source, dict):
        source = yaml.safe_dump(source, allow_unicode=True, sort_keys=False)
    with pytest.raises(DefinitionError) as caught:
        parse_definition(source)
    return caught.value.errors


def test_good_file_parses_with_defaults_filled_in():
    definition = parse_definition(yaml.safe_dump(GOOD, allow_unicode=True))
    assert definition.key == "supplier-check"
    assert definition.languages == ("en", "fr")
    assert [q.key for q in definition.questions()][:3] == [
        "employs_minors",
        "workers_under_18",
        "certifications",
    ]
    minors = definition.question("employs_minors")
    assert minors.type is QuestionType.YES_NO
    assert minors.required is True
    assert minors.help == {}
    assert minors.choices() == ("yes", "no")
    under_18 = definition.question("workers_under_18")
    assert (under_18.min, under_18.max, under_18.integer) == (0, 10000, True)
    assert under_18.show_if == ShowIf("employs_minors", ("yes",))
    assert definition.question("audit_scope").show_if.values == ("iso14001", "fsc")
    assert definition.question("audit_scope").required is False
    assert definition.question("notes").max_length == 120
    assert definition.question("story").max_length == 5000
    assert under_18.max_length is None
    with pytest.raises(KeyError):
        definition.question("nope")


def test_text_falls_back_from_locale_to_language_to_first_language():
    definition = Definition("k", 1, ("en", "pt"), {"en": "K", "pt": "K"})
    texts = {"en": "Hello", "pt": "Olá"}
    assert definition.text(texts, "pt_BR") == "Olá"
    assert definition.text(texts, "pt") == "Olá"
    assert definition.text(texts, "de") == "Hello"
    assert definition.text({}, "de") == ""


def test_sample_questionnaire_parses():
    if not SAMPLE.exists():
        pytest.skip("questionnaires/supplier-self-assessment.yaml is not written yet")
    definition = parse_definition(SAMPLE.read_bytes())
    assert parse_definition(yaml.safe_dump(definition_to_dict(definition))) == definition


def test_definition_to_dict_round_trips_and_is_json():
    definition = parse_definition(yaml.safe_dump(GOOD))
    as_dict = definition_to_dict(definition)
    json.dumps(as_dict)
    assert parse_definition(yaml.safe_dump(as_dict, allow_unicode=True)) == definition


def test_schema_file_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(json.loads(SCHEMA.read_text("utf-8")))


W = ("sections", 0)
E = ("sections", 1)
MINORS, UNDER_18 = (*W, "questions", 0), (*W, "questions", 1)
CERTS, SCOPE, NOTES = (*E, "questions", 0), (*E, "questions", 1), (*E, "questions", 3)
ONE_OPTION = [{"key": "only", "label": T}]


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("key",), "Bad Key", 'key: "Bad Key" is not a key of 3 to 64 lowercase letters'),
        (("version",), 0, "version: must be at least 1"),
        (("version",), "one", "version: must be a whole number, not text"),
        (("languages",), ["en", "EN"], 'languages › item 2: "EN" is not a language code'),
        (("languages",), [], "languages: must not be empty"),
        (("languages",), ["en", False], "languages › item 2: must be text, not true/false (YAML"),
        (("title",), DELETE, 'top level: missing "title"'),
        (("title",), "Check", "title: must give one text per language"),
        (("title", "fr"), DELETE, 'title: missing text for "fr"'),
        (("intro",), {"en": "Hi"}, 'intro: missing text for "fr"'),
        ((*W, "title", "fr"), "  ", 'section "workers" › title: empty text for "fr"'),
        ((*MINORS, "label", "de"), "x", 'question "employs_minors" › label: text in "de", which'),
        ((*MINORS, "label", "EN"), "x", 'label: the key "EN" is not a language code'),
        ((*MINORS, "colour"), "red", 'question "employs_minors": unknown field "colour"'),
        ((*MINORS, "type"), "yesno", 'question "employs_minors" › type: "yesno" is not one of'),
        ((*MINORS, "unit"), T, 'question "employs_minors" › unit: only number questions'),
        ((*E, "key"), "workers", 'section "workers" › key: "workers" is already used by section 1'),
        ((*CERTS, "key"), "employs_minors", "already used by question 1 of section 1"),
        ((*CERTS, "options", 1, "key"), "iso14001", 'option "iso14001" › key: "iso14001" is alre'),
        ((*CERTS, "options", 0, "label"), {"en": "x"}, 'option "iso14001" › label: missing text'),
        ((*CERTS, "options"), ONE_OPTION, 'question "certifications" › options: needs at least 2'),
        ((*CERTS, "options"), DELETE, 'question "certifications": missing "options"'),
        ((*UNDER_18, "options"), ONE_OPTION * 2, "options: only single_choice and multiple_choice"),
        ((*UNDER_18, "min"), 20000, 'question "workers_under_18" › min: 20000 is greater than max'),
        ((*UNDER_18, "max_length"), 10, "max_length: only short_text and long_text questions"),
        ((*NOTES, "max_length"), 0, 'question "notes" › max_length: must be at least 1'),
        ((*NOTES, "max_length"), 20001, 'question "notes" › max_length: must be at most 20000'),
        ((*W, "questions"), [], 'section "workers" › questions: must not be empty'),
        (("sections",), [], "sections: must not be empty"),
    ],
)
def test_malformed_definition_is_refused_naming_the_place(path, value, expected):
    errors = errors_of(changed((path, value)))
    assert any(expected in error for error in errors), errors


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (
            (*UNDER_18, "show_if", "question"),
            "employs_minor",
            'section "workers" › question "workers_under_18" › show_if: refers to "employs_minor",'
            " which is not an earlier question",
        ),
        ((*UNDER_18, "show_if", "question"), "certifications", "(it comes later: show_if can"),
        ((*UNDER_18, "show_if", "question"), "workers_under_18", "cannot depend on itself"),
        ((*SCOPE, "show_if"), {"question": "workers_under_18", "equals": "1"}, "a number question"),
        (
            (*UNDER_18, "show_if", "equals"),
            "maybe",
            'show_if › equals: "maybe" is not an answer of "employs_minors" (use one of: yes, no)',
        ),
        (
            (*SCOPE, "show_if", "any_of"),
            ["fsc", "iso9001"],
            'show_if › any_of › item 2: "iso9001" is not an answer of "certifications"',
        ),
        ((*UNDER_18, "show_if", "any_of"), ["yes"], 'use either "equals" or "any_of", not both'),
        ((*UNDER_18, "show_if", "equals"), DELETE, 'show_if: missing "equals" or "any_of"'),
        ((*UNDER_18, "show_if", "equals"), True, "show_if › equals: must be text, not true/false"),
    ],
)
def test_bad_show_if_is_refused_naming_the_place(path, value, expected):
    errors = errors_of(changed((path, value)))
    assert any(expected in error for error in errors), errors


def test_position_names_a_section_or_question_without_a_key():
    data = changed(((*E, "key"), DELETE), ((*E, "questions", 2, "key"), 3))
    del data["sections"][1]["questions"][2]["label"]["fr"]
    errors = errors_of(data)
    assert 'section 2 › question 3 › label: missing text for "fr"' in errors
    assert 'section 2: missing "key"' in errors


def test_all_errors_are_reported_at_once_in_file_order():
    errors = errors_of(
        changed(
            (("version",), 0),
            ((*MINORS, "label", "fr"), DELETE),
            ((*NOTES, "max_length"), 0),
            ((*UNDER_18, "show_if", "question"), "nope"),
        )
    )
    expected = ["version:", "employs_minors", "workers_under_18", "notes"]
    positions = [next(i for i, e in enumerate(errors) if part in e) for part in expected]
    assert positions == sorted(positions)
    assert len(errors) == 4


def test_the_same_problem_is_reported_once():
    data = changed(((*MINORS, "key"), DELETE), ((*MINORS, "type"), DELETE))
    errors = errors_of(data)
    assert errors.count('section "workers" › question 1: missing "key", "type"') == 1
    assert str(DefinitionError(["one", "two"])) == "one\ntwo"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("key: a\nsections:\n  - key: [b\n  title: c\n", "at line 4"),
        ("key: abc\nversion: 1\nkey: abd\n", 'line 3: "key" appears twice in the same mapping'),
        ("- one\n- two\n", "the top level must be a mapping (key: value lines), not a list"),
        ("just words", "the top level must be a mapping (key: value lines), not text"),
        ("", "the file is empty"),
        ("# only a comment\n", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a YAML file: it is not UTF-8 text"),
        ("a: !!python/object/apply:os.system [ls]\n", "YAML error at line 1"),
        ("title: " + "x" * (1024 * 1024), "the limit is 1 MB"),
        ("a: &a [*a]\n", "an alias refers to a value containing it"),
        ("[" * 5000, "nested too deeply"),
    ],
)
def test_unreadable_file_is_refused_with_one_clear_message(source, expected):
    errors = errors_of(source)
    assert len(errors) == 1
    assert expected in errors[0]


def test_alias_bomb_is_refused():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    assert "too many values" in errors_of("\n".join(lines))[0]


def test_utf8_bytes_with_bom_are_accepted():
    source = "\ufeff" + yaml.safe_dump(GOOD, allow_unicode=True)
    assert isinstance(parse_definition(source.encode("utf-8")), Definition)


def test_example_in_the_format_documentation_parses():
    doc = (Path(__file__).parents[2] / "docs" / "questionnaire-format.md").read_text("utf-8")
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert parse_definition(example).key == "supplier-check"


def test_definition_is_hashable_and_copyable_for_caching():
    definition = parse_definition(yaml.safe_dump(GOOD))
    assert copy.deepcopy(definition) == definition
    assert hash(definition) == hash(parse_definition(yaml.safe_dump(GOOD)))
