"""Under gunicorn with an access log, every request is logged once and no sign-in token is.

The README's production command runs gunicorn with `--access-logfile -`; the filter that
hides tokens must handle gunicorn's named log arguments, or gunicorn writes no access line
and logs a traceback for every request instead.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TOKEN = "Zq3xYp7wVb2nKd9sLm4tRf6h"  # looks like a sign-in token; matches no link


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback http
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def gunicorn(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.db'}",
        "SECRET_KEY": "gunicorn-test",
        "RATELIMIT_ENABLED": "false",
    }
    env.pop("REDIS_URL", None)
    subprocess.run(  # noqa: S603 - our own flask and gunicorn
        [BIN / "flask", "--app", "portal", "migrate"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    port = _free_port()
    access_log, error_log = tmp_path / "access.log", tmp_path / "error.log"
    server = subprocess.Popen(  # noqa: S603 - our own flask and gunicorn
        [
            BIN / "gunicorn",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            access_log,
            "--error-logfile",
            error_log,
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            _get(f"{base}/sign-in")
            break
        except OSError:
            time.sleep(0.1)
    yield base, access_log, error_log
    server.terminate()
    server.wait(timeout=10)


def test_access_log_has_one_line_per_request_and_no_token(gunicorn):
    base, access_log, error_log = gunicorn

    assert _get(f"{base}/link/{TOKEN}") < 500
    assert _get(f"{base}/password/{TOKEN}") < 500
    assert _get(f"{base}/sign-in") == 200
    time.sleep(0.5)  # gunicorn writes the access line after the response

    lines = access_log.read_text().splitlines()
    assert any("/link/[redacted]" in line for line in lines), lines
    assert any("/password/[redacted]" in line for line in lines), lines
    assert any('"GET /sign-in HTTP/1.1" 200' in line for line in lines), lines
    assert TOKEN not in access_log.read_text()
    errors = error_log.read_text()
    assert "Traceback" not in errors, errors
    assert "TypeError" not in errors, errors
