"""Memory (RSS) of one worker holding a board, and how long reading the sheet takes.

    python -m bench.memory                  # 1,000 and 10,000 trips, each in a fresh process

Reports VmRSS (from /proc/self/status) after the app starts, after the first read of the
workbook (the board), and after searches have filled the index and its caches; plus the
time of that first read (what the first visitor after each change of the sheet waits,
once per worker).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from bench import common, search


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def one(path: Path, departements, requests: int) -> dict:
    """Measured in this process: call it in a fresh one."""
    from comobi import create_app
    from comobi.storage import get_storage

    app = create_app({"SECRET_KEY": "bench", **common.settings_for(path, departements)})
    started = rss_mb()
    with app.app_context():
        clock = time.perf_counter()
        board = get_storage().board()
        read_seconds = time.perf_counter() - clock
    loaded = rss_mb()
    search.measure(app, search.queries(requests, departements))
    return {"trips": len(board.trips), "read_s": read_seconds, "rss_app_mb": started,
            "rss_board_mb": loaded, "rss_serving_mb": rss_mb()}


def main(argv=None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_workbook_arguments(parser)
    parser.add_argument("--requests", type=int, default=300, help="searches before the last figure")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.one, args.departements, args.requests)))
        return []
    print(common.machine())
    print(f"\n  {'workbook':34} {'trips':>6} {'first read s':>12} {'RSS app MB':>11} "
          f"{'+ board MB':>11} {'serving MB':>11}")
    rows = []
    for path in common.workbooks(args):
        out = subprocess.run([sys.executable, "-m", "bench.memory", "--one", str(path), "--requests",
                              str(args.requests), "--departements", *args.departements],
                             capture_output=True, text=True, check=True).stdout
        row = json.loads(out.strip().splitlines()[-1])
        print(f"  {path.name:34} {row['trips']:6d} {row['read_s']:12.1f} {row['rss_app_mb']:11.0f} "
              f"{row['rss_board_mb']:11.0f} {row['rss_serving_mb']:11.0f}")
        rows.append(row)
    return rows


if __name__ == "__main__":
    main()
