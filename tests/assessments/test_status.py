"""The one place where an assessment's status changes: allowed moves, refusals, audit rows."""

import itertools

import pytest
from sqlalchemy import func, select

from portal.assessments.models import Assessment, AssessmentStatus
from portal.assessments.status import ALLOWED, TransitionRefused, change_status
from portal.audit.models import AuditEntry
from portal.auth.models import User
from portal.extensions import db

INVITED, IN_PROGRESS, SUBMITTED, RETURNED, ACCEPTED = (
    AssessmentStatus.INVITED,
    AssessmentStatus.IN_PROGRESS,
    AssessmentStatus.SUBMITTED,
    AssessmentStatus.RETURNED,
    AssessmentStatus.ACCEPTED,
)
SUPPLIER_MOVES = {
    (INVITED, IN_PROGRESS),
    (INVITED, SUBMITTED),
    (IN_PROGRESS, SUBMITTED),
    (RETURNED, SUBMITTED),
}
BUYER_MOVES = {(SUBMITTED, ACCEPTED), (SUBMITTED, RETURNED)}
ALLOWED_PAIRS = SUPPLIER_MOVES | BUYER_MOVES
ALL_PAIRS = list(itertools.product(AssessmentStatus, repeat=2))
# How to reach each status from a fresh (invited) assessment, through change_status only
# (None: the system, which may make every allowed move).
PATH_TO = {
    INVITED: [],
    IN_PROGRESS: [IN_PROGRESS],
    SUBMITTED: [IN_PROGRESS, SUBMITTED],
    RETURNED: [IN_PROGRESS, SUBMITTED, RETURNED],
    ACCEPTED: [IN_PROGRESS, SUBMITTED, ACCEPTED],
}


def _status_rows(assessment_id: int) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.action == "assessment_status",
                AuditEntry.object_type == "assessment",
                AuditEntry.object_id == assessment_id,
            )
            .order_by(AuditEntry.id)
        )
    )


@pytest.fixture
def assessment_in(ctx, make_supplier, make_assessment):
    """An assessment moved (through change_status) to the given status, and its contact."""

    def make(status: AssessmentStatus) -> tuple[Assessment, User]:
        supplier_id, contact_id = make_supplier()
        assessment = db.session.get(Assessment, make_assessment(supplier_id))
        contact = db.session.get(User, contact_id)
        for step in PATH_TO[status]:
            change_status(assessment, step, by=None)
        db.session.flush()
        assert assessment.status == status
        return assessment, contact

    return make


def test_the_transition_table_is_exactly_the_documented_one():
    assert {pair for pair, who in ALLOWED.items() if who == "supplier"} == SUPPLIER_MOVES
    assert {pair for pair, who in ALLOWED.items() if who == "buyer"} == BUYER_MOVES


@pytest.mark.parametrize(("from_status", "to_status"), [p for p in ALL_PAIRS if p in ALLOWED_PAIRS])
def test_allowed_transition_changes_status_and_appends_one_audit_row(
    assessment_in, make_buyer, from_status, to_status
):
    buyer_id = make_buyer()  # before the test's own transaction starts writing
    assessment, contact = assessment_in(from_status)
    buyer = db.session.get(User, buyer_id)
    actor = contact if (from_status, to_status) in SUPPLIER_MOVES else buyer
    before = _status_rows(assessment.id)

    change_status(assessment, to_status, by=actor)
    db.session.flush()

    db.session.expire(assessment)
    assert db.session.get(Assessment, assessment.id).status == to_status
    rows = _status_rows(assessment.id)
    assert len(rows) == len(before) + 1
    new = rows[-1]
    assert new.actor_id == actor.id
    assert new.supplier_id == assessment.supplier_id
    assert new.detail == {"from_status": str(from_status), "to_status": str(to_status)}


@pytest.mark.parametrize(
    ("from_status", "to_status"), [p for p in ALL_PAIRS if p not in ALLOWED_PAIRS]
)
def test_refused_transition_raises_and_changes_nothing(assessment_in, from_status, to_status):
    assessment, contact = assessment_in(from_status)
    submitted_at = assessment.submitted_at
    submitted_by = assessment.submitted_by_id
    audit_rows = db.session.scalar(select(func.count(AuditEntry.id)))

    with pytest.raises(TransitionRefused) as refused:
        change_status(assessment, to_status, by=contact)
    db.session.flush()

    assert refused.value.message  # a sentence for the user, not an empty error
    db.session.expire(assessment)
    stored = db.session.get(Assessment, assessment.id)
    assert stored.status == from_status
    assert stored.submitted_at == submitted_at
    assert stored.submitted_by_id == submitted_by
    assert db.session.scalar(select(func.count(AuditEntry.id))) == audit_rows


@pytest.mark.parametrize("from_status", [INVITED, IN_PROGRESS])
def test_submitting_stamps_submitted_at_and_who_submitted(assessment_in, from_status):
    assessment, contact = assessment_in(from_status)
    assert assessment.submitted_at is None

    change_status(assessment, SUBMITTED, by=contact)
    db.session.flush()

    db.session.expire(assessment)
    stored = db.session.get(Assessment, assessment.id)
    assert stored.submitted_at is not None
    assert stored.submitted_by_id == contact.id


def test_starting_to_answer_does_not_stamp_submitted_at(assessment_in):
    assessment, contact = assessment_in(INVITED)

    change_status(assessment, IN_PROGRESS, by=contact)
    db.session.flush()

    db.session.expire(assessment)
    assert db.session.get(Assessment, assessment.id).submitted_at is None


def test_refusal_message_names_the_current_status(assessment_in):
    assessment, contact = assessment_in(SUBMITTED)

    with pytest.raises(TransitionRefused, match="already submitted"):
        change_status(assessment, IN_PROGRESS, by=contact)


@pytest.mark.parametrize(("from_status", "to_status"), sorted(BUYER_MOVES))
def test_a_supplier_cannot_accept_or_return_its_own_assessment(
    assessment_in, from_status, to_status
):
    assessment, contact = assessment_in(from_status)

    with pytest.raises(TransitionRefused):
        change_status(assessment, to_status, by=contact)

    assert assessment.status == from_status


@pytest.mark.parametrize(("from_status", "to_status"), sorted(SUPPLIER_MOVES))
def test_a_buyer_or_another_supplier_cannot_answer_for_the_supplier(
    assessment_in, make_buyer, make_supplier, from_status, to_status
):
    buyer_id = make_buyer()  # created before the test's own transaction starts reading
    _other_supplier, other_contact = make_supplier()
    assessment, _contact = assessment_in(from_status)

    for someone_else in (db.session.get(User, buyer_id), db.session.get(User, other_contact)):
        with pytest.raises(TransitionRefused):
            change_status(assessment, to_status, by=someone_else)

    assert assessment.status == from_status
