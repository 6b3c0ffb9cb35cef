"""This code against an earlier revision, in one run: ratios hold on a noisy, shared machine.

    python -m bench.compare                          # against 31e1dde (the grid TripIndex)
    python -m bench.compare --before main --rounds 5

The earlier revision is unpacked from git into a temporary folder; each round measures it
then this tree, each in fresh processes, on the same workbooks (10k trips for speed, 1k for
memory; `--trips`, `--memory-trips`): search p95 (`bench.search`, wall and CPU time), the
index's build (CPU), every commune's trips (`by_place`, CPU), and the RSS of a worker
serving searches (`bench.memory`). Prints each figure's median and after/before ratio.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

from bench import common

ROOT = Path(__file__).resolve().parent.parent
BEFORE = "31e1dde"  # the last revision with the 490-line grid index and the full commune list

# Run in the tree measured (its own comobi and bench): prints one JSON line.
SPEED = """
import json, statistics, sys, time
from datetime import date
from pathlib import Path
from bench import common, search
from comobi.matching import TripIndex
from comobi.storage import get_storage
path, departements, requests = Path(sys.argv[1]), sys.argv[3:], int(sys.argv[2])
app = common.make_app(path, departements)
with app.app_context():
    board = get_storage().board()
settings, today = app.config["COMOBI"], date.today()
def build():
    index = TripIndex(board.trips, detour_factor=settings["matching.detour_factor"],
                      near_km=settings["matching.near_km"])
    index.listed(today)
    return index
def cpu(work):
    start = time.thread_time(); result = work(); return time.thread_time() - start, result
builds = [cpu(build) for _ in range(5)]
by_place, _ = cpu(lambda: builds[-1][1].by_place(board.places.in_scope(), today))
urls = search.queries(requests, departements)
search.measure(app, urls[:20])
timings = search.measure(app, urls)
print(json.dumps({"search_p95_ms": common.percentile(timings["overall"], 95),
                  "search_p95_cpu_ms": common.percentile(timings["overall, CPU time"], 95),
                  "build_s": statistics.median(b for b, _ in builds), "by_place_s": by_place}))
"""
MEMORY = """
import json, sys
from pathlib import Path
from bench import memory
print(json.dumps(memory.one(Path(sys.argv[1]), sys.argv[3:], int(sys.argv[2]))))
"""
FIGURES = (("search_p95_ms", "search p95, wall", "ms"), ("search_p95_cpu_ms", "search p95, CPU", "ms"),
           ("build_s", "index build, CPU", "s"), ("by_place_s", "by_place, every commune, CPU", "s"),
           ("rss_serving_mb", "RSS of a worker serving", "MB"))


def unpack(revision: str, folder: Path) -> Path:
    archive = subprocess.run(["git", "archive", "--format=tar", revision], cwd=ROOT, capture_output=True,
                             check=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def run(tree: Path, script: str, path: Path, requests: int, departements) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run([sys.executable, "-c", script, str(path), str(requests), *departements], cwd=tree,
                         env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", default=BEFORE, help="git revision to compare with")
    parser.add_argument("--trips", type=int, default=10000)
    parser.add_argument("--memory-trips", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--departements", nargs="+", default=list(common.generate.DEPARTEMENTS))
    args = parser.parse_args(argv)
    print(common.machine())
    speed_book, memory_book = common.workbook(args.trips), common.workbook(args.memory_trips)
    figures: dict[str, dict[str, list[float]]] = {"before": {}, "after": {}}
    with tempfile.TemporaryDirectory() as folder:
        trees = {"before": unpack(args.before, Path(folder)), "after": ROOT}
        for _ in range(args.rounds):
            for name, tree in trees.items():
                found = run(tree, SPEED, speed_book, args.requests, args.departements)
                found |= run(tree, MEMORY, memory_book, args.requests // 2, args.departements)
                for key, value in found.items():
                    figures[name].setdefault(key, []).append(value)
    medians = {name: {key: statistics.median(values) for key, values in found.items()}
               for name, found in figures.items()}
    print(f"\n{args.rounds} rounds, medians; speed on {args.trips} trips, memory on {args.memory_trips}; "
          f"before = {args.before}")
    print(f"  {'':32} {'before':>9} {'after':>9} {'after/before':>13}  unit")
    for key, label, unit in FIGURES:
        before, after = medians["before"][key], medians["after"][key]
        print(f"  {label:32} {before:9.3f} {after:9.3f} {after / before:13.2f}  {unit}")
    return medians


if __name__ == "__main__":
    main()
