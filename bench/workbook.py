"""Write a spreadsheet the way a clerk's .xlsx looks: one sheet per tab, text cells.

Kept here (not in tests/) so benchmarks stand on their own. Not openpyxl's write-only
mode: it leaves out the sheet's dimensions, which Excel and LibreOffice always write and
without which every read scans the whole sheet once more.
"""
from __future__ import annotations

from pathlib import Path

import openpyxl

from comobi.schema import PLACES, REQUESTS, TRIPS


def write_workbook(path: Path, tabs: dict[str, list[list]]) -> Path:
    """An .xlsx with one sheet per tab; cells may be str, int, float, date, time..."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in tabs.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def board_tabs(trips: list[dict], requests: list[dict] = ()) -> dict[str, list[list]]:
    """The three tabs, with the app's headers, from rows given as {header: cell}."""
    return {
        TRIPS.title: _table(TRIPS.headers, trips),
        REQUESTS.title: _table(REQUESTS.headers, requests),
        PLACES.title: [PLACES.headers],
    }


def _table(headers: list[str], records) -> list[list]:
    return [headers] + [[record.get(h, "") for h in headers] for record in records]
