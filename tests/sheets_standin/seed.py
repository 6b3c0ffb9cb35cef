"""Load spreadsheets into a stand-in from a JSON file or an .xlsx workbook.

JSON shape (one or several spreadsheets)::

    {"spreadsheets": [
        {"id": "demo", "title": "Comobi démo", "shared": true,
         "tabs": {"Trajets": [["id", "depart"], ["t1", "Millau"]]}}
    ]}

An .xlsx workbook becomes one spreadsheet whose tabs are the workbook's sheets.
"""

import json
from pathlib import Path

from .server import SheetsStandin


def load_seed(standin: SheetsStandin, path: str | Path, spreadsheet_id: str = "demo") -> list[str]:
    """Seed ``standin`` from ``path``; returns the ids of the spreadsheets created."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return [_load_workbook(standin, path, spreadsheet_id)]
    return _load_json(standin, json.loads(path.read_text(encoding="utf-8")))


def _load_json(standin: SheetsStandin, data: dict) -> list[str]:
    ids = []
    for entry in data["spreadsheets"]:
        standin.create_spreadsheet(
            entry["id"],
            entry.get("title", entry["id"]),
            entry.get("tabs", {}),
            shared=entry.get("shared", True),
        )
        ids.append(entry["id"])
    return ids


def _load_workbook(standin: SheetsStandin, path: Path, spreadsheet_id: str) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    tabs = {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in workbook.worksheets
    }
    # USER_ENTERED so that cells holding "=..." come back as formulas.
    standin.create_spreadsheet(spreadsheet_id, path.stem, tabs, input_option="USER_ENTERED")
    return spreadsheet_id
