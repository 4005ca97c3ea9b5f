"""Object ids as the database can hold them: anything out of range names no object."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

# Primary keys are INTEGER columns: PostgreSQL holds up to 2**31 - 1 in them, SQLite more.
# One bound for both, so that a URL answers the same on either database.
MAX_ID = 2**31 - 1


def digits_up_to(limit: int) -> str:
    """A regular expression matching the decimal numbers from 0 to `limit`, and no other."""
    top = str(limit)
    shorter = [rf"\d{{1,{len(top) - 1}}}"] if len(top) > 1 else []
    same_length = [
        f"{top[:i]}[0-{int(digit) - 1}]"
        + (rf"\d{{{len(top) - i - 1}}}" if i < len(top) - 1 else "")
        for i, digit in enumerate(top)
        if digit != "0"
    ]
    return "(?:" + "|".join([*shorter, *same_length, top]) + ")"


class DatabaseIdConverter(IntegerConverter):
    """The app's `int` URL converter: 0 to MAX_ID, so a larger number is a plain 404.

    The bound is in the pattern, not only in `to_python`: a number that fails conversion
    after its rule matched would answer 405 where a rule of another method shares the path.
    """

    regex = digits_up_to(MAX_ID)

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def database_id(value: str) -> int:
    """Read an id from a query string or form; ValueError when no row could have it.

    Made for `request.args.get(name, type=database_id)`, which turns the ValueError into
    the default.
    """
    number = int(value)
    if not 0 <= number <= MAX_ID:
        raise ValueError(f"id out of range: {value!r}")
    return number
