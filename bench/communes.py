"""Every commune's trips at once (`TripIndex.by_place`), as the frozen site's commune pages need them.

    python -m bench.communes                    # 1,000 and 10,000 trips, 3 rounds
    python -m bench.communes --trips 10000 --rounds 5

For each workbook, the board is read once; each round builds a new index (as after a
read of the sheet: no answer kept yet) and asks `by_place` for every commune of the
territory. Prints the index's build time and the time of `by_place` (CPU time of the
thread, and wall-clock), median round, and once for comparison the same answers by one
search per commune and direction (`TripIndex.ranked`, two per commune).
"""
from __future__ import annotations

import argparse
import statistics
import time
from datetime import date

from bench import common
from comobi.matching import TripIndex


def timed(work) -> tuple[float, float, object]:
    """(CPU seconds of this thread, wall seconds, result)."""
    wall, cpu = time.perf_counter(), time.thread_time()
    result = work()
    return time.thread_time() - cpu, time.perf_counter() - wall, result


def one_search_each(index: TripIndex, places, today: date) -> dict:
    return {place: (index.ranked(origin=place, today=today), index.ranked(destination=place, today=today))
            for place in places}


def measure(path, departements, rounds: int) -> dict:
    from comobi.storage import get_storage

    app = common.make_app(path, departements)
    with app.app_context():
        board = get_storage().board()
    settings = app.config["COMOBI"]
    places, today = board.places.in_scope(), date.today()

    def new_index() -> TripIndex:
        index = TripIndex(board.trips, detour_factor=settings["matching.detour_factor"],
                          near_km=settings["matching.near_km"])
        index.listed(today)  # today's legs arranged, as the app does when it builds one
        return index

    builds, runs = [], []
    for _ in range(rounds):
        build_cpu, _, index = timed(new_index)
        cpu, wall, answers = timed(lambda index=index: index.by_place(places, today))
        builds.append(build_cpu)
        runs.append((cpu, wall))
    searches_cpu, _, each = timed(lambda: one_search_each(new_index(), places, today))
    assert all(list(answers[p][0]) == list(each[p][0]) and list(answers[p][1]) == list(each[p][1])
               for p in places[:: max(1, len(places) // 50)])
    return {"trips": len(board.trips), "communes": len(places),
            "answers": sum(len(a) + len(b) for a, b in answers.values()),
            "build": statistics.median(builds), "cpu": statistics.median(c for c, _ in runs),
            "wall": statistics.median(w for _, w in runs), "rounds_cpu": sorted(c for c, _ in runs),
            "searches_cpu": searches_cpu}


def main(argv=None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_workbook_arguments(parser)
    parser.add_argument("--rounds", type=int, default=3, help="report the median round")
    args = parser.parse_args(argv)
    print(common.machine())
    rows = []
    for path in common.workbooks(args):
        row = measure(path, args.departements, args.rounds)
        print(f"\n{path.name}: {row['trips']} trips, {row['communes']} communes, "
              f"{row['answers']} trips listed on their pages (from + to), {args.rounds} rounds")
        print(f"  index built:          {row['build']:6.2f} s CPU")
        print(f"  by_place, every commune: {row['cpu']:6.2f} s CPU, {row['wall']:.2f} s wall "
              f"(rounds: {', '.join(f'{c:.2f}' for c in row['rounds_cpu'])} s CPU)")
        print(f"  one search per commune and direction instead: {row['searches_cpu']:6.2f} s CPU")
        rows.append(row)
    return rows


if __name__ == "__main__":
    main()
