"""The Google adapter's own concerns: configuration, request counts, quoting, errors in French."""
import json
import threading

import pytest

from comobi.schema import PLACES, REQUESTS, TRIPS
from comobi.settings import PROJECT_ROOT
from comobi.storage.google import GoogleSpreadsheet, MisconfiguredSpreadsheet
from comobi.storage.google_auth import ENDPOINT_VARIABLE, KEY_VARIABLE, access_from, spreadsheet_id_from
from comobi.storage.port import StorageError
from tests.google_backend import (
    SERVICE_EMAIL,
    SHEET_ID,
    FakeClock,
    google_settings,
    google_spreadsheet,
    google_storage,
    service_account_key,
    standin,  # noqa: F401 - fixture
)
from tests.workbooks import trip_row

ALL_TABS = {TRIPS.title: [TRIPS.headers], REQUESTS.title: [REQUESTS.headers], PLACES.title: [PLACES.headers]}


def trips_sheet(standin, *trips, **extra_tabs):
    rows = [TRIPS.headers] + [[t.get(h, "") for h in TRIPS.headers] for t in trips]
    standin.create_spreadsheet(SHEET_ID, "Covoiturage", {**ALL_TABS, TRIPS.title: rows, **extra_tabs})


# -- configuration -------------------------------------------------------------

@pytest.mark.parametrize("text", [
    SHEET_ID,
    f"https://docs.google.com/spreadsheets/d/{SHEET_ID}/edit#gid=0",
    f"  https://docs.google.com/spreadsheets/u/1/d/{SHEET_ID}/edit?usp=sharing ",
])
def test_spreadsheet_id_from_id_or_browser_address(text):
    assert spreadsheet_id_from(text) == SHEET_ID
    assert spreadsheet_id_from("demo") == "demo"  # the stand-in's default id


@pytest.mark.parametrize("text, words", [("", "sheet.spreadsheet_id"), ("mon tableur", "adresse complète")])
def test_bad_spreadsheet_id_is_explained(text, words):
    with pytest.raises(StorageError, match=words):
        spreadsheet_id_from(text)


def test_key_file_relative_to_project_root_or_absolute(tmp_path):
    key = tmp_path / "cle.json"
    key.write_text(service_account_key())
    access = access_from(google_settings(**{"sheet.credentials": str(key)}), environ={})
    assert access.client_email == SERVICE_EMAIL and access.endpoint is None
    with pytest.raises(StorageError, match=f"{PROJECT_ROOT / 'secret/cle.json'} est introuvable"):
        access_from(google_settings(**{"sheet.credentials": "secret/cle.json"}), environ={})


def test_key_from_environment_variable_wins():
    key = service_account_key("env@x.iam.gserviceaccount.com")
    access = access_from(google_settings(), environ={KEY_VARIABLE: key})
    assert access.client_email == "env@x.iam.gserviceaccount.com"
    assert access.credentials.service_account_email == "env@x.iam.gserviceaccount.com"


@pytest.mark.parametrize("key, words", [
    (None, "Clé du compte de service Google absente"),
    ("{pas du json", "n'est pas une clé JSON lisible"),
    (json.dumps({"type": "authorized_user", "client_id": "x"}), "n'est pas la clé d'un compte de service"),
    (json.dumps({"type": "service_account", "client_email": "a@b.iam.gserviceaccount.com",
                 "private_key": "abîmée", "token_uri": "https://oauth2.googleapis.com/token"}),
     "incomplète ou abîmée"),
])
def test_bad_keys_are_explained_in_french(key, words):
    environ = {} if key is None else {KEY_VARIABLE: key}
    with pytest.raises(StorageError, match=words):
        access_from(google_settings(), environ=environ)


def test_endpoint_needs_no_key_and_misconfiguration_waits_for_use(standin, monkeypatch):
    trips_sheet(standin, trip_row(id="T1"))
    assert google_spreadsheet().tab_titles() == [TRIPS.title, REQUESTS.title, PLACES.title]
    monkeypatch.delenv(ENDPOINT_VARIABLE)
    broken = google_spreadsheet()  # no key: the app still starts, and says why on use
    assert isinstance(broken, MisconfiguredSpreadsheet) and broken.version() is None
    with pytest.raises(StorageError, match="Clé du compte de service Google absente"):
        broken.read_tabs([TRIPS.title])


# -- request counts ------------------------------------------------------------

def test_all_tabs_are_read_in_one_call_and_metadata_once_per_period(standin):
    trips_sheet(standin, trip_row(id="T1"))
    clock = FakeClock()
    sheet = google_spreadsheet(clock)
    for _ in range(5):
        titles = sheet.tab_titles()
        grids = sheet.read_tabs(titles)
    assert grids[TRIPS.title][1][0] == "T1" and grids[PLACES.title] == [PLACES.headers]
    assert standin.count(op="spreadsheets.get") == 1 and standin.count(op="values.batchGet") == 5
    assert {r.tabs for r in standin.requests if r.op == "values.batchGet"} == {tuple(titles)}
    clock.advance(60)
    sheet.tab_titles()
    assert standin.count(op="spreadsheets.get") == 2


def test_ids_are_filled_in_one_batched_write(standin):
    trips_sheet(standin, *[trip_row(id="") for _ in range(7)])
    storage = google_storage()
    ids = [t.id for t in storage.board().trips]
    assert len(set(ids)) == 7
    writes = [r.op for r in standin.requests if r.kind == "write"]
    assert writes == ["values.batchUpdate"]
    assert [row[0] for row in standin.values(SHEET_ID, TRIPS.title)[1:]] == ids


def test_a_write_reads_its_tab_once_and_its_header_after(standin):
    """Fresh, for the header (the clerk may have moved columns) and the keys already written;
    then the header row alone, to see that no column was inserted while we appended."""
    trips_sheet(standin, trip_row(id="T1"))
    storage = google_storage()
    storage.board()
    standin.reset_counts()
    storage.add_row(TRIPS, {"origin": "Gramat", "destination": "Figeac", "days": "lundi"}, "T")
    assert [(r.op, r.kind) for r in standin.requests] == [
        ("values.batchGet", "read"), ("values.append", "write"), ("values.get", "read")]
    storage.board()  # our write shows at once: one more read, the tab list is still cached
    assert standin.count(kind="read") == 3 and standin.count(op="values.batchGet") == 2


def test_add_tab_is_remembered_without_fetching_the_tab_list_again(standin):
    standin.create_spreadsheet(SHEET_ID, "Covoiturage", {"Feuille 1": []})
    sheet = google_spreadsheet(FakeClock())
    sheet.add_tab("Lieux", PLACES.headers)
    assert sheet.tab_titles() == ["Feuille 1", "Lieux"]
    assert standin.count(op="spreadsheets.get") == 1
    assert standin.values(SHEET_ID, "Lieux") == [PLACES.headers]


# -- quoting, grid -------------------------------------------------------------

def test_titles_with_accents_spaces_and_quotes(standin):
    title = "Lieux d'été 2026"
    standin.create_spreadsheet(SHEET_ID, "Covoiturage", {title: [["Noms", "Latitude"], ["Cahors"]]})
    sheet = google_spreadsheet()
    assert sheet.read_tabs([title]) == {title: [["Noms", "Latitude"], ["Cahors"]]}
    assert sheet.read_header(title) == ["Noms", "Latitude"]
    sheet.append_rows(title, [["Figeac", "44,6"]])
    sheet.update_cells(title, [(2, 2, "44,45"), (1, 3, "Longitude")])
    assert standin.values(SHEET_ID, title) == [["Noms", "Latitude", "Longitude"], ["Cahors", "44,45"],
                                               ["Figeac", "44,6"]]


def test_header_past_the_grid_edge_widens_the_tab(standin):
    form_headers = [f"Question {n}" for n in range(1, 27)]  # a Google Form sheet, 26 columns wide
    standin.create_spreadsheet(SHEET_ID, "Réponses", {"Trajets": [form_headers]})
    assert standin.sheet_size(SHEET_ID, "Trajets")[1] == 26
    google_storage().init_tabs()
    header = standin.values(SHEET_ID, "Trajets")[0]
    assert header[:26] == form_headers and header[26:] == TRIPS.headers


# -- errors --------------------------------------------------------------------

def test_not_shared_names_the_service_account(standin, monkeypatch):
    trips_sheet(standin)
    standin.set_shared(SHEET_ID, False)
    monkeypatch.setenv(KEY_VARIABLE, service_account_key())
    with pytest.raises(StorageError) as error:
        google_spreadsheet().tab_titles()
    assert "pas partagé" in str(error.value) and SERVICE_EMAIL in str(error.value)


def test_wrong_id(standin):
    with pytest.raises(StorageError, match=f"Aucun Google Sheet ne porte l'identifiant « {SHEET_ID} »"):
        google_spreadsheet().tab_titles()


def test_tab_removed_meanwhile_is_named_and_looked_up_again(standin):
    trips_sheet(standin)
    sheet = google_spreadsheet(FakeClock())
    titles = sheet.tab_titles()
    gone = standin.store.books[SHEET_ID].sheet_by_title(PLACES.title)
    standin.store.books[SHEET_ID].delete_sheet(gone.sheet_id)
    with pytest.raises(StorageError, match="Onglet « Lieux » introuvable.*sheet init"):
        sheet.read_tabs(titles)
    assert sheet.tab_titles() == [TRIPS.title, REQUESTS.title]


def test_quota_refusals_are_retried_after_short_delays(standin):
    trips_sheet(standin, trip_row(id="T1"))
    sleeps = []
    standin.faults.fail(429, times=2)
    assert google_spreadsheet(sleeps=sleeps).tab_titles()[0] == TRIPS.title
    assert sleeps == [1.0, 2.0] and standin.count(op="spreadsheets.get") == 3


def test_quota_exhausted_serves_the_last_good_data(standin):
    trips_sheet(standin, trip_row(id="T1"))
    clock, sleeps = FakeClock(), []
    storage = google_storage(clock, sleeps)
    first = storage.board()
    standin.faults.fail(429, times=None)
    clock.advance(61)
    board = storage.board()
    assert [t.id for t in board.trips] == ["T1"] and "limite est atteinte" in board.stale_reason
    assert len(sleeps) == 2 and board is first
    standin.faults.clear()
    clock.advance(61)
    assert not storage.board().stale_reason


def test_server_errors_are_retried_for_reads_never_for_writes(standin):
    trips_sheet(standin)
    sheet = google_spreadsheet()
    standin.faults.fail(503, times=1, only="read")
    assert sheet.read_tabs([TRIPS.title])
    standin.faults.after_write(status=503)  # applied, then an error: sending it again would duplicate
    with pytest.raises(StorageError, match="momentanément indisponible"):
        sheet.append_rows(TRIPS.title, [["T9"]])
    assert standin.count(op="values.append") == 1
    assert [row[0] for row in standin.values(SHEET_ID, TRIPS.title)] == ["ID", "T9"]


def test_network_failures_are_explained(standin):
    trips_sheet(standin)
    # 1 s: a dropped connection must be seen as such even on a busy machine.
    sheet = GoogleSpreadsheet.from_settings(google_settings(), timeout=1.0, sleep=lambda s: None)
    standin.faults.reset()
    with pytest.raises(StorageError, match="Impossible de joindre Google Sheets"):
        sheet.tab_titles()
    standin.faults.delay(3.0)
    with pytest.raises(StorageError, match="pas répondu à temps"):
        sheet.tab_titles()


def test_writers_at_once_fetch_the_tab_list_once_and_widen_the_tab_once(standin):
    standin.create_spreadsheet(SHEET_ID, "Réponses", {"Trajets": [["ID"]]})
    sheet = google_spreadsheet()
    start = threading.Barrier(8)

    def write(n: int) -> None:
        start.wait()
        sheet.update_cells("Trajets", [(1, 30, "Colonne ajoutée"), (n + 2, 1, f"T{n}")])

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert _metadata_fetches(standin) == 1
    assert standin.sheet_size(SHEET_ID, "Trajets")[1] == 30  # widened once, by 4 columns


def _metadata_fetches(standin) -> int:
    return sum(1 for r in standin.requests if r.op == "spreadsheets.get")
