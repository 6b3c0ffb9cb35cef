"""This code against an earlier revision, in one run: ratios hold on a noisy, shared machine.

    python -m bench.compare                          # against 31e1dde (the grid TripIndex)
    python -m bench.compare --before main --rounds 5

The earlier revision is unpacked from git into a temporary folder; each round measures it
then this tree, each in fresh processes, on the same workbooks (10k trips for speed, 1k for
memory; `--trips`, `--memory-trips`): search p95 (`bench.search`, wall and CPU time), the
index's build (CPU), every commune's trips (`by_place`, CPU), and the RSS of a worker
serving searches (`bench.memory`). Prints each figure's median and after/before ratio.
The search is also measured "best of 5": 200 URLs of the mix, each tried 5 times with the
pages and answers kept in memory dropped before each try, its least time kept; on a machine
shared with other work, that is the closest to what the request costs on a quiet one.

    python -m bench.compare --before a141811 --same-output

checks instead that both revisions answer the search mix byte for byte alike (status,
content type, body of `/trajets`, `/trajets.json` and `/trajets/page/N`), on 10k trips
and 1k, with and without `service.url`.
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
from comobi import create_app
from comobi.matching import TripIndex
from comobi.storage import get_storage
path, departements, requests = Path(sys.argv[1]), sys.argv[3:], int(sys.argv[2])
app = create_app({"SECRET_KEY": "bench", **common.settings_for(path, departements)})
with app.app_context():
    board = get_storage().read_now()  # one read, waited for: not the board saved on disk, no refresh later
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
def best_of(repeats):
    # Each URL's least time over `repeats` tries, pages and answers kept in memory dropped
    # before each: the cost of the request itself, without the other processes' share.
    from comobi.web.derived import trip_index
    with app.test_request_context("/"):
        index = trip_index()
    client, best = app.test_client(), {}
    for _ in range(repeats):
        for n, (_, url) in enumerate(urls[:200]):
            app.extensions.pop("comobi.pages", None)  # the page cache: before the derived layer,
            derived = app.extensions.get("comobi.derived")  # and in it (a part of its own)
            getattr(derived, "_parts", {}).pop("pages", None)
            getattr(index, "_results", {}).clear()
            wall, cpu = time.perf_counter(), time.thread_time()
            client.get(url)
            spent = ((time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000)
            best[n] = tuple(map(min, best.get(n, spent), spent))
    return [w for w, _ in best.values()], [c for _, c in best.values()]
best_wall, best_cpu = best_of(5)
print(json.dumps({"search_p50_ms": common.percentile(timings["overall"], 50),
                  "search_p95_ms": common.percentile(timings["overall"], 95),
                  "search_p50_cpu_ms": common.percentile(timings["overall, CPU time"], 50),
                  "search_p95_cpu_ms": common.percentile(timings["overall, CPU time"], 95),
                  "best_p50_ms": common.percentile(best_wall, 50), "best_p95_ms": common.percentile(best_wall, 95),
                  "best_p50_cpu_ms": common.percentile(best_cpu, 50),
                  "best_p95_cpu_ms": common.percentile(best_cpu, 95),
                  "build_s": statistics.median(b for b, _ in builds), "by_place_s": by_place}))
"""
MEMORY = """
import json, sys
from pathlib import Path
from bench import memory
print(json.dumps(memory.one(Path(sys.argv[1]), sys.argv[3:], int(sys.argv[2]))))
"""
# Run in the tree checked: one line per URL, its status, content type and the body's digest.
OUTPUT = """
import hashlib, json, sys
from pathlib import Path
from bench import common, search
from comobi import create_app
from comobi.storage import get_storage
path, departements, requests, service_url = Path(sys.argv[1]), sys.argv[4:], int(sys.argv[2]), sys.argv[3]
app = create_app({"SECRET_KEY": "bench", **common.settings_for(path, departements),
                  **({"service.url": service_url} if service_url else {})})
with app.app_context():
    get_storage().read_now()  # one read, waited for: not the board saved on disk, no refresh later
client = app.test_client()
urls = [url for _, url in search.queries(requests, departements, seed=11)]
urls += ["/trajets?page=0", "/trajets?page=x", "/trajets?page=99999", "/trajets.json?page=2",
         "/trajets.json?page=-1&jour=mardi", "/trajets/page/2", "/trajets/page/3", "/trajets/page/99999"]
for url in urls:
    response = client.get(url)
    print(json.dumps([url, response.status_code, response.content_type,
                      hashlib.sha256(response.get_data()).hexdigest()]))
"""
FIGURES = (("search_p50_ms", "search p50, wall", "ms"), ("search_p95_ms", "search p95, wall", "ms"),
           ("search_p50_cpu_ms", "search p50, CPU", "ms"), ("search_p95_cpu_ms", "search p95, CPU", "ms"),
           ("best_p50_ms", "search p50, best of 5, wall", "ms"), ("best_p95_ms", "search p95, best of 5, wall", "ms"),
           ("best_p50_cpu_ms", "search p50, best of 5, CPU", "ms"),
           ("best_p95_cpu_ms", "search p95, best of 5, CPU", "ms"),
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


def same_output(trees: dict[str, Path], books: list[Path], requests: int, departements) -> bool:
    """Whether both trees answer every URL of the mix alike; prints the first differences."""
    same = True
    for book in books:
        for service_url in ("", "https://covoiturage.example.fr"):
            answers = {}
            for name, tree in trees.items():
                env = {**os.environ, "PYTHONPATH": str(tree)}
                out = subprocess.run([sys.executable, "-c", OUTPUT, str(book), str(requests), service_url,
                                      *departements], cwd=tree, env=env, capture_output=True, text=True,
                                     check=True).stdout
                answers[name] = [json.loads(line) for line in out.splitlines() if line.startswith("[")]
            differ = [(b, a) for b, a in zip(answers["before"], answers["after"]) if b != a]
            if len(answers["before"]) != len(answers["after"]):
                differ.append(("lengths", (len(answers["before"]), len(answers["after"]))))
            print(f"{book.name}, service.url={service_url or '(none)'}: {len(answers['after'])} URLs, "
                  f"{len(differ)} different")
            for before, after in differ[:5]:
                print(f"  before {before}\n  after  {after}")
            same = same and not differ
    return same


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", default=BEFORE, help="git revision to compare with")
    parser.add_argument("--trips", type=int, default=10000)
    parser.add_argument("--memory-trips", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--departements", nargs="+", default=list(common.generate.DEPARTEMENTS))
    parser.add_argument("--same-output", action="store_true",
                        help="check that both revisions answer the search mix alike, measure nothing")
    args = parser.parse_args(argv)
    print(common.machine())
    speed_book, memory_book = common.workbook(args.trips), common.workbook(args.memory_trips)
    if args.same_output:
        with tempfile.TemporaryDirectory() as folder:
            trees = {"before": unpack(args.before, Path(folder)), "after": ROOT}
            same = same_output(trees, [speed_book, memory_book], args.requests, args.departements)
        print("same output" if same else "DIFFERENT OUTPUT")
        if not same:
            raise SystemExit(1)
        return {}
    figures: dict[str, dict[str, list[float]]] = {"before": {}, "after": {}}
    loads: list[float] = []  # the 1-minute load average after each round
    with tempfile.TemporaryDirectory() as folder:
        trees = {"before": unpack(args.before, Path(folder)), "after": ROOT}
        for _ in range(args.rounds):
            for name, tree in trees.items():
                found = run(tree, SPEED, speed_book, args.requests, args.departements)
                found |= run(tree, MEMORY, memory_book, args.requests // 2, args.departements)
                for key, value in found.items():
                    figures[name].setdefault(key, []).append(value)
            loads.append(os.getloadavg()[0])
    medians = {name: {key: statistics.median(values) for key, values in found.items()}
               for name, found in figures.items()}
    print(f"\n{args.rounds} rounds, medians; speed on {args.trips} trips, memory on {args.memory_trips}; "
          f"before = {args.before}; load average (1 min) after each round: {min(loads):.1f}-{max(loads):.1f}")
    print(f"  {'':32} {'before':>9} {'after':>9} {'after/before':>13}  unit")
    for key, label, unit in FIGURES:
        before, after = medians["before"][key], medians["after"][key]
        print(f"  {label:32} {before:9.3f} {after:9.3f} {after / before:13.2f}  {unit}")
    return medians


if __name__ == "__main__":
    main()
