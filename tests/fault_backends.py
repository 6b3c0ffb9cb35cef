"""The ``backend`` fixture: an app on a sheet that fails on demand, for each adapter.

- "local": a workbook behind ``tests.faulty.FaultySpreadsheet``;
- "google": the Google adapter against the Sheets API stand-in, whose own fault
  injection is used. Runs once ``comobi/storage/google.py`` exists (merged from its branch).

Both give the same ``Backend``: ``make_app(**config)``, ``faults`` (the stand-in's
``Faults`` API), ``grid(tab)`` (what the sheet really holds, read without faults) and
``cell(tab, row, column)`` (the stored value of one cell, 1-based), and the clerk's own
edits behind the app's back: ``put_rows(tab, rows)`` (the whole tab), ``insert_rows(tab,
before, rows)``, ``insert_column(tab, before, header)``, ``set_cell(tab, row, column,
text)``, 1-based. ``append_op`` names the append call for fault rules.
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
TIMEOUT = 0.8  # the Google adapter's request timeout here: under the 1 s of the delay faults, and room
# for a stand-in starved of CPU by the other test process (0.5 s timed out under load 6-11)


@dataclass
class Backend:
    name: str
    make_app: Callable[..., Any]
    faults: Any
    grid: Callable[[str], list[list[str]]]
    cell: Callable[[str, int, int], Any]
    settle_seconds: float = 0.0  # how long the app waits, after a failure, for late writes
    edit: Callable[..., Any] | None = None  # edit(function of the openpyxl sheet / stand-in Sheet, tab)
    append_op: str = "append_rows"
    idle: Callable[[], Any] = lambda: None  # returns once no call to the sheet is in flight
    skipped: float = 0.0  # seconds the apps' storage clock is ahead of time.monotonic

    def clock(self) -> float:
        """The storage clock of the apps made here: ``recover`` moves it on instead of sleeping."""
        return time.monotonic() + self.skipped

    def put_rows(self, tab: str, rows: list[list[str]]) -> None:
        def put(sheet):
            if self.name == "local":
                sheet.delete_rows(1, sheet.max_row)
                for row in rows:
                    sheet.append(row)
            else:
                sheet.cells = {(r, c): v for r, row in enumerate(rows) for c, v in enumerate(row) if v != ""}
        self.edit(put, tab)

    def insert_rows(self, tab: str, before: int, rows: list[list[str]]) -> None:
        def insert(sheet):
            if self.name == "local":
                sheet.insert_rows(before, len(rows))
            else:
                sheet.insert("ROWS", before - 1, len(rows))
            for offset, row in enumerate(rows):
                for column, value in enumerate(row, start=1):
                    _set(sheet, self.name, before + offset, column, value)
        self.edit(insert, tab)

    def insert_column(self, tab: str, before: int, header: str) -> None:
        def insert(sheet):
            if self.name == "local":
                sheet.insert_cols(before)
            else:
                sheet.insert("COLUMNS", before - 1, 1)
            _set(sheet, self.name, 1, before, header)
        self.edit(insert, tab)

    def set_cell(self, tab: str, row: int, column: int, text: str) -> None:
        self.edit(lambda sheet: _set(sheet, self.name, row, column, text), tab)

    def recover(self) -> None:
        """The sheet works again, and the app's wait for writes still in flight is over: the
        writes held by a delay have landed, then the apps' clock moves on by their settle time."""
        self.faults.clear()
        assert self.idle() is not False, "a call to the sheet is still held"
        self.skipped += self.settle_seconds

    def records(self, tab: str) -> list[dict[str, str]]:
        rows = self.grid(tab)
        return [dict(zip(rows[0], row + [""] * (len(rows[0]) - len(row)))) for row in rows[1:] if any(row)]


def _set(sheet, backend: str, row: int, column: int, text: str) -> None:
    if backend == "local":
        sheet.cell(row, column).value = text
    else:
        sheet.write(row - 1, column - 1, text or None)


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

    def edit(change, tab):
        import openpyxl

        book = openpyxl.load_workbook(path)
        change(book[tab])
        book.save(path)

    return Backend("local", make, faulty.faults, real.read_tab, cell, edit=edit)


def _google(request, make_app, monkeypatch) -> Backend:
    from openpyxl.utils import get_column_letter

    from tests.sheets_standin import SheetsStandin

    standin = SheetsStandin().start()
    request.addfinalizer(standin.stop)
    standin.create_spreadsheet(SPREADSHEET_ID, "Covoiturage", empty_tabs())
    monkeypatch.setenv("GOOGLE_SHEETS_API_ENDPOINT", standin.endpoint)

    def make(**config):
        # A delay of 1 s (the "timeout" faults) must be a client timeout here too.
        app = make_app(**{"sheet.backend": "google", "sheet.spreadsheet_id": SPREADSHEET_ID,
                          "sheet.timeout_seconds": TIMEOUT, **config})
        app.extensions["comobi.storage"].clock = backend.clock
        return app

    def cell(tab, row, column):
        return standin.cell(SPREADSHEET_ID, tab, f"{get_column_letter(column)}{row}")

    def edit(change, tab):
        with standin.store.lock:
            book = standin.store.books[SPREADSHEET_ID]
            change(book.sheet_by_title(tab))
            book.touch()

    backend = Backend("google", make, standin.faults, lambda tab: standin.values(SPREADSHEET_ID, tab), cell,
                      settle_seconds=2 * TIMEOUT + 0.1, edit=edit, append_op="values.append", idle=standin.wait_idle)
    return backend
