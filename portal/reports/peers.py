"""How a supplier compares with its peers, anonymised.

Peers are the other suppliers with an accepted assessment of the same questionnaire
(any version); each counts once, with its latest accepted scores. A comparison is made
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


def peer_scores(questionnaire_key: str, supplier_id: int) -> list[dict]:
    """The latest accepted score of every other supplier of the same organisation on this
    questionnaire (the same whoever renders the report: a buyer, the supplier or a job)."""
    organisation_id = select(Supplier.organisation_id).where(Supplier.id == supplier_id)
    query = (
        select(Assessment.supplier_id, Revision.score)
        .join(Revision, Revision.assessment_id == Assessment.id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Assessment.questionnaire_id)
        .where(
            QuestionnaireVersion.key == questionnaire_key,
            Assessment.supplier_id != supplier_id,
            Assessment.status == AssessmentStatus.ACCEPTED,
            Revision.decision == AssessmentStatus.ACCEPTED,
            Revision.score.is_not(None),
            Assessment.organisation_id == organisation_id.scalar_subquery(),
        )
        .order_by(Revision.decided_at, Revision.id)
    )
    rows = db.session.execute(query.execution_options(all_organisations=True))
    latest = {peer: score for peer, score in rows}  # later rows replace earlier ones
    return list(latest.values())
