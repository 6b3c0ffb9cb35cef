"""Answer times of a live app while the sheet is slow, and after a restart while it is down.

    python -m bench.outage                  # a 6 s read, 5 trips
    python -m bench.outage --delay 6 --trips 1000

The app runs with ``flask run`` (threads) on the Google backend against the Sheets API
stand-in (tests/sheets_standin), in a temporary instance folder. Measured:
- the request that starts a refresh when reads take ``--delay`` seconds, and a page asked
  0.3 s later (target: under 1.5 s; it is answered from the last good board);
- after a restart while every Sheets call answers 503: the first ``/trajets`` (target:
  200 within a second, from the read saved on disk), a trip page, ``/proposer``, the API.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench import common
from comobi.settings import PROJECT_ROOT

ID = "bench"


def main(argv=None) -> list[tuple[str, object, float]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=6.0, help="seconds a slow read takes")
    parser.add_argument("--trips", type=int, default=5)
    args = parser.parse_args(argv)
    from comobi.schema import TRIPS
    from tests.fault_backends import empty_tabs
    from tests.sheets_standin import SheetsStandin
    from tests.workbooks import trip_row

    folder = Path(tempfile.mkdtemp(prefix="comobi-bench-outage-"))
    standin = SheetsStandin().start()
    tabs = empty_tabs()
    tabs[TRIPS.title] += [[trip_row(id=f"T{n:04d}").get(h, "") for h in TRIPS.headers]
                          for n in range(1, args.trips + 1)]
    standin.create_spreadsheet(ID, "Covoiturage", tabs)
    (folder / "instance.toml").write_text(
        f'[sheet]\nbackend = "google"\nspreadsheet_id = "{ID}"\ncache_seconds = 1\n'
        f'snapshot_path = "{folder}/derniere-lecture.json"\n[outbox]\npath = "{folder}/outbox"\n')
    env = {**os.environ, "COMOBI_INSTANCE": str(folder / "instance.toml"), "SECRET_KEY": "bench",
           "GOOGLE_SHEETS_API_ENDPOINT": standin.endpoint}
    figures = []
    try:
        server, base = _start(folder, env)
        _get(f"{base}/trajets/T0001")
        time.sleep(1.2)  # the cache period is over
        standin.faults.delay(args.delay, times=1, only="read")
        first: list = []
        starter = threading.Thread(target=lambda: first.append(_get(f"{base}/trajets/T0001")))
        starter.start()
        time.sleep(0.3)
        figures.append(("page asked 0.3 s after a refresh began", *_get(f"{base}/trajets/T0001")))
        starter.join()
        figures.append(("the request that began the refresh", *first[0]))
        _stop(server)
        standin.faults.clear()
        standin.faults.fail(503, times=None)
        server, base = _start(folder, env)
        for label, url in (("/trajets, first request after a restart (every call 503)", "/trajets"),
                           ("a trip page", "/trajets/T0001"), ("/proposer", "/proposer"),
                           ("/api/v1/status", "/api/v1/status")):
            figures.append((label, *_get(f"{base}{url}")))
        _stop(server)
    finally:
        standin.stop()
    print(f"Answer times during a slow ({args.delay:g} s) and an absent sheet, {args.trips} trips")
    print(common.machine())
    for label, status, seconds in figures:
        print(f"  {label:<60} {status}  {seconds:6.2f} s")
    return figures


def _start(folder: Path, env: dict):
    log = folder / "server.log"
    server = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "run", "--port", "0"], env=env,
                              cwd=PROJECT_ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)
    for _ in range(300):
        found = re.search(r"Running on (http://127\.0\.0\.1:\d+)", log.read_text())
        if found:
            return server, found.group(1)
        time.sleep(0.1)
    server.kill()
    raise SystemExit(log.read_text())


def _stop(server) -> None:
    server.terminate()
    server.wait(timeout=10)


def _get(url: str) -> tuple[object, float]:
    start = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError as error:
        status = type(error).__name__
    return status, time.monotonic() - start


if __name__ == "__main__":
    main()
