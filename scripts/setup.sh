#!/usr/bin/env bash
# Create .venv (once) and install the project with its test tools. Used by demo.sh and test.sh.
# A .venv made by a Python older than 3.11 (or broken) is rebuilt, so that installing a newer
# Python and starting again just works. Messages are in French: the clerk may read them.
set -euo pipefail
cd "$(dirname "$0")/.."

recent_enough() {  # the Python named by $1 runs and is 3.11 or newer
  "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1
}

if [ -n "${PYTHON:-}" ]; then
  candidates=("$PYTHON")
else
  candidates=(python3.13 python3.12 python3.11 python3)
fi
PYTHON=""
for candidate in "${candidates[@]}"; do
  if recent_enough "$candidate"; then PYTHON=$candidate; break; fi
done
if [ -z "$PYTHON" ]; then
  echo "ERREUR : il faut Python 3.11 ou plus récent (« ${candidates[*]} » : absent ou trop ancien)." >&2
  echo "Installez Python 3.11 ou plus depuis python.org, puis relancez cette commande." >&2
  exit 1
fi

if [ -e .venv ] && ! recent_enough .venv/bin/python; then
  echo "Le dossier .venv a été fait avec un Python trop ancien ou abîmé : il est refait avec $("$PYTHON" --version)." >&2
  rm -rf .venv
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[test]"
  touch "$stamp"
fi
