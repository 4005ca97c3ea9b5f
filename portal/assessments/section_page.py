"""One questionnaire section as the supplier sees it, prepared once per version and language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup

from portal.assessments.models import Assessment
from portal.assessments.receipts import new_save_id
from portal.assessments.review import open_questions
from portal.auth.forms import ConfirmForm
from portal.questionnaires.answers import field_name, is_question_visible
from portal.questionnaires.definition import Definition, Question, QuestionType

_INPUTS = {
    QuestionType.YES_NO: "radio",
    QuestionType.SINGLE_CHOICE: "radio",
    QuestionType.MULTIPLE_CHOICE: "checkbox",
    QuestionType.NUMBER: "number",
    QuestionType.DATE: "date",
    QuestionType.SHORT_TEXT: "text",
    QuestionType.LONG_TEXT: "textarea",
}
_OPTION = Markup('<label class="choice"><input type="{}" name="{}" value="{}"{}> {}</label>')


@dataclass(frozen=True)
class QuestionView:
    """A question with its texts in the reader's language and its options as ready HTML."""

    key: str
    name: str
    type: str
    label: str
    help: str
    required: bool
    input: str  # radio, checkbox, number, date, text or textarea
    choices: tuple[tuple[str, Markup, Markup], ...]  # (key, unchecked HTML, checked HTML)
    unit: str
    max_length: int
    show_if: str
    show_values: str


# Published versions never change, so their localized questions can be kept for good.
_prepared: dict[tuple, tuple[QuestionView, ...]] = {}


def _alone(q: Question, key: str) -> Markup:
    # The script unticks the others when an exclusive option is ticked; the save checks too.
    return Markup(" data-exclusive") if key in q.exclusive_options() else Markup("")


def _view(definition: Definition, q: Question, locale: str) -> QuestionView:
    kind = _INPUTS[q.type]
    name = field_name(q)
    if q.type == QuestionType.YES_NO:
        options = (("yes", _("Yes")), ("no", _("No")))
    else:
        options = tuple((o.key, definition.text(o.label, locale)) for o in q.options)
    return QuestionView(
        key=q.key,
        name=name,
        type=q.type,
        label=definition.text(q.label, locale),
        help=definition.text(q.help, locale) if q.help else "",
        required=q.required,
        input=kind,
        choices=tuple(
            (
                key,
                _OPTION.format(kind, name, key, _alone(q, key), label),
                _OPTION.format(kind, name, key, _alone(q, key) + Markup(" checked"), label),
            )
            for key, label in options
        ),
        unit=definition.text(q.unit, locale) if q.unit else "",
        max_length=q.max_length or 0,
        show_if=q.show_if.question if q.show_if else "",
        show_values=" ".join(q.show_if.values) if q.show_if else "",
    )


def question_views(assessment: Assessment, number: int, locale: str) -> tuple[QuestionView, ...]:
    """The questions of section `number`, localized, built once per version and language."""
    version = assessment.questionnaire
    key = (version.id, version.published_at, number, locale)
    views = _prepared.get(key)
    if views is None:
        definition = version.definition
        section = definition.sections[number - 1]
        views = tuple(_view(definition, q, locale) for q in section.questions)
        if len(_prepared) > 2000:
            _prepared.clear()
        _prepared[key] = views
    return views


def render_section(
    assessment: Assessment,
    number: int,
    locale: str,
    *,
    values: Mapping[str, list[str]],
    shown: Mapping[str, Any],
    stamps: str,
    errors: Mapping[str, str] | None = None,
    conflicts: Mapping[str, str] | None = None,
    message: str | None = None,
    status: int = 200,
    shows_stored: bool = False,
):
    """The section page.

    `values` fill the fields, `shown` (answers) decides show-if, `stamps` go back with the
    form, `conflicts` name what another device saved meanwhile. `shows_stored` says the
    fields hold the stored answers (not typed ones sent back): the page's script may then
    keep the page for reopening offline, and forget a copy on the phone that matches it.
    """
    definition = assessment.questionnaire.definition
    section = definition.sections[number - 1]
    errors = errors or {}
    visible = {
        q.key: q.show_if is None or q.key in errors or is_question_visible(definition, q, shown)
        for q in section.questions
    }
    _comment, comments = open_questions(assessment)
    # Answers carried over and not confirmed yet: from the last assessment, or shared from
    # the ones given to another customer.
    from_last_time = from_shared = False
    if assessment.prefilled and section.key not in assessment.confirmed_sections:
        from_last_time = assessment.previous_id is not None
        from_shared = not from_last_time
    return render_template(
        "assessments/section.html",
        comments=comments,
        from_last_time=from_last_time,
        from_shared=from_shared,
        assessment=assessment,
        title=definition.text(section.title, locale),
        intro=definition.text(section.intro, locale) if section.intro else "",
        questions=question_views(assessment, number, locale),
        number=number,
        total=len(definition.sections),
        values=values,
        errors=errors,
        conflicts=conflicts or {},
        visible=visible,
        stamps=stamps,
        save_id=new_save_id(),
        form=ConfirmForm(),
        message=message,
        shows_stored=shows_stored,
    ), status
