"""Questionnaire definition format: immutable dataclasses, YAML parsing and validation."""

import enum
import functools
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from numbers import Real
from typing import Any, TypeVar

from portal.refusals import Refused


class QuestionType(enum.StrEnum):
    YES_NO = "yes_no"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    NUMBER = "number"
    DATE = "date"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"


class Severity(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


YES_NO_ANSWERS = ("yes", "no")
DEFAULT_MAX_LENGTH = {QuestionType.SHORT_TEXT: 200, QuestionType.LONG_TEXT: 5000}
V = TypeVar("V")


class FrozenMapping(Mapping[str, V]):
    """An immutable, hashable mapping with text keys."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, V] | None = None) -> None:
        self._items = dict(items or {})

    def __getitem__(self, key: str) -> V:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._items!r})"


class Texts(FrozenMapping[str]):
    """An immutable, hashable mapping of language code to text."""

    __slots__ = ()


def _freeze(obj: object, **values: object) -> None:
    for name, value in values.items():
        object.__setattr__(obj, name, value)


@dataclass(frozen=True)
class Option:
    key: str
    label: Mapping[str, str]
    exclusive: bool = False  # multiple_choice: an answer such as "None of these", ticked alone

    def __post_init__(self) -> None:
        _freeze(self, label=Texts(self.label))


@dataclass(frozen=True)
class ShowIf:
    question: str
    values: tuple[str, ...]

    def __post_init__(self) -> None:
        _freeze(self, values=tuple(self.values))


def _float(value: float | None) -> float | None:
    return None if value is None else float(value)


def _between(value: object, low: float | None, high: float | None) -> bool:
    """True for a number with low <= value < high (a missing bound does not limit)."""
    if not isinstance(value, Real) or isinstance(value, bool):
        return False
    return (low is None or value >= low) and (high is None or value < high)


@dataclass(frozen=True)
class PointRange:
    """Points for a number answer from min (inclusive) to max (exclusive)."""

    min: float | None = None
    max: float | None = None
    points: float = 0.0

    def __post_init__(self) -> None:
        _freeze(self, min=_float(self.min), max=_float(self.max), points=float(self.points))

    def contains(self, value: float) -> bool:
        """True when value is a number in [min, max); a missing bound does not limit."""
        return _between(value, self.min, self.max)


@dataclass(frozen=True)
class Score:
    """How a question scores: points per answer (choice types) or per range (number)."""

    points: Mapping[str, float] = FrozenMapping()
    ranges: tuple[PointRange, ...] = ()
    not_applicable: tuple[str, ...] = ()
    max: float | None = None

    def __post_init__(self) -> None:
        points = FrozenMapping({key: float(value) for key, value in self.points.items()})
        _freeze(self, points=points, ranges=tuple(self.ranges))
        _freeze(self, not_applicable=tuple(self.not_applicable), max=_float(self.max))

    def max_points(
        self, question_type: QuestionType | str, exclusive: Collection[str] = ()
    ) -> float:
        """The most points one answer can earn: the denominator of a counted answer.

        `exclusive` names the options of a multiple_choice question that are ticked alone.
        """
        if question_type == QuestionType.NUMBER:
            return max((r.points for r in self.ranges), default=0.0)
        if question_type == QuestionType.MULTIPLE_CHOICE and self.max is not None:
            return self.max
        counted = {k: p for k, p in self.points.items() if k not in self.not_applicable}
        if question_type == QuestionType.MULTIPLE_CHOICE:
            together = sum(p for k, p in counted.items() if p > 0 and k not in exclusive)
            alone = max((p for k, p in counted.items() if k in exclusive), default=0.0)
            return float(max(together, alone))
        return max(counted.values(), default=0.0)


@dataclass(frozen=True)
class Critical:
    """A red-flag answer: the values (choice types) or the range (number) that raise it."""

    equals: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    severity: Severity = Severity.HIGH
    finding: Mapping[str, str] = Texts()

    def __post_init__(self) -> None:
        _freeze(self, equals=tuple(self.equals), min=_float(self.min), max=_float(self.max))
        _freeze(self, severity=Severity(self.severity), finding=Texts(self.finding))

    def matches(self, value: object) -> bool:
        """True when a stored answer (choice key, list of keys or number) raises this flag."""
        if self.equals:
            if isinstance(value, list | tuple | set | frozenset):
                return any(item in self.equals for item in value)
            return isinstance(value, str) and value in self.equals
        return _between(value, self.min, self.max)


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
    score: Score | None = None
    critical: tuple[Critical, ...] = ()

    def __post_init__(self) -> None:
        _freeze(
            self,
            type=QuestionType(self.type),
            label=Texts(self.label),
            help=Texts(self.help),
            unit=Texts(self.unit),
            options=tuple(self.options),
            critical=tuple(self.critical),
        )

    def exclusive_options(self) -> tuple[str, ...]:
        """Keys of the options that cannot be ticked together with any other."""
        return tuple(option.key for option in self.options if option.exclusive)

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
    weight: float = 1.0

    def __post_init__(self) -> None:
        _freeze(self, title=Texts(self.title), intro=Texts(self.intro))
        _freeze(self, questions=tuple(self.questions), weight=float(self.weight))


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


class DefinitionError(Refused, ValueError):
    """A definition file that cannot be used; .errors lists every problem found."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


# Parsing a large definition takes most of a second, and one process parses the same source
# more than once (when it is published, then when its version is first shown). A Definition
# is immutable, so the last few sources parsed are kept with their result; a source that
# fails is parsed again each time.
@functools.lru_cache(maxsize=8)
def parse_definition(source: str | bytes) -> Definition:
    """Parse and validate a YAML definition; DefinitionError lists every problem at once."""
    from portal.questionnaires.conversion import build
    from portal.questionnaires.validation import load_yaml, problems

    data = load_yaml(source)
    errors = problems(data)
    if errors:
        raise DefinitionError(errors)
    return build(data)


def definition_to_dict(definition: Definition) -> dict[str, Any]:
    """A plain JSON-able dict in the YAML format that parses back to an equal Definition."""
    from portal.questionnaires.conversion import to_dict

    return to_dict(definition)
