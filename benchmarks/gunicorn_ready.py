"""gunicorn settings for the benchmarks: each worker says when it has loaded the app.

`serve()` waits for every worker before the load starts, as a server started earlier
would have them; otherwise the first seconds of a run measure imports, not requests. A
worker started later (after a kill) finds the folder gone and says nothing.
"""

import contextlib
import os
from pathlib import Path


def post_worker_init(worker) -> None:
    folder = os.environ.get("BENCH_READY_DIR")
    if folder:
        with contextlib.suppress(OSError):
            Path(folder, str(worker.pid)).touch()
