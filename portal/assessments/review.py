"""The buyer's review of a submission: accept it, or return it with questions; revisions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from portal.assessments.models import Assessment, AssessmentStatus, ReviewComment, Revision
from portal.assessments.status import TransitionRefused, change_status, check_change
from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.questionnaires.definition import Definition, Question

MAX_COMMENT = 2000


def latest_revision(assessment: Assessment) -> Revision | None:
    """The newest submitted revision, if any."""
    return assessment.revisions[-1] if assessment.revisions else None


def _decide(assessment: Assessment, to: AssessmentStatus, by: User, comment: str) -> Revision:
    revision = latest_revision(assessment)
    if revision is None or assessment.status != AssessmentStatus.SUBMITTED:
        raise TransitionRefused(_("Only a submitted assessment can be reviewed."))
    check_change(assessment, to, by=by)  # before anything is written
    revision.decision = str(to)
    revision.decided_at = utcnow()
    revision.decided_by_id = by.id
    revision.decision_comment = comment.strip() or None
    change_status(assessment, to, by=by)
    return revision


def accept(assessment: Assessment, *, by: User, comment: str = "") -> Revision:
    """Accept the submitted revision as it is."""
    if len(comment) > MAX_COMMENT:
        raise TransitionRefused(_("Comments can be at most %(n)d characters.", n=MAX_COMMENT))
    return _decide(assessment, AssessmentStatus.ACCEPTED, by, comment)


def return_for_amendment(
    assessment: Assessment, *, by: User, comment: str, question_comments: Mapping[str, str]
) -> Revision:
    """Send the submission back with a comment and/or comments on specific answers."""
    revision = latest_revision(assessment)
    definition = assessment.questionnaire.definition
    wanted = {key: text.strip() for key, text in question_comments.items() if text.strip()}
    known = {q.key for q in definition.questions()}
    if any(key not in known for key in wanted):
        raise TransitionRefused(
            _("A comment refers to a question that is not in this questionnaire.")
        )
    if not comment.strip() and not wanted:
        raise TransitionRefused(
            _("Say what the supplier should change: write a comment or a question on an answer.")
        )
    if any(len(text) > MAX_COMMENT for text in [comment, *wanted.values()]):
        raise TransitionRefused(_("Comments can be at most %(n)d characters.", n=MAX_COMMENT))
    revision = _decide(assessment, AssessmentStatus.RETURNED, by, comment)
    for key, text in wanted.items():
        revision.comments.append(ReviewComment(question_key=key, text=text, author_id=by.id))
    db.session.flush()
    return revision


@dataclass(frozen=True)
class Change:
    question: Question
    before: Any
    after: Any


def changes_between(definition: Definition, older: Mapping, newer: Mapping) -> list[Change]:
    """Answers that differ between two revisions, in questionnaire order."""
    return [
        Change(q, older.get(q.key), newer.get(q.key))
        for q in definition.questions()
        if older.get(q.key) != newer.get(q.key)
    ]


def open_questions(assessment: Assessment) -> tuple[str | None, dict[str, str]]:
    """While an assessment is returned: the buyer's comment and comments by question key."""
    if assessment.status != AssessmentStatus.RETURNED:
        return None, {}
    revision = latest_revision(assessment)
    return revision.decision_comment, {c.question_key: c.text for c in revision.comments}
