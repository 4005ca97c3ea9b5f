"""How a supplier compares with its peers, anonymised.

Peers are the other suppliers with an accepted assessment of the same questionnaire
(any version); each counts once, with its latest accepted scores. For a questionnaire of
one organisation they are that organisation's suppliers; for one shared by every
organisation of the portal (an association's common questionnaire) they are every
supplier company on the portal that answered it, whichever customer asked, each company
once; the report says which. A comparison is made
only from `MIN_PEERS` peers up, so that no single peer's score can be told apart, and it
says only where the supplier stands (its quartile and percentile) and the peers' median.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import median

from sqlalchemy import select

from portal.assessments.models import Assessment, AssessmentStatus, Revision
from portal.extensions import db
from portal.questionnaires.models import QuestionnaireVersion
from portal.suppliers.models import Supplier

MIN_PEERS = 5


@dataclass(frozen=True)
class Standing:
    """Where one score stands among the peers' scores."""

    percentile: int  # share of peers scoring lower (ties count half), 0-100
    quartile: int  # 1 = top quarter ... 4 = bottom quarter, from the percentile
    better_than: int  # share of peers scoring strictly lower, 0-100
    peer_median: float
    peers: int


def standing(own: float, peer_scores: Sequence[float]) -> Standing | None:
    """Where `own` stands among `peer_scores`; None below MIN_PEERS peers."""
    if len(peer_scores) < MIN_PEERS:
        return None
    lower = sum(1 for score in peer_scores if score < own)
    ties = sum(1 for score in peer_scores if score == own)
    percentile = round(100 * (lower + ties / 2) / len(peer_scores))
    quartile = 1 if percentile >= 75 else 2 if percentile >= 50 else 3 if percentile >= 25 else 4
    better_than = round(100 * lower / len(peer_scores))
    return Standing(
        percentile, quartile, better_than, round(median(peer_scores), 1), len(peer_scores)
    )


@dataclass(frozen=True)
class PeerComparison:
    peers: int
    overall: Standing | None
    sections: Mapping[str, Standing]  # section key -> standing (sections with enough peers)
    across_portal: bool = False  # peers of every organisation (a shared questionnaire)


def compare(own: Mapping, peer_scores: Sequence[Mapping]) -> PeerComparison | None:
    """Compare a stored score (`Revision.score`) with the peers' stored scores.

    None when there are fewer than MIN_PEERS peers; a section is left out when fewer
    than MIN_PEERS peers have a score for it.
    """
    if len(peer_scores) < MIN_PEERS:
        return None
    overall = None
    if own.get("overall") is not None:
        overall = standing(
            own["overall"], [p["overall"] for p in peer_scores if p.get("overall") is not None]
        )
    sections = {}
    for key, percent in (own.get("sections") or {}).items():
        if percent is None:
            continue
        found = standing(
            percent,
            [
                p["sections"][key]
                for p in peer_scores
                if (p.get("sections") or {}).get(key) is not None
            ],
        )
        if found is not None:
            sections[key] = found
    return PeerComparison(len(peer_scores), overall, sections)


def is_shared(questionnaire_key: str) -> bool:
    """Whether the questionnaire is shared by every organisation of the portal."""
    owners = select(QuestionnaireVersion.organisation_id).where(
        QuestionnaireVersion.key == questionnaire_key
    )
    return db.session.scalar(owners.limit(1).execution_options(all_organisations=True)) is None


def peer_scores(questionnaire_key: str, supplier_id: int) -> list[dict]:
    """The latest accepted score of every other peer on this questionnaire: the other
    suppliers of the same organisation, or for a shared questionnaire every other company
    of the portal (the same whoever renders the report: a buyer, the supplier or a job)."""
    supplier = select(Supplier.organisation_id, Supplier.company_id).where(
        Supplier.id == supplier_id
    )
    organisation_id, company_id = db.session.execute(
        supplier.execution_options(all_organisations=True)
    ).one()
    shared = is_shared(questionnaire_key)
    peer = Supplier.company_id if shared else Assessment.supplier_id
    query = (
        select(peer, Revision.score)
        .select_from(Assessment)
        .join(Revision, Revision.assessment_id == Assessment.id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Assessment.questionnaire_id)
        .join(Supplier, Supplier.id == Assessment.supplier_id)
        .where(
            QuestionnaireVersion.key == questionnaire_key,
            Supplier.company_id != company_id,
            Assessment.status == AssessmentStatus.ACCEPTED,
            Revision.decision == AssessmentStatus.ACCEPTED,
            Revision.score.is_not(None),
        )
        .order_by(Revision.decided_at, Revision.id)
    )
    if not shared:
        query = query.where(Assessment.organisation_id == organisation_id)
    rows = db.session.execute(query.execution_options(all_organisations=True))
    latest = {peer: score for peer, score in rows}  # later rows replace earlier ones
    return list(latest.values())
