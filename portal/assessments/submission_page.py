"""What the buyer's page of one submission shows, as plain values for the template."""

from __future__ import annotations

from typing import Any

from portal.assessments.display import display_answer
from portal.assessments.logic import current_answers
from portal.assessments.models import Assessment, Revision
from portal.assessments.review import changes_between
from portal.questionnaires.answers import is_question_visible
from portal.sharing.logic import share_of


def _flags(definition, revision: Revision | None, locale: str) -> list[dict[str, Any]]:
    flags = []
    for flag in (revision.red_flags or []) if revision else []:
        question = definition.question(flag["question"])
        flags.append(
            {
                **flag,
                "label": definition.text(question.label, locale),
                "shown": display_answer(definition, question, flag["answer"], locale),
                "finding": definition.text(question.critical[flag["rule"]].finding, locale),
            }
        )
    return flags


def submission_context(
    assessment: Assessment, revision: Revision | None, locale: str
) -> dict[str, Any]:
    """Answers by section, red flags, score, review comments and changes since the last one."""
    definition = assessment.questionnaire.definition
    answers = revision.answers if revision else current_answers(assessment)
    share = (
        share_of(assessment) if assessment.prefilled and assessment.previous_id is None else None
    )
    # Answers shared from another customer's assessment reach this customer section by
    # section, as the supplier confirms them: a draft shows no unconfirmed one.
    withheld = set()
    if share is not None and revision is None:
        withheld = {s.key for s in definition.sections} - set(assessment.confirmed_sections)
    sections = [
        (
            section,
            [
                (question, display_answer(definition, question, answers.get(question.key), locale))
                for question in section.questions
                if section.key not in withheld
                and is_question_visible(definition, question, answers)
            ],
        )
        for section in definition.sections
    ]
    changes, compared_with = [], None
    if revision is not None and revision.number > 1:
        compared_with = assessment.revisions[revision.number - 2]
    elif revision is not None and assessment.previous is not None:
        compared_with = assessment.previous.revisions[-1]  # the accepted one it reassesses
    if compared_with is not None:
        changes = [
            {
                "question": change.question,
                "before": display_answer(definition, change.question, change.before, locale),
                "after": display_answer(definition, change.question, change.after, locale),
            }
            for change in changes_between(definition, compared_with.answers, revision.answers)
        ]
    return {
        "assessment": assessment,
        "definition": definition,
        "revision": revision,
        "revisions": assessment.revisions,
        "sections": sections,
        "flags": _flags(definition, revision, locale),
        "score": revision.score if revision else None,
        "changes": changes,
        "compared_with": compared_with,
        "comments": {c.question_key: c.text for c in revision.comments} if revision else {},
        "locale": locale,
        "share": share,
        "withheld": withheld,
    }
