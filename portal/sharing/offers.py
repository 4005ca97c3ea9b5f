"""Which of a supplier's open requests could start from answers it gave another customer.

A request (an assessment) is offered answers when it asks a questionnaire shared by every
organisation of the portal, is still open and blank (nothing answered, nothing carried
over), its customer was not told to stop being offered answers, and the person signed in
is an active contact of the same company at another customer that received answers to
the same questionnaire (any version). The offer is the most recently sent of those.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from portal.assessments.models import Answer, Assessment, Revision
from portal.auth.models import User
from portal.extensions import db
from portal.questionnaires.models import QuestionnaireVersion
from portal.sharing.models import SharingStop


@dataclass(frozen=True)
class Offer:
    """Answers sent to another customer that one open request could start from."""

    assessment_id: int  # the open request
    revision_id: int  # the answers as they were sent
    source_assessment_id: int
    submitted_at: datetime


def _blank_candidates(assessments: Iterable[Assessment]) -> list[Assessment]:
    candidates = [
        a
        for a in assessments
        if a.is_open and not a.prefilled and a.questionnaire.organisation_id is None
    ]
    if not candidates:
        return []
    ids = [a.id for a in candidates]
    answered = set(
        db.session.scalars(select(Answer.assessment_id).where(Answer.assessment_id.in_(ids)))
    )
    stopped = set(
        db.session.scalars(
            select(SharingStop.supplier_id).where(
                SharingStop.supplier_id.in_({a.supplier_id for a in candidates})
            )
        )
    )
    return [a for a in candidates if a.id not in answered and a.supplier_id not in stopped]


def offers_for(person: User, assessments: Iterable[Assessment]) -> dict[int, Offer]:
    """The offer for each of `assessments` (the person's own) that has one, by assessment id.

    No query at all for a person who answers to one customer only.
    """
    links = [link for link in person.contact_links if link.active]
    if len({link.supplier.organisation_id for link in links}) < 2:
        return {}
    candidates = _blank_candidates(assessments)
    if not candidates:
        return {}
    suppliers = {link.supplier_id: link.supplier for link in links}
    sent = db.session.execute(
        select(
            Revision.id,
            Revision.submitted_at,
            Revision.assessment_id,
            Assessment.supplier_id,
            QuestionnaireVersion.key,
        )
        .join(Assessment, Assessment.id == Revision.assessment_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Assessment.questionnaire_id)
        .where(
            Assessment.supplier_id.in_(suppliers),
            QuestionnaireVersion.organisation_id.is_(None),
            QuestionnaireVersion.key.in_({a.questionnaire.key for a in candidates}),
        )
        .order_by(Revision.submitted_at.desc(), Revision.id.desc())
        .execution_options(all_organisations=True)
    ).all()
    offers = {}
    for assessment in candidates:
        target = suppliers[assessment.supplier_id]
        for revision_id, submitted_at, source_id, supplier_id, key in sent:
            source = suppliers[supplier_id]
            if (
                key == assessment.questionnaire.key
                and source.company_id == target.company_id
                and source.organisation_id != target.organisation_id
            ):
                offers[assessment.id] = Offer(assessment.id, revision_id, source_id, submitted_at)
                break
    return offers
