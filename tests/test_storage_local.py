"""The local workbook adapter and the storage service on real .xlsx files."""
import threading
from datetime import datetime, time

import openpyxl

from comobi.models import PENDING, PUBLISHED
from comobi.schema import REQUESTS, TRIPS
from comobi.settings import SETTINGS
from comobi.storage.local import LocalSpreadsheet
from comobi.storage.service import Storage
from tests.workbooks import read_tab, trip_row, trips_workbook, write_workbook

DEFAULTS = {s.key: s.default for s in SETTINGS}


def storage(path, **settings):
    return Storage(LocalSpreadsheet(path), {**DEFAULTS, **settings})


def test_clerk_style_workbook_is_read(sheet_path):
    headers = ["Remarques éventuelles", "Arrivée", "départ", "JOURS", "heureDepart", "N° de téléphone",
               "Prénom", "Nom", "Consentement", "Ma colonne à moi", "Statut"]
    rows = [headers,
            ["", "cahors", "Limogne en Quercy", "lun-ven", time(7, 45), 639980001, "Josette", "Lafon",
             "Je consens", "à garder", ""],
            [],
            ["Marché", "Figeac (46100)", "St Céré", "L M J", "8h", "06 39 98 00 02", "Bernard", "D", "", "", "publié"]]
    write_workbook(sheet_path, {"Trajets": rows})
    board = storage(sheet_path).board()
    first, second = board.trips
    assert first.origin.name == "Limogne-en-Quercy" and first.destination.name == "Cahors"
    assert first.days == frozenset(range(5)) and first.outbound_time == time(7, 45)
    assert first.phone == "06 39 98 00 01"  # the leading 0 the sheet dropped is back
    assert first.direct_contact and first.status == PUBLISHED
    assert second.origin.name == "Saint-Céré" and second.days == frozenset({0, 1, 3})
    assert first.row == 2 and second.row == 4


def test_unreadable_row_is_reported_not_fatal(sheet_path):
    trips_workbook(sheet_path, [trip_row(), trip_row(origin="Atlantide"), trip_row(outbound_time="25h"),
                                trip_row(days="", date="")])
    board = storage(sheet_path).board()
    assert len(board.trips) == 1
    problems = {p.row: p.reason for p in board.problems}
    assert "Atlantide" in problems[3]
    assert "25h" in problems[4]
    assert "quand" in problems[5]


def test_blank_status_follows_moderation(sheet_path):
    trips_workbook(sheet_path, [trip_row(status="")])
    assert storage(sheet_path).board().trips[0].status == PUBLISHED
    assert storage(sheet_path, **{"moderation.enabled": True}).board().trips[0].status == PENDING


def test_rows_without_id_get_one_written_once(sheet_path):
    trips_workbook(sheet_path, [trip_row(id="T0001"), trip_row(id="")])
    ids = [t.id for t in storage(sheet_path).board().trips]
    assert ids[0] == "T0001" and ids[1]
    assert read_tab(sheet_path, "Trajets")[2][0] == ids[1]
    assert [t.id for t in storage(sheet_path).board().trips] == ids


def test_append_keeps_extra_columns_and_clerk_cells(sheet_path):
    headers = ["Statut", "Ma note", "Départ", "Arrivée", "Jours", "Heure aller", "Prénom", "ID"]
    write_workbook(sheet_path, {"Trajets": [headers, ["publié", "appeler lundi", "Figeac", "Cahors", "mardi", "8h",
                                                      "Jean", "T1"]]})
    book = openpyxl.load_workbook(sheet_path)
    book["Trajets"]["B2"].fill = openpyxl.styles.PatternFill("solid", fgColor="FFFF00")
    book.save(sheet_path)
    store = storage(sheet_path)
    new_id = store.add_row(TRIPS, {"origin": "Gramat", "destination": "Figeac", "days": "lundi",
                                   "outbound_time": "9h", "first_name": "Paul", "phone": "0639980009"}, "T")
    rows = read_tab(sheet_path, "Trajets")
    assert rows[1][:8] == ["publié", "appeler lundi", "Figeac", "Cahors", "mardi", "8h", "Jean", "T1"]
    assert rows[2][:8] == [None, None, "Gramat", "Figeac", "lundi", "9h", "Paul", new_id]
    assert rows[0][8] == "Téléphone" and rows[2][8] == "0639980009"  # missing column added at the end
    assert openpyxl.load_workbook(sheet_path)["Trajets"]["B2"].fill.fgColor.rgb.endswith("FFFF00")


def test_values_are_written_as_text_never_formulas(sheet_path):
    trips_workbook(sheet_path, [])
    storage(sheet_path).add_row(TRIPS, {"remarks": "=1+1", "phone": "0612345678", "seats": "3"}, "T")
    cells = openpyxl.load_workbook(sheet_path)["Trajets"][2]
    by_header = {h: c for h, c in zip(TRIPS.headers, cells)}
    # Text, and protected by an apostrophe should the clerk export it to CSV (safe_text.py).
    assert by_header["Remarques"].data_type == "s" and by_header["Remarques"].value == "'=1+1"
    assert by_header["Téléphone"].value == "0612345678"


def test_missing_tab_is_created_on_write(sheet_path):
    write_workbook(sheet_path, {"Trajets": [TRIPS.headers]})
    storage(sheet_path).add_row(REQUESTS, {"origin": "Cahors", "first_name": "Louise"}, "D")
    rows = read_tab(sheet_path, "Demandes")
    assert rows[0] == REQUESTS.headers and rows[1][2] == "Louise"


def test_concurrent_writes_lose_nothing(sheet_path):
    trips_workbook(sheet_path, [])
    errors = []

    def post(n):
        try:
            storage(sheet_path).add_row(REQUESTS, {"first_name": f"P{n}", "origin": "Cahors"}, "D")
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=post, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    names = sorted(row[2] for row in read_tab(sheet_path, "Demandes")[1:])
    assert names == sorted(f"P{n}" for n in range(20))


def test_read_is_cached_until_the_file_changes(sheet_path, monkeypatch):
    trips_workbook(sheet_path, [trip_row()])
    store = storage(sheet_path)
    reads = []
    original = LocalSpreadsheet.read_tabs
    monkeypatch.setattr(LocalSpreadsheet, "read_tabs", lambda self, t: reads.append(t) or original(self, t))
    first = store.board()
    assert store.board() is first and len(reads) == 1
    store.add_row(TRIPS, {"origin": "Figeac", "destination": "Cahors", "days": "mardi"}, "T")
    assert len(store.board().trips) == 2  # our own write shows on the next read


def test_init_adds_missing_tabs_and_headers_without_touching_data(sheet_path):
    write_workbook(sheet_path, {"trajets": [["Départ", "Arrivée", "Perso"], ["Figeac", "Cahors", "x"]]})
    done = storage(sheet_path).init_tabs()
    assert any("Demandes" in line for line in done) and any("Lieux" in line for line in done)
    rows = read_tab(sheet_path, "trajets")
    assert rows[0][:3] == ["Départ", "Arrivée", "Perso"] and "Statut" in rows[0]
    assert rows[1][:3] == ["Figeac", "Cahors", "x"]
    assert storage(sheet_path).init_tabs() == []


def test_typed_dates_and_times_are_read(sheet_path):
    trips_workbook(sheet_path, [trip_row(days="", date=datetime(2099, 12, 25), outbound_time=time(8, 30))])
    trip = storage(sheet_path).board().trips[0]
    assert trip.date.isoformat() == "2099-12-25" and trip.outbound_time == time(8, 30)
