#!/usr/bin/env bash
# Pin every dependency's version for deployments: run after changing `dependencies` (or the
# test extras) in pyproject.toml, then commit the two files.
#   requirements.lock       the app's dependencies, all pinned (used by requirements.txt,
#                           scripts/setup.sh, DEPLOY.md and deploy/github-pages.yml)
#   requirements-test.lock  the same plus the test tools (used by scripts/setup.sh)
# Made by `pip freeze` in fresh virtual environments, so nothing of .venv leaks in.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

freeze() {  # $1: what to install; prints the pinned versions of everything it pulled in
  "$PYTHON" -m venv "$work/venv"
  "$work/venv/bin/python" -m pip install --quiet --upgrade pip
  "$work/venv/bin/python" -m pip install --quiet "$1"
  "$work/venv/bin/python" -m pip freeze --all --exclude comobi --exclude pip --exclude setuptools --exclude wheel
  rm -rf "$work/venv"
}

header="# Made by scripts/lock.sh from pyproject.toml with $("$PYTHON" --version): do not edit by hand."
{ echo "$header"; freeze "."; } > "$work/requirements.lock"
{ echo "$header"; freeze ".[test]"; } > "$work/requirements-test.lock"
mv "$work/requirements.lock" "$work/requirements-test.lock" .
echo "requirements.lock : $(grep -vc '^#' requirements.lock) paquets ; requirements-test.lock : $(grep -vc '^#' requirements-test.lock) paquets."
