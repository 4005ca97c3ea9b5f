"""Turn submitted form values into stored answers, and decide which questions are shown."""

import contextlib
import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from babel.numbers import get_group_symbol
from flask_babel import format_decimal, get_locale, ngettext
from flask_babel import gettext as _

from portal.questionnaires.definition import (
    DEFAULT_MAX_LENGTH,
    Definition,
    Question,
    QuestionType,
    Section,
)

# Arabic decimal and thousands separators and the minus sign, as phone keyboards type them.
_NUMBER_SIGNS = str.maketrans({"\u066b": ".", "\u066c": ",", "\u2212": "-", "'": "", "\u2019": ""})
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")  # \d also takes other scripts' digits
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_MAX_NUMBER_CHARS = 40


class AnswerInvalid(ValueError):
    """A submitted value that cannot be stored; .message says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def field_name(question: Question) -> str:
    """The form field name that carries this question's answer."""
    return f"q-{question.key}"


def parse_answer(question: Question, values: list[str]) -> object | None:
    """The value to store for these form values, None when blank; AnswerInvalid when unusable."""
    given = [v.strip() for v in values if isinstance(v, str) and v.strip()]
    if not given:
        return None
    match question.type:
        case QuestionType.YES_NO | QuestionType.SINGLE_CHOICE:
            if given[0] not in question.choices():
                raise AnswerInvalid(_("Choose one of the options."))
            return given[0]
        case QuestionType.MULTIPLE_CHOICE:
            if not set(given) <= set(question.choices()):
                raise AnswerInvalid(_("Choose one of the options."))
            chosen = [key for key in question.choices() if key in given]
            _refuse_exclusive_with_others(question, chosen)
            return chosen
        case QuestionType.NUMBER:
            return _parse_number(question, given[0])
        case QuestionType.DATE:
            return _parse_date(given[0])
        case _:
            return _parse_text(question, given[0])


def _refuse_exclusive_with_others(question: Question, chosen: list[str]) -> None:
    alone = next((key for key in chosen if key in question.exclusive_options()), None)
    if alone is None or len(chosen) == 1:
        return
    option = next(option for option in question.options if option.key == alone)
    language = str(get_locale() or "")
    label = option.label.get(language) or option.label.get(language.split("_")[0])
    raise AnswerInvalid(
        _(
            "“%(option)s” cannot be ticked together with other answers: "
            "untick it, or untick the others.",
            option=label or next(iter(option.label.values()), alone),
        )
    )


def _to_decimal(text: str, integer: bool) -> Decimal | None:
    """Read "1 200", "1,5", "1.200,5" or "1,200.5"; a lone mark is decimal unless it groups."""
    text = "".join(text.translate(_NUMBER_SIGNS).split())
    if "," in text and "." in text:
        text = text.replace("," if text.rfind(",") < text.rfind(".") else ".", "")
    for mark in ",.":
        if text.count(mark) > 1 or (text.count(mark) == 1 and _groups(text, mark, integer)):
            text = text.replace(mark, "")
    text = text.replace(",", ".")
    if len(text) > _MAX_NUMBER_CHARS or not _NUMBER.fullmatch(text):
        return None
    return Decimal(text)


def _groups(text: str, mark: str, integer: bool) -> bool:
    # "1,000" is a thousand, not 1, in a whole number or where the locale groups with ","
    if not re.fullmatch(rf"[+-]?\d{{1,3}}{re.escape(mark)}\d{{3}}", text):
        return False
    locale = get_locale()
    return integer or (locale is not None and get_group_symbol(locale) == mark)


def _parse_number(question: Question, raw: str) -> int | float:
    number = _to_decimal(raw, question.integer)
    if number is None:
        raise AnswerInvalid(_("Enter a number."))
    if question.integer and number != number.to_integral_value():
        raise AnswerInvalid(_("Enter a whole number, without decimals."))
    value = int(number) if question.integer else float(number)
    low, high = question.min, question.max
    if (low is None or value >= low) and (high is None or value <= high):
        return value
    if low is not None and high is not None:
        bounds = {"min": format_decimal(low), "max": format_decimal(high)}
        if question.integer:
            raise AnswerInvalid(_("Enter a whole number between %(min)s and %(max)s.", **bounds))
        raise AnswerInvalid(_("Enter a number between %(min)s and %(max)s.", **bounds))
    if low is not None:
        raise AnswerInvalid(_("Enter a number of at least %(min)s.", min=format_decimal(low)))
    raise AnswerInvalid(_("Enter a number of at most %(max)s.", max=format_decimal(high)))


def _parse_date(raw: str) -> str:
    found = _DATE.fullmatch(raw)
    if found:
        with contextlib.suppress(ValueError):  # 2025-02-30 and the like
            return date(*(int(part) for part in found.groups())).isoformat()
    raise AnswerInvalid(
        _(
            "This is not a valid date. Use the format %(format)s, for example %(example)s.",
            format=_("YYYY-MM-DD"),
            example="2025-03-31",
        )
    )


def _parse_text(question: Question, raw: str) -> str | None:
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    # Control characters (NUL above all) cannot be stored by every database.
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc").strip()
    limit = question.max_length or DEFAULT_MAX_LENGTH.get(question.type, 200)
    if len(text) > limit:
        raise AnswerInvalid(
            ngettext(
                "This answer is too long: use at most %(n)s character.",
                "This answer is too long: use at most %(n)s characters.",
                limit,
                n=format_decimal(limit),
            )
        )
    return text or None


def is_unanswered(value: object) -> bool:
    """True for a stored answer that counts as no answer: None, blank text or an empty list."""
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, list | tuple | set) and not value)


def is_visible(question: Question, answers: Mapping[str, object]) -> bool:
    """True when the question has no show_if or its controlling answer is one of the values."""
    condition = question.show_if
    if condition is None:
        return True
    answer = answers.get(condition.question)
    if isinstance(answer, list | tuple | set):
        return any(item in condition.values for item in answer)
    return isinstance(answer, str) and answer in condition.values


def is_question_visible(
    definition: Definition, question: Question, answers: Mapping[str, object]
) -> bool:
    """True when the question and every question its show_if chain depends on are shown."""
    seen: set[str] = set()
    while question.show_if is not None and question.key not in seen:
        if not is_visible(question, answers):
            return False
        seen.add(question.key)
        try:
            question = definition.question(question.show_if.question)
        except KeyError:
            return False
    return True


def visible_questions(
    definition: Definition, section: Section, answers: Mapping[str, object]
) -> list[Question]:
    """The questions of the section that are shown for these answers, in order."""
    return [q for q in section.questions if is_question_visible(definition, q, answers)]


def missing_required(
    definition: Definition, answers: Mapping[str, object]
) -> list[tuple[Section, Question]]:
    """Every required question that is shown but unanswered, in file order."""
    return [
        (section, question)
        for section in definition.sections
        for question in visible_questions(definition, section, answers)
        if question.required and is_unanswered(answers.get(question.key))
    ]
