"""The same storage behaviours on both adapters: a local .xlsx workbook and a Google Sheet.

The Google Sheet is real gspread over HTTP against the Sheets API stand-in, which agrees
with recordings of the real API (trailing empty cells omitted, :append table detection...).
"""
import openpyxl
import pytest

from comobi.schema import PLACES, REQUESTS, TRIPS
from comobi.storage.local import LocalSpreadsheet, cell_text
from comobi.storage.service import Storage
from tests.google_backend import (
    DEFAULTS,
    SHEET_ID,
    FakeClock,
    google_settings,
    google_spreadsheet,
    standin,  # noqa: F401 - fixture
)
from tests.sheets_standin.client import gspread_client
from tests.workbooks import trip_row, write_workbook


class LocalBackend:
    def __init__(self, tmp_path):
        self.path = tmp_path / "sheet.xlsx"

    def seed(self, tabs: dict[str, list[list]]) -> None:
        write_workbook(self.path, tabs)

    def storage(self, **settings) -> Storage:
        return Storage(LocalSpreadsheet(self.path), {**DEFAULTS, **settings})

    def rows(self, title: str) -> list[list[str]]:
        sheet = openpyxl.load_workbook(self.path)[title]
        return trimmed([[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)])

    def stored_text(self, title: str, row: int, column: int):
        """The cell's value if it is stored as text (not a number, not a formula), else None."""
        cell = openpyxl.load_workbook(self.path)[title].cell(row, column)
        return cell.value if cell.data_type == "s" else None

    def type_row(self, title: str, row: int, values: list[str]) -> None:
        """The clerk types a row in LibreOffice."""
        book = openpyxl.load_workbook(self.path)
        for column, value in enumerate(values, start=1):
            book[title].cell(row, column).value = value
        book.save(self.path)


class GoogleBackend:
    def __init__(self, standin):
        self.standin = standin
        self.clock = FakeClock()

    def seed(self, tabs: dict[str, list[list]]) -> None:
        self.standin.create_spreadsheet(SHEET_ID, "Covoiturage", tabs)

    def storage(self, **settings) -> Storage:
        return Storage(google_spreadsheet(self.clock, **settings), google_settings(**settings), clock=self.clock)

    def rows(self, title: str) -> list[list[str]]:
        return trimmed(self.standin.values(SHEET_ID, title))

    def stored_text(self, title: str, row: int, column: int):
        a1 = f"{chr(ord('A') + column - 1)}{row}"
        value = self.standin.cell(SHEET_ID, title, a1)
        formatted = self.standin.values(SHEET_ID, title)[row - 1][column - 1]
        return value if isinstance(value, str) and formatted == value else None

    def type_row(self, title: str, row: int, values: list[str]) -> None:
        """The clerk types a row in her browser (what she types is interpreted: USER_ENTERED)."""
        book = gspread_client(self.standin.endpoint).open_by_key(SHEET_ID)
        book.values_update(f"'{title}'!A{row}", params={"valueInputOption": "USER_ENTERED"},
                           body={"values": [values]})


def trimmed(rows: list[list[str]]) -> list[list[str]]:
    rows = [list(row) for row in rows]
    for row in rows:
        while row and row[-1] == "":
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows


@pytest.fixture(params=["local", "google"])
def backend(request, tmp_path):
    if request.param == "local":
        return LocalBackend(tmp_path)
    return GoogleBackend(request.getfixturevalue("standin"))


def trips_tabs(trips: list[dict], headers=None) -> dict[str, list[list]]:
    headers = headers or TRIPS.headers
    rows = [headers] + [[trip.get(h, "") for h in headers] for trip in trips]
    return {TRIPS.title: rows, REQUESTS.title: [REQUESTS.headers], PLACES.title: [PLACES.headers]}


NEW_TRIP = {"origin": "Gramat", "destination": "Figeac", "days": "lundi", "outbound_time": "9h",
            "first_name": "Paul", "phone": "0639980009"}


def test_clerk_style_sheet_is_read(backend):
    headers = ["Remarques éventuelles", "Arrivée", "départ", "JOURS", "heureDepart", "N° de téléphone",
               "Prénom", "Nom", "Consentement", "Ma colonne à moi", "Statut"]
    backend.seed({"Trajets": [
        headers,
        ["", "cahors", "Limogne en Quercy", "lun-ven", "7h45", 639980001, "Josette", "Lafon", "Je consens"],
        [],
        ["Marché", "Figeac (46100)", "St Céré", "L M J", "8h", "06 39 98 00 02", "Bernard", "D", "", "", "publié"],
    ]})
    board = backend.storage().board()
    first, second = board.trips
    assert first.origin.name == "Limogne-en-Quercy" and first.destination.name == "Cahors"
    assert first.phone == "06 39 98 00 01" and first.direct_contact  # a short row: trailing cells absent
    assert second.origin.name == "Saint-Céré" and second.days == frozenset({0, 1, 3})
    assert (first.row, second.row) == (2, 4)


def test_unreadable_row_is_reported_not_fatal(backend):
    backend.seed(trips_tabs([trip_row(), trip_row(origin="Atlantide"), trip_row(outbound_time="25h")]))
    board = backend.storage().board()
    assert len(board.trips) == 1
    problems = {p.row: p.reason for p in board.problems}
    assert "Atlantide" in problems[3] and "25h" in problems[4]


def test_rows_without_id_get_one_written_once(backend):
    backend.seed(trips_tabs([trip_row(id="T0001"), trip_row(id=""), trip_row(id="")]))
    ids = [t.id for t in backend.storage().board().trips]
    assert ids[0] == "T0001" and ids[1] and ids[2] and ids[1] != ids[2]
    assert [row[0] for row in backend.rows("Trajets")[1:]] == ids
    assert [t.id for t in backend.storage().board().trips] == ids


def test_append_keeps_extra_columns_and_clerk_cells(backend):
    headers = ["Statut", "Ma note", "Départ", "Arrivée", "Jours", "Heure aller", "Prénom", "ID"]
    backend.seed({"Trajets": [headers, ["publié", "appeler lundi", "Figeac", "Cahors", "mardi", "8h", "Jean", "T1"]]})
    new_id = backend.storage().add_row(TRIPS, NEW_TRIP, "T")
    rows = backend.rows("Trajets")
    assert rows[1] == ["publié", "appeler lundi", "Figeac", "Cahors", "mardi", "8h", "Jean", "T1"]
    assert rows[2][:9] == ["", "", "Gramat", "Figeac", "lundi", "9h", "Paul", new_id, "0639980009"]
    assert rows[0][8:] == ["Téléphone", "Clé"]  # the missing columns, added at the end
    assert len(rows[2][9]) == 16  # the submission's key, which makes a retried write land once


def test_values_are_written_as_text_never_formulas(backend):
    backend.seed(trips_tabs([]))
    backend.storage().add_row(TRIPS, {"remarks": "=1+1", "phone": "0612345678", "seats": "3"}, "T")
    column = {header: number for number, header in enumerate(TRIPS.headers, start=1)}
    assert backend.stored_text("Trajets", 2, column["Remarques"]) == "'=1+1"  # inert, even in a CSV export
    assert backend.stored_text("Trajets", 2, column["Téléphone"]) == "0612345678"
    assert backend.stored_text("Trajets", 2, column["Places"]) == "3"


def test_missing_tab_is_created_on_write(backend):
    backend.seed({"Trajets": [TRIPS.headers]})
    backend.storage().add_row(REQUESTS, {"origin": "Cahors", "first_name": "Louise"}, "D")
    rows = backend.rows("Demandes")
    assert rows[0] == REQUESTS.headers and rows[1][2] == "Louise"


def test_init_adds_missing_tabs_and_headers_without_touching_data(backend):
    backend.seed({"trajets": [["Départ", "Arrivée", "Perso"], ["Figeac", "Cahors", "x"]]})
    done = backend.storage().init_tabs()
    assert any("Demandes" in line for line in done) and any("Lieux" in line for line in done)
    rows = backend.rows("trajets")
    assert rows[0][:3] == ["Départ", "Arrivée", "Perso"] and "Statut" in rows[0]
    assert rows[1] == ["Figeac", "Cahors", "x"]
    assert backend.rows("Lieux") == [PLACES.headers]
    assert backend.storage().init_tabs() == []


def test_our_write_shows_on_the_next_read(backend):
    backend.seed(trips_tabs([trip_row(id="T1")]))
    storage = backend.storage()
    assert len(storage.board().trips) == 1
    storage.add_row(TRIPS, NEW_TRIP, "T")
    assert len(storage.board().trips) == 2


def test_append_never_overwrites_a_row_typed_meanwhile(backend):
    backend.seed(trips_tabs([trip_row(id="T1")]))
    storage = backend.storage()
    storage.board()
    typed = ["", "", "Marie", "", "", "", "", "", "Gramat", "", "Cahors", "", "mardi", "", "7h"]
    backend.type_row("Trajets", 3, typed)  # after our read, before our write
    storage.add_row(TRIPS, NEW_TRIP, "T")
    rows = backend.rows("Trajets")
    assert len(rows) == 4
    assert rows[2] == trimmed([typed])[0]
    assert rows[3][2] == "Paul" and rows[3][8] == "Gramat"


def test_append_with_a_blank_row_and_empty_first_cells_stays_in_its_columns(backend):
    no_id = trip_row(id="", first_name="Sans-ID")
    backend.seed(trips_tabs([trip_row(id="T1"), no_id, {}, no_id, no_id]))  # last block starts at column C
    before = backend.rows("Trajets")
    storage = backend.storage(**{"sheet.cache_seconds": 0})
    storage.add_row(TRIPS, NEW_TRIP, "T")
    after = backend.rows("Trajets")
    added = [row for row in after if "Paul" in row]
    assert len(added) == 1 and added[0][2] == "Paul" and added[0][8] == "Gramat"  # column A onwards
    kept = [row for row in after if row not in added]
    assert [row for row in kept if row] == [row for row in before if row]  # nothing overwritten
    board = storage.board()
    assert sorted(t.first_name for t in board.trips) == ["Josette", "Paul", "Sans-ID", "Sans-ID", "Sans-ID"]


def test_a_held_board_stays_until_the_block_ends(backend):
    """A frozen site is one snapshot: an edit made while it is written waits for the next freeze."""
    row = {**trip_row(id="T1"), "Départ": "Gramat"}
    backend.seed(trips_tabs([row]))
    storage = backend.storage()
    with storage.holding() as held:
        backend.type_row("Trajets", 2, [{**row, "Départ": "Figeac"}.get(h, "") for h in TRIPS.headers])
        if isinstance(backend, GoogleBackend):
            backend.clock.advance(3600)
        storage.invalidate()
        assert storage.board() is held and held.trip("T1").origin.name == "Gramat"
    assert storage.board().trip("T1").origin.name == "Figeac"
