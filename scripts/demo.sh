#!/usr/bin/env bash
# Set up and start the app on the demo workbook: http://127.0.0.1:5000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/flask --app app run "$@"
