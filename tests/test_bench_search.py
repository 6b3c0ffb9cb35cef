"""bench.search's profile and bench.compare's scripts run, on a tiny workbook (no timing checked)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench import compare, generate, search

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def small_workbook(tmp_path_factory):
    return generate.write(tmp_path_factory.mktemp("bench") / "trips-40.xlsx", 40)


def test_the_search_profile_prints_where_the_time_goes(small_workbook, capsys):
    search.main(["--workbook", str(small_workbook), "--requests", "20", "--rounds", "1", "--profile", "5"])
    out = capsys.readouterr().out
    assert "Ordered by: internal time" in out and "Ordered by: cumulative time" in out


@pytest.mark.parametrize(("script", "keys"), [
    (compare.SPEED, {"search_p95_cpu_ms", "best_p95_cpu_ms", "best_p50_ms", "build_s", "by_place_s"}),
    (compare.OUTPUT, None),
])
def test_the_compare_scripts_run_in_this_tree(small_workbook, tmp_path, script, keys):
    extra = [""] if script is compare.OUTPUT else []  # OUTPUT's service.url
    out = subprocess.run([sys.executable, "-c", script, str(small_workbook), "20", *extra, *generate.DEPARTEMENTS],
                         cwd=ROOT, capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout  # the test's own instance file
    lines = [json.loads(line) for line in out.splitlines() if line.startswith(("{", "["))]
    if keys:
        assert keys <= set(lines[-1])
    else:
        assert len(lines) == 28 and all(status in (200, 404) for _, status, _, _ in lines)
