"""Outbox delivery as a background job."""

from __future__ import annotations

from portal.jobs import in_app_context
from portal.notifications.logic import deliver_pending


class OutboxNotDelivered(RuntimeError):
    """Some mail could not be delivered; raised so that the job queue retries the job."""


def deliver_outbox() -> tuple[int, int]:
    """Deliver what is due in the outbox; raise when some of it failed.

    Runs in the current app context when there is one (in-process, or a worker started
    inside one), otherwise in a context of an app created for this worker process. Each
    failed mail also keeps its own retry time in the outbox, so nothing is lost.
    """
    sent, failed = in_app_context(deliver_pending)
    if failed:
        raise OutboxNotDelivered(f"{failed} mail(s) not delivered, {sent} sent")
    return sent, failed
