"""The operating-system packages the tests need are installed by CI and named in the README."""

from __future__ import annotations

import os

import pytest

from portal import PROJECT_ROOT
from tests import system_packages
from tests.system_packages import NEEDS, require

PACKAGES = sorted({package for needs in NEEDS.values() for package, _present in needs})


@pytest.mark.parametrize("package", PACKAGES)
def test_ci_installs_and_the_readme_names_each_package_a_test_needs(package):
    assert package in (PROJECT_ROOT / ".ci" / "run").read_text()
    assert package in (PROJECT_ROOT / "README.md").read_text()


def test_a_missing_package_skips_with_its_name_outside_ci(monkeypatch):
    monkeypatch.setitem(system_packages._found, "pdf", ["fonts-noto-cjk"])
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install fonts-noto-cjk"):
        require("pdf")


def test_a_missing_package_fails_under_ci(monkeypatch):
    monkeypatch.setitem(system_packages._found, "browser", ["chromium"])
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="chromium"):
        require("browser")


def test_nothing_is_missing_on_this_machine_under_ci(monkeypatch):
    """CI must have everything: the run fails here first, with the list, if it does not."""
    if os.environ.get("CI") != "true":
        pytest.skip("only meaningful under CI=true")
    assert {group: system_packages.missing(group) for group in NEEDS} == {
        group: [] for group in NEEDS
    }
