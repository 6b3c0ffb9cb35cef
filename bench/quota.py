"""Sheets API reads per 1,000 page views spread over 5 minutes (simulated clock).

    python -m bench.quota                     # 1,000 trips
    python -m bench.quota --trips 10000 --views 1000 --minutes 5

Google allows 60 reads per minute per user. The app runs on the Google backend against
the Sheets API stand-in (tests/sheets_standin: the measuring instrument, which counts
every request it receives), with `GOOGLE_SHEETS_API_ENDPOINT` pointing at it. Page views
(home, lists, searches, trip pages) are spread evenly over the period; the storage's
clock is simulated, so the run takes seconds. Target: at most one read per tab per cache
period (`sheet.cache_seconds`).

Also measured without any adapter: the same views against an in-process sheet that counts
what the storage asks for (a remote sheet has no cheap version marker, like Google's).
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import random
from collections import Counter
from pathlib import Path

from bench import common
from comobi.storage.local import LocalSpreadsheet

SPREADSHEET_ID = "bench"


class SimulatedClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class CountingSheet:
    """A workbook that forgets its version (as a remote sheet does) and counts reads."""

    def __init__(self, path: Path):
        self._local = LocalSpreadsheet(path)
        self.reads: Counter = Counter()

    def tab_titles(self):
        self.reads["tab_titles"] += 1
        return self._local.tab_titles()

    def read_tab(self, title):
        self.reads[f"read {title}"] += 1
        return self._local.read_tab(title)

    def read_tabs(self, titles):
        self.reads[f"read_tabs {'+'.join(titles)}"] += 1
        return self._local.read_tabs(titles)

    def version(self):
        return None

    def __getattr__(self, name):  # writes: not part of this benchmark
        return getattr(self._local, name)


def page_views(client, views: int, seconds: float, clock: SimulatedClock, seed: int = 3) -> None:
    rng = random.Random(seed)
    trip_ids = [t["id"] for t in client.get("/trajets.json").get_json()["trajets"]]
    urls = ["/", "/trajets", "/trajets?depart=Figeac", "/trajets?arrivee=Cahors&jour=mardi",
            "/trajets.json?depart=Gramat"] + [f"/trajets/{i}" for i in trip_ids[:20]]
    for number in range(views):
        clock.now = seconds * number / views
        response = client.get(rng.choice(urls))
        if response.status_code not in (200, 404):
            raise SystemExit(f"HTTP {response.status_code}")


def run_app(app, views: int, minutes: float) -> SimulatedClock:
    from comobi.storage import get_storage

    clock = SimulatedClock()
    with app.app_context():
        storage = get_storage()
        storage.clock = clock
        storage.invalidate()
    page_views(app.test_client(), views, minutes * 60, clock)
    return clock


def without_adapter(path: Path, args) -> None:
    from comobi.storage import get_storage

    app = common.make_app(path, args.departements)
    sheet = CountingSheet(path)
    with app.app_context():
        get_storage().spreadsheet = sheet
    run_app(app, args.views, args.minutes)
    periods = args.minutes * 60 / app.config["COMOBI"]["sheet.cache_seconds"]
    print(f"\nstorage service, remote-like sheet: {sum(sheet.reads.values())} reads for {args.views} views "
          f"over {args.minutes:g} min ({periods:g} cache periods)")
    for name, count in sorted(sheet.reads.items()):
        print(f"  {name:40} {count:5d}")


def with_google_adapter(path: Path, args) -> None:
    if importlib.util.find_spec("comobi.storage.google") is None:
        print("\nGoogle adapter through the Sheets API stand-in: skipped: no Google adapter")
        return
    from tests.sheets_standin import SheetsStandin
    from tests.sheets_standin.seed import load_seed

    with SheetsStandin() as standin:
        load_seed(standin, str(path), SPREADSHEET_ID)
        os.environ["GOOGLE_SHEETS_API_ENDPOINT"] = standin.endpoint
        app = common.make_app(path, args.departements, **{"sheet.backend": "google",
                                                          "sheet.spreadsheet_id": SPREADSHEET_ID})
        standin.reset_counts()
        run_app(app, args.views, args.minutes)
        reads = [r for r in standin.requests if r.kind == "read"]
        periods = args.minutes * 60 / app.config["COMOBI"]["sheet.cache_seconds"]
        print(f"\nGoogle adapter through the Sheets API stand-in: {len(reads)} API reads for {args.views} "
              f"views over {args.minutes:g} min ({periods:g} cache periods; target: <= one read per tab "
              f"per period; Google's quota: {60 * args.minutes:g} reads)")
        for (op, tabs), count in sorted(Counter((r.op, "+".join(r.tabs)) for r in reads).items()):
            print(f"  {op:24} {tabs or '-':30} {count:5d}")
        per_tab = Counter(tab for r in reads for tab in r.tabs)
        print(f"  reads naming each tab: {dict(per_tab)}; per tab per cache period: "
              f"{', '.join(f'{tab} {count / periods:.2f}' for tab, count in per_tab.items())} (target <= 1)")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_workbook_arguments(parser, default_sizes=(1000,))
    parser.add_argument("--views", type=int, default=1000)
    parser.add_argument("--minutes", type=float, default=5)
    args = parser.parse_args(argv)
    print(common.machine())
    for path in common.workbooks(args):
        print(f"\n{path.name}")
        without_adapter(path, args)
        with_google_adapter(path, args)


if __name__ == "__main__":
    main()
