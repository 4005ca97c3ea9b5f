"""Every refusal of the domain shares one base, and a refusal marks its unit of work."""

from __future__ import annotations

import pytest

from portal.actions.logic import ActionRefused, EvidenceUploadRefused
from portal.assessments.logic import AlreadySubmitted
from portal.assessments.stamps import EditedElsewhere
from portal.assessments.status import TransitionRefused
from portal.dashboard.bulk import BulkRefused
from portal.evidence.processing import EvidenceRefused
from portal.extensions import db
from portal.findings.logic import FindingRefused
from portal.refusals import Refused, was_refused
from portal.risk.ratings import RatingRefused
from portal.suppliers.import_rows import ImportRefused


@pytest.mark.parametrize(
    ("kind", "args"),
    [
        (TransitionRefused, ("no",)),
        (AlreadySubmitted, ()),
        (EditedElsewhere, ({"q": 1},)),
        (ActionRefused, ("no",)),
        (EvidenceUploadRefused, (["no", "nothing saved"],)),
        (FindingRefused, ("no",)),
        (BulkRefused, ("no",)),
        (ImportRefused, ("line 2: no", "line 3: no")),
        (RatingRefused, ("rating", "no")),
        (EvidenceRefused, ("no", "empty")),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_every_refusal_is_a_refused_with_a_message(ctx, kind, args):
    assert not was_refused()

    refusal = kind(*args)

    assert isinstance(refusal, Refused)
    assert isinstance(refusal.message, str)
    assert was_refused()


def test_the_mark_ends_with_the_unit_of_work(ctx):
    db.session.connection()  # a refusal comes after the reads that decided it
    TransitionRefused("no")
    assert was_refused()

    db.session.rollback()

    assert not was_refused()


def test_a_savepoint_rolled_back_keeps_the_mark(ctx):
    db.session.connection()
    savepoint = db.session.begin_nested()
    ImportRefused("line 2: no")
    savepoint.rollback()

    assert was_refused()


# Exceptions that are not refusals of a user's move: parse results handled on the spot,
# operator errors in shipped files, delivery retries, internal guards.
NOT_REFUSALS = {
    "AnswerInvalid",  # a stored or typed value that does not parse; callers decide
    "RatingFileError",  # a shipped rating file is broken: the operator's problem
    "OutboxNotDelivered",  # raised inside a job so that the queue retries it
    "InvalidName",  # evidence storage guard against path tricks
    "RefusedURL",  # WeasyPrint's fetcher refusing a URL inside a rendering
    "OrganisationProblem",  # a command names no organisation where several exist
    "OrganisationMismatch",  # guard: a row linked to a parent of another organisation
}


def _exception_classes():
    import importlib
    import inspect
    import pkgutil

    import portal

    for module_info in pkgutil.walk_packages(portal.__path__, "portal."):
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, Exception)
                and value.__module__ == module.__name__
            ):
                yield name, value


def test_every_exception_the_portal_defines_is_a_refusal_or_says_why_not():
    classes = dict(_exception_classes())
    assert "TransitionRefused" in classes  # the walk found the domain's modules
    stray = sorted(
        name
        for name, kind in classes.items()
        if not issubclass(kind, Refused) and name not in NOT_REFUSALS
    )
    assert stray == []
