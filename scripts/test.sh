#!/usr/bin/env bash
# Set up, lint (ruff) and run the whole test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/ruff check .  # the rules are in pyproject.toml [tool.ruff]
exec .venv/bin/python -m pytest "$@"
