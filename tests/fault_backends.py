"""The ``backend`` fixture: an app on a sheet that fails on demand, for each adapter.

- "local": a workbook behind ``tests.faulty.FaultySpreadsheet``;
- "google": the Google adapter against the Sheets API stand-in, whose own fault
  injection is used. Runs once ``comobi/storage/google.py`` exists (merged from its branch).

Both give the same ``Backend``: ``make_app(**config)``, ``faults`` (the stand-in's
``Faults`` API), ``grid(tab)`` (what the sheet really holds, read without faults) and
``cell(tab, row, column)`` (the stored value of one cell, 1-based).
"""
from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from comobi.schema import PLACES, REQUESTS, TRIPS
from comobi.storage.local import LocalSpreadsheet
from tests.faulty import FaultySpreadsheet
from tests.workbooks import write_workbook

HAS_GOOGLE = importlib.util.find_spec("comobi.storage.google") is not None
SPREADSHEET_ID = "comobi-test"
TIMEOUT = 0.5  # the Google adapter's request timeout in these tests


@dataclass
class Backend:
    name: str
    make_app: Callable[..., Any]
    faults: Any
    grid: Callable[[str], list[list[str]]]
    cell: Callable[[str, int, int], Any]
    settle_seconds: float = 0.0  # how long the app waits, after a failure, for late writes

    def recover(self) -> None:
        """The sheet works again, and the app's wait for writes still in flight is over."""
        self.faults.clear()
        time.sleep(self.settle_seconds)

    def records(self, tab: str) -> list[dict[str, str]]:
        rows = self.grid(tab)
        return [dict(zip(rows[0], row + [""] * (len(rows[0]) - len(row)))) for row in rows[1:] if any(row)]


def empty_tabs() -> dict[str, list[list[str]]]:
    return {TRIPS.title: [TRIPS.headers], REQUESTS.title: [REQUESTS.headers], PLACES.title: [PLACES.headers]}


@pytest.fixture(params=["local", pytest.param("google", marks=pytest.mark.skipif(
    not HAS_GOOGLE, reason="comobi/storage/google.py not merged yet"))])
def backend(request, make_app, tmp_path, monkeypatch):
    if request.param == "local":
        return _local(make_app, tmp_path)
    return _google(request, make_app, monkeypatch)


def _local(make_app, tmp_path) -> Backend:
    path = write_workbook(tmp_path / "sheet.xlsx", empty_tabs())
    real = LocalSpreadsheet(path)
    faulty = FaultySpreadsheet(real)

    def make(**config):
        app = make_app(path, **config)
        app.extensions["comobi.storage"].spreadsheet = faulty
        return app

    def cell(tab, row, column):
        import openpyxl

        return openpyxl.load_workbook(path)[tab].cell(row, column).value

    return Backend("local", make, faulty.faults, real.read_tab, cell)


def _google(request, make_app, monkeypatch) -> Backend:
    from openpyxl.utils import get_column_letter

    from tests.sheets_standin import SheetsStandin

    standin = SheetsStandin().start()
    request.addfinalizer(standin.stop)
    standin.create_spreadsheet(SPREADSHEET_ID, "Covoiturage", empty_tabs())
    monkeypatch.setenv("GOOGLE_SHEETS_API_ENDPOINT", standin.endpoint)

    def make(**config):
        # A delay of 1 s (the "timeout" faults) must be a client timeout here too.
        return make_app(**{"sheet.backend": "google", "sheet.spreadsheet_id": SPREADSHEET_ID,
                           "sheet.timeout_seconds": TIMEOUT, **config})

    def cell(tab, row, column):
        return standin.cell(SPREADSHEET_ID, tab, f"{get_column_letter(column)}{row}")

    return Backend("google", make, standin.faults, lambda tab: standin.values(SPREADSHEET_ID, tab), cell,
                   settle_seconds=2 * TIMEOUT + 0.1)
