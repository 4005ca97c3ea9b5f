import pytest
from flask import Flask
from flask_babel import Babel

from portal.questionnaires.answers import (
    AnswerInvalid,
    field_name,
    is_question_visible,
    is_visible,
    missing_required,
    parse_answer,
    visible_questions,
)
from portal.questionnaires.definition import Option, Question, QuestionType, parse_definition

L = {"en": "Label"}
YES_NO = Question("employs_minors", QuestionType.YES_NO, L)
SINGLE = Question(
    "scope", QuestionType.SINGLE_CHOICE, L, options=(Option("site", L), Option("group", L))
)
MULTI = Question(
    "certs", QuestionType.MULTIPLE_CHOICE, L, options=(Option("iso14001", L), Option("fsc", L))
)
WHOLE = Question("workers", QuestionType.NUMBER, L, integer=True, min=0, max=10000)
DECIMAL = Question("hectares", QuestionType.NUMBER, L)
DATE = Question("audit_date", QuestionType.DATE, L)
SHORT = Question("notes", QuestionType.SHORT_TEXT, L)
LONG = Question("story", QuestionType.LONG_TEXT, L)


@pytest.fixture(autouse=True)
def request_context():
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context():
        yield


def invalid(question: Question, values: list[str]) -> str:
    with pytest.raises(AnswerInvalid) as caught:
        parse_answer(question, values)
    assert str(caught.value) == caught.value.message
    return caught.value.message


@pytest.mark.parametrize("question", [YES_NO, SINGLE, MULTI, WHOLE, DATE, SHORT, LONG])
@pytest.mark.parametrize("values", [[], [""], ["  ", "\r\n"]])
def test_blank_values_are_unanswered(question, values):
    assert parse_answer(question, values) is None


def test_choice_answers_are_option_keys():
    assert parse_answer(YES_NO, ["yes"]) == "yes"
    assert parse_answer(SINGLE, [" group "]) == "group"
    assert parse_answer(MULTI, ["fsc", "", "iso14001", "fsc"]) == ["iso14001", "fsc"]


@pytest.mark.parametrize(
    ("question", "values"),
    [(YES_NO, ["maybe"]), (SINGLE, ["iso14001"]), (MULTI, ["fsc", "pefc"])],
)
def test_unknown_choice_is_refused(question, values):
    assert invalid(question, values) == "Choose one of the options."


@pytest.mark.parametrize(
    ("question", "raw", "expected"),
    [
        (WHOLE, "12", 12),
        (WHOLE, " 1 200 ", 1200),
        (WHOLE, "1\u202f200", 1200),
        (WHOLE, "1,000", 1000),
        (WHOLE, "12.0", 12),
        (WHOLE, "٣٤", 34),
        (DECIMAL, "1,5", 1.5),
        (DECIMAL, "1.200,5", 1200.5),
        (DECIMAL, "1,200.5", 1200.5),
        (DECIMAL, "1,250", 1250.0),
        (DECIMAL, "1.250", 1.25),
        (DECIMAL, "−3", -3.0),
        (DECIMAL, ".5", 0.5),
    ],
)
def test_numbers_are_read_as_people_type_them(question, raw, expected):
    value = parse_answer(question, [raw])
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("question", "raw", "expected"),
    [
        (DECIMAL, "twelve", "Enter a number."),
        (DECIMAL, "nan", "Enter a number."),
        (DECIMAL, "1e5", "Enter a number."),
        (DECIMAL, "9" * 50, "Enter a number."),
        (WHOLE, "2.5", "Enter a whole number, without decimals."),
        (WHOLE, "-1", "Enter a whole number between 0 and 10,000."),
        (WHOLE, "10001", "Enter a whole number between 0 and 10,000."),
        (Question("a", QuestionType.NUMBER, L, min=0.5), "0", "Enter a number of at least 0.5."),
        (Question("a", QuestionType.NUMBER, L, max=100), "101", "Enter a number of at most 100."),
    ],
)
def test_bad_numbers_are_refused_with_a_plain_message(question, raw, expected):
    assert invalid(question, [raw]) == expected


def test_number_bounds_are_inclusive():
    assert parse_answer(WHOLE, ["0"]) == 0
    assert parse_answer(WHOLE, ["10000"]) == 10000


@pytest.mark.parametrize(
    ("raw", "expected"), [("2025-03-31", "2025-03-31"), ("2024-2-9", "2024-02-09")]
)
def test_dates_are_stored_as_iso(raw, expected):
    assert parse_answer(DATE, [raw]) == expected


@pytest.mark.parametrize("raw", ["2025-02-30", "31/03/2025", "20250331", "tomorrow", "2025-W13-1"])
def test_bad_dates_are_refused_naming_the_format(raw):
    assert "YYYY-MM-DD" in invalid(DATE, [raw])


def test_text_is_stripped_and_newlines_normalised():
    assert parse_answer(LONG, ["  first\r\nsecond\rthird \n"]) == "first\nsecond\nthird"
    assert parse_answer(SHORT, ["a\x00b"]) == "ab"


@pytest.mark.parametrize(
    ("question", "limit"),
    [(SHORT, 200), (LONG, 5000), (Question("a", QuestionType.SHORT_TEXT, L, max_length=5), 5)],
)
def test_text_longer_than_max_length_is_refused(question, limit):
    assert parse_answer(question, ["x" * limit]) == "x" * limit
    message = invalid(question, ["x" * (limit + 1)])
    assert message == f"This answer is too long: use at most {limit:,} characters."


def test_field_name_is_prefixed_key():
    assert field_name(YES_NO) == "q-employs_minors"


CHAIN = """
key: chain
version: 1
languages: [en]
title: {en: Chain}
sections:
  - key: first
    title: {en: First}
    questions:
      - {key: a, type: yes_no, label: {en: A}}
      - key: b
        type: single_choice
        label: {en: B}
        options: [{key: x, label: {en: X}}, {key: y, label: {en: Y}}]
        show_if: {question: a, equals: "yes"}
  - key: second
    title: {en: Second}
    questions:
      - {key: c, type: short_text, label: {en: C}, show_if: {question: b, any_of: [x]}}
      - key: d
        type: multiple_choice
        label: {en: D}
        required: false
        options: [{key: p, label: {en: P}}, {key: q, label: {en: Q}}]
      - {key: e, type: number, label: {en: E}, show_if: {question: d, any_of: [q]}}
"""


@pytest.fixture
def chain():
    return parse_definition(CHAIN)


def shown(definition, answers):
    return [q.key for s in definition.sections for q in visible_questions(definition, s, answers)]


def test_show_if_follows_the_controlling_answer(chain):
    assert shown(chain, {}) == ["a", "d"]
    assert shown(chain, {"a": "yes"}) == ["a", "b", "d"]
    assert shown(chain, {"a": "yes", "b": "x"}) == ["a", "b", "c", "d"]
    assert shown(chain, {"a": "yes", "b": "y"}) == ["a", "b", "d"]
    assert shown(chain, {"d": ["p", "q"]}) == ["a", "d", "e"]


def test_question_is_hidden_when_its_controller_is_hidden(chain):
    stale = {"a": "no", "b": "x"}
    assert is_visible(chain.question("c"), stale)
    assert not is_question_visible(chain, chain.question("c"), stale)
    assert shown(chain, stale) == ["a", "d"]


def test_missing_required_ignores_hidden_and_optional_questions(chain):
    assert [q.key for _, q in missing_required(chain, {})] == ["a"]
    missing = missing_required(chain, {"a": "yes", "b": "x", "c": "  ", "d": ["q"], "e": None})
    assert [(s.key, q.key) for s, q in missing] == [("second", "c"), ("second", "e")]
    assert missing_required(chain, {"a": "no", "b": "x", "d": []}) == []
