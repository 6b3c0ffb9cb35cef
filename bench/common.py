"""What every benchmark shares: the workbooks, the app on them, the machine, percentiles."""
from __future__ import annotations

import os
import platform
import statistics
import sys
from datetime import date
from pathlib import Path

from bench import generate

OUT = Path(__file__).parent / "out"


def workbook(trips: int, seed: int = 1, folder: Path = OUT) -> Path:
    """The synthetic workbook of this size, generated once per day (one-off dates move)."""
    path = Path(folder) / f"trips-{trips}-seed{seed}-{date.today():%Y%m%d}.xlsx"
    if not path.exists():
        generate.write(path, trips, seed)
    return path


def settings_for(path: Path, departements=generate.DEPARTEMENTS) -> dict:
    return {"sheet.backend": "local", "sheet.path": str(path), "scope.departements": list(departements)}


def make_app(path: Path, departements=generate.DEPARTEMENTS, **config):
    """The app on this workbook, board read from it (the first read is not what we measure).

    Read now and waited for: otherwise the board saved on disk by an earlier run is served
    while the workbook is read in a thread, which then competes with the requests measured."""
    from comobi import create_app
    from comobi.storage import get_storage

    config = {"SECRET_KEY": "bench", **settings_for(path, departements), **config}
    app = create_app(config)
    with app.app_context():
        get_storage().read_now()
    return app


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        ram = f", {kb / 1024 / 1024:.1f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (f"{date.today()}, {os.cpu_count()} CPU ({cpu}){ram}, Python {sys.version.split()[0]}, "
            f"{platform.system()} {platform.release()}")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def median(values: list[float]) -> float:
    return statistics.median(values)


def add_workbook_arguments(parser, default_sizes=(1000, 10000)) -> None:
    parser.add_argument("--trips", type=int, nargs="+", default=list(default_sizes),
                        help="sizes of synthetic workbooks to generate and measure")
    parser.add_argument("--workbook", type=Path, action="append", default=[],
                        help="measure this .xlsx instead (repeatable)")
    parser.add_argument("--departements", nargs="+", default=list(generate.DEPARTEMENTS),
                        help="scope of the instance (must match the workbook's communes)")


def workbooks(args) -> list[Path]:
    return list(args.workbook) or [workbook(n) for n in args.trips]
