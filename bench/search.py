"""Search latency in-process: /trajets and /trajets.json under a realistic mix of queries.

    python -m bench.search                      # 1,000 and 10,000 trips, 400 requests each
    python -m bench.search --trips 10000 --requests 1000 --rounds 3
    python -m bench.search --trips 10000 --profile 40   # where the time goes (cProfile)

Flask test client, board already loaded (the first read after a change is measured by
bench.memory). Prints p50 / p95 / max per size, overall and per kind of query, in
wall-clock time, and the overall in CPU time of the thread (less sensitive to other
processes on a busy machine).
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import time
from collections import defaultdict
from urllib.parse import urlencode

from bench import common
from bench.generate import load_communes
from comobi.models import WEEKDAYS

# (kind, weight): what passengers type, roughly
MIX = (("from+to", 30), ("from+to+day", 15), ("from", 15), ("to", 10), ("day", 10), ("no filter", 10),
       ("no filter, page 3", 5), ("unknown commune", 5))


def queries(count: int, departements, seed: int = 7) -> list[tuple[str, str]]:
    """(kind, url) pairs; half the list page, half its JSON twin."""
    rng = random.Random(seed)
    communes = load_communes(departements)
    towns = sorted(communes, key=lambda c: -c.population)[:20]
    kinds, weights = zip(*MIX)
    result = []
    for number in range(count):
        kind = rng.choices(kinds, weights)[0]
        village, town = rng.choice(communes).name, rng.choice(towns).name
        args = {
            "from+to": {"depart": village, "arrivee": town},
            "from+to+day": {"depart": village, "arrivee": town, "jour": rng.choice(WEEKDAYS)},
            "from": {"depart": village},
            "to": {"arrivee": rng.choice((village, town))},
            "day": {"jour": rng.choice(WEEKDAYS)},
            "no filter": {},
            "no filter, page 3": {"page": 3},
            "unknown commune": {"depart": "Trifouilly-les-Oies", "arrivee": town},
        }[kind]
        path = "/trajets.json" if number % 2 else "/trajets"
        if path == "/trajets.json":
            args.pop("page", None)
        result.append((kind, f"{path}?{urlencode(args)}" if args else path))
    return result


def measure(app, urls: list[tuple[str, str]]) -> dict[str, list[float]]:
    """Milliseconds per request, by kind and by path, plus 'all'."""
    client = app.test_client()
    timings: dict[str, list[float]] = defaultdict(list)
    for kind, url in urls:
        start, cpu = time.perf_counter(), time.thread_time()
        response = client.get(url)
        elapsed = (time.perf_counter() - start) * 1000
        timings["overall, CPU time"].append((time.thread_time() - cpu) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        timings["overall"].append(elapsed)
        timings[kind].append(elapsed)
        timings[url.split("?")[0]].append(elapsed)
    return timings


def profile(app, urls: list[tuple[str, str]], lines: int) -> None:
    """One round under cProfile, by own time then by cumulative time."""
    app.extensions.pop("comobi.pages", None)  # the page cache: each page rendered once at least
    getattr(app.extensions.get("comobi.derived"), "_parts", {}).pop("pages", None)  # (where it is now)
    profiler = cProfile.Profile()
    profiler.runcall(measure, app, urls)
    for order in ("tottime", "cumulative"):
        pstats.Stats(profiler).strip_dirs().sort_stats(order).print_stats(lines)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_workbook_arguments(parser)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3, help="report the median round")
    parser.add_argument("--profile", type=int, metavar="LINES", default=0,
                        help="profile one round (kept pages dropped first) and print its top functions")
    args = parser.parse_args(argv)
    print(common.machine())
    results = {}
    for path in common.workbooks(args):
        app = common.make_app(path, args.departements)
        urls = queries(args.requests, args.departements)
        measure(app, urls[:20])  # warm-up: templates compiled, caches filled
        if args.profile:
            profile(app, urls, args.profile)
            continue
        rounds = [measure(app, urls) for _ in range(args.rounds)]
        rounds.sort(key=lambda r: common.percentile(r["overall"], 95))
        timings = rounds[len(rounds) // 2]
        with app.app_context():
            from comobi.storage import get_storage
            trips = len(get_storage().board().trips)
        print(f"\n{path.name}: {trips} trips, {args.requests} requests x {args.rounds} rounds "
              f"(median round by p95)")
        print(f"  {'':22} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for name, values in sorted(timings.items(), key=lambda kv: (not kv[0].startswith("overall"), kv[0])):
            print(f"  {name:22} {len(values):5d} {common.percentile(values, 50):8.1f} "
                  f"{common.percentile(values, 95):8.1f} {max(values):8.1f}")
        all_p95 = [common.percentile(r["overall"], 95) for r in rounds]
        print(f"  p95 of each round: {', '.join(f'{v:.1f}' for v in sorted(all_p95))} ms")
        results[trips] = timings
    return results


if __name__ == "__main__":
    main()
