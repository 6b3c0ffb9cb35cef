"""Deployments install pinned versions: every dependency of pyproject.toml is in the lock
files made by scripts/lock.sh (after adding one, run scripts/lock.sh)."""
from __future__ import annotations

import re
import tomllib

from comobi.settings import PROJECT_ROOT

PROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]


def name_of(requirement: str) -> str:
    """PEP 503's normalised name of "Flask-WTF>=1.2" or "flask_wtf==1.3.0"."""
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", requirement).group()).lower()


def pinned(lock: str) -> dict[str, str]:
    lines = [line.strip() for line in (PROJECT_ROOT / lock).read_text().splitlines()]
    pins = [line for line in lines if line and not line.startswith("#")]
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+==[\w.+!-]+", pin) for pin in pins), pins
    return {name_of(pin): pin.partition("==")[2] for pin in pins}


def test_every_dependency_is_pinned_for_deployments():
    lock = pinned("requirements.lock")
    missing = [name for name in map(name_of, PROJECT["dependencies"]) if name not in lock]
    assert not missing, f"run scripts/lock.sh: {missing} not in requirements.lock"
    assert "pytest" not in lock  # test tools stay out of deployments


def test_test_tools_are_pinned_at_the_same_versions():
    lock, test_lock = pinned("requirements.lock"), pinned("requirements-test.lock")
    wanted = PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"]
    missing = [name for name in map(name_of, wanted) if name not in test_lock]
    assert not missing, f"run scripts/lock.sh: {missing} not in requirements-test.lock"
    assert {name: test_lock[name] for name in lock} == lock


def test_names_are_compared_as_pip_does():
    assert name_of("Flask-WTF>=1.2") == name_of("flask_wtf==1.3.0") == "flask-wtf"
