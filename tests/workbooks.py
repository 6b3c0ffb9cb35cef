"""Build spreadsheets for tests: clerk-style workbooks with any headers and rows."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import openpyxl

from bench.workbook import write_workbook  # one writer for tests and benchmarks
from comobi.schema import PLACES, REQUESTS, TRIPS

TRIP_HEADERS = TRIPS.headers


def trip_row(**values) -> dict:
    """A trip as a dict of headers -> cells, with sensible defaults."""
    row = {
        "ID": values.pop("id", ""),
        "Prénom": "Josette", "Nom": "Lafon", "Téléphone": "06 39 98 00 01", "E-mail": "",
        "Contact préféré": "Téléphone", "Contact direct": "Oui",
        "Départ": "Limogne-en-Quercy", "Arrivée": "Cahors", "Jours": "lundi, jeudi", "Date": "",
        "Heure aller": "8h30", "Heure retour": "12h", "Places": "3", "Statut": "publié",
    }
    for key, value in values.items():
        row[_header(key)] = value
    return row


_FIELDS = {c.field: c.header for c in TRIPS.columns}


def _header(key: str) -> str:
    return _FIELDS.get(key, key)


def trips_workbook(path: Path, trips: list[dict], headers: list[str] | None = None, extra_tabs=None) -> Path:
    """A workbook whose Trajets tab has ``headers`` (default: the app's) and these trips."""
    headers = headers or TRIP_HEADERS
    rows = [headers] + [[trip.get(h, "") for h in headers] for trip in trips]
    tabs = {TRIPS.title: rows, REQUESTS.title: [REQUESTS.headers], PLACES.title: [PLACES.headers]}
    tabs.update(extra_tabs or {})
    return write_workbook(path, tabs)


def in_days(n: int) -> str:
    return (date.today() + timedelta(days=n)).strftime("%d/%m/%Y")


def read_tab(path: Path, title: str) -> list[list]:
    book = openpyxl.load_workbook(path)
    return [list(row) for row in book[title].iter_rows(values_only=True)]
