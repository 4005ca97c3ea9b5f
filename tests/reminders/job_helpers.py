"""Jobs for the job-queue tests, importable by dotted path."""

from __future__ import annotations

from flask import current_app

CALLS: list[str] = []


def echo(value: str) -> str:
    CALLS.append(value)
    return f"{value} in {current_app.name}"


def always_fails() -> None:
    CALLS.append("fail")
    raise RuntimeError("this job always fails")
