"""Recording findings from a submission, listing them and proposing their text."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.assessments.models import Assessment, Revision
from portal.assessments.review import latest_revision
from portal.assessments.scoring import SEVERITY_ORDER
from portal.audit.logic import record
from portal.auth.models import User
from portal.extensions import db
from portal.findings.models import Finding
from portal.questionnaires.definition import Severity
from portal.refusals import Refused

TITLE_MAX = 200
DESCRIPTION_MAX = 5000
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s")


class FindingRefused(Refused):
    """A finding that cannot be recorded; `message` says why, for the user."""


def red_flag_on(revision: Revision | None, question_key: str) -> dict | None:
    """The most severe red flag a revision raised on one question, or None."""
    flags = [
        f for f in (revision.red_flags or [] if revision else []) if f["question"] == question_key
    ]
    return min(flags, key=lambda f: SEVERITY_ORDER[Severity(f["severity"])], default=None)


def record_finding(
    assessment: Assessment,
    *,
    by: User,
    title: str,
    severity: Severity | str,
    description: str = "",
    question_key: str | None = None,
    critical_rule: int | None = None,
) -> Finding:
    """Record a buyer's finding on the latest revision of a submitted assessment, and audit it."""
    revision = latest_revision(assessment)
    if revision is None:
        raise FindingRefused(_("Findings can be recorded once the supplier has submitted."))
    if by is None or not by.is_buyer:
        raise FindingRefused(_("Only buyers can record findings."))
    try:
        severity = Severity(severity)
    except ValueError:
        raise FindingRefused(_("Choose a severity from the list.")) from None
    title = (title or "").strip()
    description = (description or "").strip()
    if not title:
        raise FindingRefused(_("Give the finding a title."))
    if len(title) > TITLE_MAX:
        raise FindingRefused(
            _("The title is too long (at most %(max)d characters).", max=TITLE_MAX)
        )
    if len(description) > DESCRIPTION_MAX:
        raise FindingRefused(
            _("The description is too long (at most %(max)d characters).", max=DESCRIPTION_MAX)
        )
    definition = assessment.questionnaire.definition
    if question_key is not None:
        try:
            question = definition.question(question_key)
        except KeyError:
            raise FindingRefused(_("This question is not in the questionnaire.")) from None
        if critical_rule is not None and not 0 <= critical_rule < len(question.critical):
            raise FindingRefused(_("This question has no such red flag."))
    elif critical_rule is not None:
        raise FindingRefused(_("A red flag belongs to a question: choose the question."))

    finding = Finding(
        supplier_id=assessment.supplier_id,
        assessment=assessment,
        revision=revision,
        question_key=question_key,
        critical_rule=critical_rule,
        title=title,
        severity=severity,
        description=description,
        created_by_id=by.id,
    )
    db.session.add(finding)
    db.session.flush()
    record(
        "finding_recorded",
        object_type="finding",
        object_id=finding.id,
        by=by,
        supplier_id=assessment.supplier_id,
        assessment=assessment.id,
        revision=revision.number,
        question=question_key or "",
        severity=severity,
    )
    return finding


def findings_for(assessment: Assessment) -> list[Finding]:
    """The findings recorded on an assessment, newest first, with their authors, in one query."""
    return list(
        db.session.scalars(
            select(Finding)
            .options(joinedload(Finding.created_by), joinedload(Finding.revision))
            .where(Finding.assessment_id == assessment.id)
            .order_by(Finding.created_at.desc(), Finding.id.desc())
        )
    )


def split_first_sentence(text: str) -> tuple[str, str]:
    """`text` as (its first sentence, the rest)."""
    first, *rest = _SENTENCE_END.split(text.strip(), maxsplit=1)
    return first.strip(), rest[0].strip() if rest else ""


def _short_title(text: str) -> str:
    """The first sentence of `text`, cut to fit a finding's title."""
    first = split_first_sentence(text)[0]
    if len(first) > TITLE_MAX:
        first = first[: TITLE_MAX - 1].rstrip() + "…"
    return first


def proposal(assessment: Assessment, question_key: str | None, locale: object) -> dict:
    """What the finding form starts with: the definition's finding for a red-flagged answer.

    Returns title, severity and description, plus the `critical_rule` the proposal comes
    from (None when the latest revision raised no red flag on that question).
    """
    flag = red_flag_on(latest_revision(assessment), question_key) if question_key else None
    if flag is None:
        return {
            "title": "",
            "severity": Severity.MEDIUM.value,
            "description": "",
            "critical_rule": None,
        }
    definition = assessment.questionnaire.definition
    question = definition.question(question_key)
    text = definition.text(question.critical[flag["rule"]].finding, locale)
    return {
        "title": _short_title(text or definition.text(question.label, locale)),
        "severity": Severity(flag["severity"]).value,
        "description": text[:DESCRIPTION_MAX],
        "critical_rule": flag["rule"],
    }
