#!/usr/bin/env bash
# Set up, lint (ruff) and run the whole test suite. Extra arguments go to pytest as they are.
# Without arguments: the tests without a browser on two processes (pytest-xdist), then the
# browser tests on two processes as well, each with its own Chromium and live servers; every
# check of one page state stays on the process that reached it (--dist loadgroup).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/ruff check .  # the rules are in pyproject.toml [tool.ruff]

# Temporary files (every test's tmp_path) in memory when /dev/shm has room (4 GB) and TMPDIR is
# not set: the app fsyncs each write, a quarter of the time of the tests that write, for a
# durability no test can see. The folder is this run's own, removed at the end.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] &&
   [ "$(df -Pk /dev/shm | awk 'NR == 2 {print $4}')" -gt 4000000 ]; then
  TMPDIR=$(mktemp -d /dev/shm/comobi-tests.XXXXXX)
  chmod 1777 "$TMPDIR"  # as /tmp: nginx's workers (another user) read the benchmarks' folders
  export TMPDIR
  trap 'rm -rf "$TMPDIR"' EXIT
fi

# Some machines set PYTHONDONTWRITEBYTECODE: then every test process (and every gunicorn or
# flask subprocess of the tests) compiles the project and rewrites the tests' asserts again,
# ~4 s each. The compiled files go to __pycache__/ (ignored by git).
unset PYTHONDONTWRITEBYTECODE

if [ $# -gt 0 ]; then
  .venv/bin/python -m pytest "$@"
  exit
fi
.venv/bin/python -m pytest -m "not browser" -n 2
.venv/bin/python -m pytest -m browser -n 2 --dist loadgroup
