"""Background jobs: on RQ (queue "closeloop") when REDIS_URL is set, in-process otherwise.

A job is named by its dotted path, so the worker imports it itself; a job that raises is
retried with backoff (`RETRY_INTERVALS`) and, when it keeps failing, kept in RQ's failed
registry rather than lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import import_module
from typing import Any

from flask import current_app, g

QUEUE_NAME = "closeloop"
RETRY_INTERVALS = (10, 60, 300, 900, 3600)  # seconds before each of the 5 retries


_worker: Any = None


def worker_app():
    """The app of a worker process that runs jobs outside any app context (made once)."""
    global _worker
    if _worker is None:
        from portal import create_app

        _worker = create_app()
    return _worker


def in_app_context(func, *args: Any) -> Any:
    """Run `func(*args)` in the current app context (in-process, or a worker started in
    one), else in the context of this worker process's own app."""
    from flask import has_app_context

    if has_app_context():
        return func(*args)
    with worker_app().app_context():
        return func(*args)


def resolve(func_path: str):
    """The function at "package.module.function"."""
    module, _, name = func_path.rpartition(".")
    return getattr(import_module(module), name)


def redis_connection(url: str | None = None):
    from redis import Redis

    return Redis.from_url(url or current_app.config["REDIS_URL"])


def queue(url: str | None = None):
    from rq import Queue

    return Queue(QUEUE_NAME, connection=redis_connection(url))


def enqueue(func_path: str, *args: Any, intervals: Sequence[int] = RETRY_INTERVALS) -> Any:
    """Run `func_path(*args)` on the job queue, or right now when there is no Redis.

    Returns the RQ job, or the function's result when it ran in-process (inside the
    current app context; an exception propagates to the caller).
    """
    if not current_app.config.get("REDIS_URL"):
        return resolve(func_path)(*args)
    from rq import Retry

    return queue().enqueue(
        func_path, *args, retry=Retry(max=len(intervals), interval=list(intervals))
    )


def has_queue() -> bool:
    """True when jobs run on a queue (REDIS_URL set), False when they run in-process."""
    return bool(current_app.config.get("REDIS_URL"))


def enqueue_after_commit(func_path: str, *args: Any) -> None:
    """Enqueue `func_path(*args)` once this request's transaction has committed, so that
    the job sees what the request wrote; nothing is enqueued when the request fails."""
    g.setdefault("jobs_after_commit", []).append((func_path, args))


def start_jobs_after_commit() -> None:
    """Called after the commit: enqueue what the request asked for."""
    for func_path, args in g.pop("jobs_after_commit", []):
        enqueue(func_path, *args)
