"""With REDIS_URL set, rate limits are shared by every app process (here: two processes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import pytest
import redis

from portal import PROJECT_ROOT

REDIS_URL = "redis://127.0.0.1:6379/0"

ATTEMPTS = """
import json, os, sys
from portal import create_app
app = create_app({"WTF_CSRF_ENABLED": False, "DATABASE_URL": os.environ["TEST_DB"],
                  "RATELIMIT_KEY_PREFIX": os.environ["PREFIX"]})
client = app.test_client()
codes = [client.post("/sign-in", data={"email": "nobody@example.com", "password": "wrong"})
         .status_code for _ in range(int(sys.argv[1]))]
print(json.dumps(codes))
"""


def _redis_available() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except redis.RedisError:
        return False


def _attempts(count: int, prefix: str, database_url: str) -> list[int]:
    env = {
        **os.environ,
        "REDIS_URL": REDIS_URL,
        "PREFIX": prefix,
        "TEST_DB": database_url,
        "SECRET_KEY": "test",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", ATTEMPTS, str(count)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_sign_in_attempts_are_counted_across_processes_through_redis(app):
    if not _redis_available():
        if os.environ.get("CI") == "true":
            pytest.fail("Redis must run on 127.0.0.1:6379 in CI")
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"test-{uuid.uuid4().hex}"
    database_url = app.config["DATABASE_URL"]
    try:
        first = _attempts(6, prefix, database_url)
        second = _attempts(6, prefix, database_url)
    finally:
        connection = redis.Redis.from_url(REDIS_URL)
        for key in connection.scan_iter(f"{prefix}*"):
            connection.delete(key)

    assert first == [200] * 6
    assert second == [200] * 4 + [429] * 2  # the limit is 10 per 15 minutes, all processes
