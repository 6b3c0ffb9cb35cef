#!/usr/bin/env bash
# Set up, lint (ruff) and run the whole test suite. Extra arguments go to pytest as they are.
# Without arguments: the tests without a browser on two processes (pytest-xdist), then the
# browser tests on two processes as well, each with its own Chromium and live servers; every
# check of one page state stays on the process that reached it (--dist loadgroup).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/ruff check .  # the rules are in pyproject.toml [tool.ruff]
if [ $# -gt 0 ]; then
  exec .venv/bin/python -m pytest "$@"
fi
.venv/bin/python -m pytest -m "not browser" -n 2
exec .venv/bin/python -m pytest -m browser -n 2 --dist loadgroup
