"""The benchmarks run, on tiny sizes, so that they never rot. No timing is checked here:
the figures belong to BENCHMARKS.md (full runs are manual)."""
import pytest

from bench import communes, generate, memory, outage, quota, search, throughput, weight
from bench import freeze as freeze_bench
from comobi.storage.local import LocalSpreadsheet


@pytest.fixture(scope="module")
def small_workbook(tmp_path_factory):
    return generate.write(tmp_path_factory.mktemp("bench") / "trips-50.xlsx", 50)


def test_generated_workbook_reads_without_problems(small_workbook, make_app):
    from comobi.storage import get_storage

    app = make_app(small_workbook, **{"scope.departements": list(generate.DEPARTEMENTS)})
    with app.app_context():
        board = get_storage().board()
    assert len(board.trips) == 50 and board.problems == []
    statuses = {t.status for t in board.trips}
    assert {"publié", "archivé"} <= statuses
    assert any(t.return_time for t in board.trips) and any(t.date for t in board.trips)


def test_generator_is_deterministic(tmp_path):
    first, _ = generate.generate(30, seed=5)
    second, _ = generate.generate(30, seed=5)
    assert first == second
    grid = LocalSpreadsheet(generate.write(tmp_path / "w.xlsx", 30, seed=5)).read_tab("Trajets")
    assert len(grid) == 31


def test_search_benchmark_runs(small_workbook, capsys):
    results = search.main(["--workbook", str(small_workbook), "--requests", "20", "--rounds", "1"])
    assert sum(len(v) for k, v in next(iter(results.values())).items() if k == "overall") == 20
    assert "p95" in capsys.readouterr().out


def test_communes_benchmark_runs(small_workbook, capsys):
    [row] = communes.main(["--workbook", str(small_workbook), "--rounds", "1"])
    assert row["trips"] == 50 and row["communes"] > 1000 and row["answers"] > 0
    assert "by_place" in capsys.readouterr().out


def test_weight_benchmark_runs(small_workbook, capsys):
    rows = weight.main(["--workbook", str(small_workbook)])
    assert [r["scripts"] for r in rows] == [0] * len(weight.PAGES)
    assert all(r["total_gz"] > r["assets_gz"] > 0 for r in rows)
    assert "/recherche.js (frozen site)" in capsys.readouterr().out


def test_quota_benchmark_runs(small_workbook, capsys):
    quota.main(["--workbook", str(small_workbook), "--views", "30", "--minutes", "2"])
    out = capsys.readouterr().out
    assert "read_tabs Trajets+Demandes+Lieux             2" in out  # one read per cache period


def test_memory_benchmark_runs(small_workbook):
    [row] = memory.main(["--workbook", str(small_workbook), "--requests", "5"])
    assert row["trips"] == 50 and row["rss_serving_mb"] > 0


def test_freeze_benchmark_runs(small_workbook, capsys):
    freeze_bench.main(["--workbook", str(small_workbook)])
    out = capsys.readouterr().out
    assert "skipped: no freeze command" in out or "files" in out


def test_throughput_benchmark_runs(small_workbook):
    [result] = throughput.main(["--workbook", str(small_workbook), "--duration", "1", "--runs", "1",
                                "--connections", "2", "--workers", "1", "--client", "python",
                                "--static-server", "python"]).values()
    assert result["live"] > 0 and result["static"] > 0


def test_outage_benchmark_runs(capsys):
    figures = outage.main(["--delay", "1", "--trips", "2"])
    assert [status for _, status, _ in figures] == [200] * 6
    assert "first request after a restart" in capsys.readouterr().out
