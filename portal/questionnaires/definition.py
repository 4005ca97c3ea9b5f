"""Questionnaire definition format: immutable dataclasses, YAML parsing and validation."""

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any


class QuestionType(enum.StrEnum):
    YES_NO = "yes_no"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    NUMBER = "number"
    DATE = "date"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"


YES_NO_ANSWERS = ("yes", "no")
DEFAULT_MAX_LENGTH = {QuestionType.SHORT_TEXT: 200, QuestionType.LONG_TEXT: 5000}


class Texts(Mapping[str, str]):
    """An immutable, hashable mapping of language code to text."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, str] | None = None) -> None:
        self._items = dict(items or {})

    def __getitem__(self, language: str) -> str:
        return self._items[language]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __repr__(self) -> str:
        return f"Texts({self._items!r})"


def _freeze(obj: object, **values: object) -> None:
    for name, value in values.items():
        object.__setattr__(obj, name, value)


@dataclass(frozen=True)
class Option:
    key: str
    label: Mapping[str, str]

    def __post_init__(self) -> None:
        _freeze(self, label=Texts(self.label))


@dataclass(frozen=True)
class ShowIf:
    question: str
    values: tuple[str, ...]

    def __post_init__(self) -> None:
        _freeze(self, values=tuple(self.values))


@dataclass(frozen=True)
class Question:
    key: str
    type: QuestionType
    label: Mapping[str, str]
    help: Mapping[str, str] = Texts()
    required: bool = True
    options: tuple[Option, ...] = ()
    unit: Mapping[str, str] = Texts()
    min: float | None = None
    max: float | None = None
    integer: bool = False
    max_length: int | None = None
    show_if: ShowIf | None = None

    def __post_init__(self) -> None:
        _freeze(
            self,
            type=QuestionType(self.type),
            label=Texts(self.label),
            help=Texts(self.help),
            unit=Texts(self.unit),
            options=tuple(self.options),
        )

    def choices(self) -> tuple[str, ...]:
        """The answers a yes_no or choice question accepts; empty for other types."""
        if self.type == QuestionType.YES_NO:
            return YES_NO_ANSWERS
        return tuple(option.key for option in self.options)


@dataclass(frozen=True)
class Section:
    key: str
    title: Mapping[str, str]
    intro: Mapping[str, str] = Texts()
    questions: tuple[Question, ...] = ()

    def __post_init__(self) -> None:
        _freeze(self, title=Texts(self.title), intro=Texts(self.intro))
        _freeze(self, questions=tuple(self.questions))


@dataclass(frozen=True)
class Definition:
    key: str
    version: int
    languages: tuple[str, ...]
    title: Mapping[str, str]
    intro: Mapping[str, str] = Texts()
    sections: tuple[Section, ...] = ()
    _by_key: dict[str, Question] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        _freeze(self, languages=tuple(self.languages), title=Texts(self.title))
        _freeze(self, intro=Texts(self.intro), sections=tuple(self.sections))
        _freeze(self, _by_key={q.key: q for s in self.sections for q in s.questions})

    def questions(self) -> Iterator[Question]:
        """Every question of every section, in file order."""
        for section in self.sections:
            yield from section.questions

    def question(self, key: str) -> Question:
        """The question with this key; KeyError when there is none."""
        return self._by_key[key]

    def text(self, texts: Mapping[str, str], locale: object) -> str:
        """The text for a locale, else its language, else the file's first language, else ""."""
        wanted = str(locale or "").replace("-", "_")
        for language in (wanted, wanted.split("_")[0], *self.languages[:1]):
            if texts.get(language):
                return texts[language]
        return ""


class DefinitionError(ValueError):
    """A definition file that cannot be used; .errors lists every problem found."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


def parse_definition(source: str | bytes) -> Definition:
    """Parse and validate a YAML definition; DefinitionError lists every problem at once."""
    from portal.questionnaires.validation import load_yaml, problems

    data = load_yaml(source)
    errors = problems(data)
    if errors:
        raise DefinitionError(errors)
    return _build(data)


def _build(data: dict[str, Any]) -> Definition:
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
        options=tuple(Option(o["key"], o["label"]) for o in q.get("options", ())),
        unit=q.get("unit", {}),
        min=q.get("min"),
        max=q.get("max"),
        integer=q.get("integer", False),
        max_length=int(q["max_length"]) if "max_length" in q else DEFAULT_MAX_LENGTH.get(kind),
        show_if=None
        if show_if is None
        else ShowIf(show_if["question"], tuple(show_if.get("any_of") or [show_if["equals"]])),
    )


def definition_to_dict(definition: Definition) -> dict[str, Any]:
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
                    }
                )
                for s in definition.sections
            ],
        }
    )


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
            "options": [{"key": o.key, "label": dict(o.label)} for o in q.options],
            "unit": dict(q.unit),
            "min": q.min,
            "max": q.max,
            "integer": q.integer if q.type == QuestionType.NUMBER else None,
            "max_length": q.max_length,
            "show_if": show_if,
        }
    )


def _drop_empty(values: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value not in (None, {}, [])}
