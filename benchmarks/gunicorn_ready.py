"""gunicorn settings for the benchmarks: each worker says when it has loaded the app, and
may time every request it serves and profile itself.

`serve()` waits for every worker before the load starts, as a server started earlier
would have them; otherwise the first seconds of a run measure imports, not requests. A
worker started later (after a kill) finds the folder gone and says nothing.

With BENCH_TIMING_DIR set, each worker appends one line per request to its own file in
that folder: method, path, status, wall and CPU milliseconds from the parsed request to
the last byte written. That is the server's time, without the wait in the listen backlog
that a client also sees. With BENCH_PROFILE_DIR set, each worker runs under cProfile and
writes its stats there when it exits. Both live here, in the benchmark's own gunicorn
settings, and never in the application.
"""

import contextlib
import os
import time
from pathlib import Path

_profile = None


def post_worker_init(worker) -> None:
    global _profile
    folder = os.environ.get("BENCH_READY_DIR")
    if folder:
        with contextlib.suppress(OSError):
            Path(folder, str(worker.pid)).touch()
    if os.environ.get("BENCH_PROFILE_DIR"):
        import cProfile

        _profile = cProfile.Profile()
        _profile.enable()


def worker_exit(_server, worker) -> None:
    if _profile is not None:
        _profile.disable()
        _profile.dump_stats(Path(os.environ["BENCH_PROFILE_DIR"], f"{worker.pid}.prof"))


def pre_request(_worker, req) -> None:
    req.bench_started = (time.perf_counter(), time.process_time())


def post_request(worker, req, _environ, resp) -> None:
    folder = os.environ.get("BENCH_TIMING_DIR")
    started = getattr(req, "bench_started", None)
    if not folder or started is None:
        return
    wall = (time.perf_counter() - started[0]) * 1000
    cpu = (time.process_time() - started[1]) * 1000
    status = resp.status.split()[0] if resp and resp.status else "0"
    with open(Path(folder, f"{worker.pid}.log"), "a") as log:  # one line, written at once
        log.write(f"{req.method} {req.path} {status} {wall:.2f} {cpu:.2f}\n")
