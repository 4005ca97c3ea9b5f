"""Operating-system packages that some tests need, named once.

A test that needs one either finds it, or is skipped with a message naming the Debian
package to install; under `CI=true` a missing package fails the test instead, because
`.ci/run` must install it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from ctypes.util import find_library
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
_FONTS = Path("/usr/share/fonts")


def _font(name: str) -> Callable[[], bool]:
    return lambda: any(_FONTS.rglob(name)) if _FONTS.is_dir() else False


# What a test group needs: (Debian package, how to tell it is there).
NEEDS: dict[str, list[tuple[str, Callable[[], bool]]]] = {
    "browser": [("chromium", lambda: shutil.which(CHROMIUM) is not None)],
    "pdf": [
        ("libpango-1.0-0", lambda: find_library("pango-1.0") is not None),
        ("libharfbuzz-subset0", lambda: find_library("harfbuzz-subset") is not None),
        ("fonts-noto-core", _font("NotoSans-Regular.ttf")),
        ("fonts-noto-cjk", _font("NotoSansCJK-Regular.tt*")),
    ],
}

_found: dict[str, list[str]] = {}


def missing(group: str) -> list[str]:
    """The Debian packages of `group` that this machine lacks (checked once per run)."""
    if group not in _found:
        _found[group] = [package for package, present in NEEDS[group] if not present()]
    return _found[group]


def require(group: str, *, module_level: bool = False) -> None:
    """Skip (or, under CI, fail) the current test when `group`'s packages are missing."""
    packages = missing(group)
    if not packages:
        return
    message = (
        f"needs the operating-system package(s) {', '.join(packages)} "
        f"(apt-get install {' '.join(packages)})"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}: .ci/run must install them", pytrace=False)
    pytest.skip(message, allow_module_level=module_level)
