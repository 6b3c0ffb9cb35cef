"""Drive the stand-in through real gspread, as the app's Google adapter will."""

import gspread
import pytest
import requests
from gspread.cell import Cell

from tests.sheets_standin import SheetsStandin
from tests.sheets_standin.client import gspread_client

KEY = "comobi-test-sheet"
TRAJETS = [
    ["id", "depart", "arrivee", "telephone"],
    ["t1", "Saint-Affrique", "Millau", "0612345678"],
    ["t2", "Belmont", "", "0698765432"],
]
LIEUX = [["nom", "commune"], ["Place de l'église", "Camarès"]]


@pytest.fixture
def standin():
    with SheetsStandin() as standin:
        standin.create_spreadsheet(KEY, "Comobi", {"Trajets": TRAJETS, "Lieux d'été": LIEUX})
        yield standin


@pytest.fixture
def book(standin):
    return gspread_client(standin.endpoint, timeout=5).open_by_key(KEY)


def test_open_by_key_lists_tabs_with_accents_and_spaces(book):
    assert book.title == "Comobi"
    assert [ws.title for ws in book.worksheets()] == ["Trajets", "Lieux d'été"]
    assert book.worksheet("Lieux d'été").get_all_values() == LIEUX


def test_get_all_values_pads_what_the_api_trims(book):
    assert book.worksheet("Trajets").get_all_values() == TRAJETS


def test_append_row_raw_keeps_phone_numbers_as_text(standin, book):
    book.worksheet("Trajets").append_row(["t3", "Vabres", "Rodez", "0601020304"])
    assert standin.values(KEY, "Trajets")[-1] == ["t3", "Vabres", "Rodez", "0601020304"]
    assert standin.cell(KEY, "Trajets", "D4") == "0601020304"


def test_user_entered_turns_text_into_numbers_and_formulas(standin, book):
    sheet = book.worksheet("Trajets")
    sheet.append_row(["t3", "=1+1", "", "0601020304"], value_input_option="USER_ENTERED")
    assert standin.cell(KEY, "Trajets", "D4") == 601020304
    assert standin.cell(KEY, "Trajets", "B4") == "=1+1"
    assert sheet.row_values(4) == ["t3", "2", "", "601020304"]


def test_batch_update_and_update_cells(standin, book):
    sheet = book.worksheet("Trajets")
    sheet.batch_update([
        {"range": "B2", "values": [["Saint-Rome-de-Tarn"]]},
        {"range": "C3:D3", "values": [["Albi", "0700000000"]]},
    ])
    sheet.update_cells([Cell(2, 3, "Roquefort"), Cell(3, 1, "t2-bis")])
    assert standin.values(KEY, "Trajets")[1:] == [
        ["t1", "Saint-Rome-de-Tarn", "Roquefort", "0612345678"],
        ["t2-bis", "Belmont", "Albi", "0700000000"],
    ]


def test_add_worksheet_insert_row_and_resize(standin, book):
    sheet = book.add_worksheet("Réservations 2024", rows=10, cols=3)
    sheet.update([["trajet", "passager"]], "A1")
    sheet.insert_row(["t1", "Léa"], index=2)
    sheet.add_rows(5)
    assert standin.values(KEY, "Réservations 2024") == [["trajet", "passager"], ["t1", "Léa"]]
    assert standin.sheet_size(KEY, "Réservations 2024") == (16, 3)
    assert [ws.title for ws in book.worksheets()][-1] == "Réservations 2024"


def test_wrong_key_and_unshared_spreadsheet(standin):
    client = gspread_client(standin.endpoint)
    with pytest.raises(gspread.SpreadsheetNotFound):
        client.open_by_key("no-such-sheet")
    standin.set_shared(KEY, False)
    with pytest.raises(PermissionError):
        client.open_by_key(KEY)


def test_open_by_title_create_and_delete_through_drive(standin):
    client = gspread_client(standin.endpoint)
    assert client.open("Comobi").id == KEY
    created = client.create("Brouillon")
    assert created.sheet1.title == "Sheet1"
    client.del_spreadsheet(created.id)
    with pytest.raises(gspread.SpreadsheetNotFound):
        client.open("Brouillon")


def test_request_counting_one_read_per_tab_per_page_view(standin, book):
    trajets, lieux = book.worksheet("Trajets"), book.worksheet("Lieux d'été")
    standin.reset_counts()
    for _ in range(3):  # three page views, each reading both tabs once
        trajets.get_all_values()
        lieux.get_all_values()
    assert standin.count(kind="read") == 6
    assert standin.count(kind="read", tab="Trajets") == 3
    assert standin.count(kind="read", tab="Lieux d'été") == 3
    assert standin.count(kind="write") == 0


def test_request_counting_batch_get_is_one_read_naming_both_tabs(standin, book):
    standin.reset_counts()
    book.values_batch_get(["Trajets", "'Lieux d''été'!A1:B"])
    (record,) = standin.requests
    assert (record.op, record.kind) == ("values.batchGet", "read")
    assert record.tabs == ("Trajets", "Lieux d'été")


def test_fault_next_request_fails_then_recovers(standin, book):
    sheet = book.worksheet("Trajets")
    standin.faults.fail(503)
    with pytest.raises(gspread.exceptions.APIError) as error:
        sheet.get_all_values()
    assert error.value.code == 503
    assert sheet.get_all_values() == TRAJETS


def test_fault_only_writes_get_429(standin, book):
    sheet = book.worksheet("Trajets")
    standin.faults.fail(429, times=None, only="write")
    assert sheet.get_all_values() == TRAJETS
    with pytest.raises(gspread.exceptions.APIError) as error:
        sheet.append_row(["t3"])
    assert error.value.code == 429
    assert error.value.response.json()["error"]["status"] == "RESOURCE_EXHAUSTED"
    assert len(standin.values(KEY, "Trajets")) == 3


def test_fault_ratio_is_deterministic(standin, book):
    sheet = book.worksheet("Trajets")

    def outcomes():
        standin.faults.clear()
        standin.faults.fail(500, times=None, ratio=0.5, seed=7)
        results = []
        for _ in range(20):
            try:
                sheet.get_all_values()
                results.append("ok")
            except gspread.exceptions.APIError:
                results.append("500")
        return results

    first = outcomes()
    assert "ok" in first and "500" in first
    assert outcomes() == first


def test_fault_connection_reset_does_not_apply_the_write(standin, book):
    sheet = book.worksheet("Trajets")
    standin.faults.reset(only="write")
    with pytest.raises(requests.exceptions.ConnectionError):
        sheet.append_row(["t3"])
    assert len(standin.values(KEY, "Trajets")) == 3
    record = standin.requests[-1]
    assert (record.op, record.fault, record.status) == ("values.append", "reset", None)


def test_fault_write_applied_then_connection_dropped(standin, book):
    sheet = book.worksheet("Trajets")
    standin.faults.after_write(reset=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        sheet.append_row(["t3", "Vabres"])
    assert standin.values(KEY, "Trajets")[-1] == ["t3", "Vabres"]


def test_fault_write_applied_then_client_times_out(standin):
    client = gspread_client(standin.endpoint)
    sheet = client.open_by_key(KEY).worksheet("Trajets")
    client.set_timeout(0.3)  # only now: opening the sheet must not time out on a busy machine
    standin.faults.after_write(delay=2.0)
    with pytest.raises(requests.exceptions.Timeout):
        sheet.append_row(["t3", "Vabres"])
    assert standin.values(KEY, "Trajets")[-1] == ["t3", "Vabres"]


def test_fault_delay_slows_an_answer_down(standin, book):
    sheet = book.worksheet("Trajets")
    standin.faults.delay(0.05)
    assert sheet.get_all_values() == TRAJETS
    assert standin.requests[-1].fault == "delay 0.05s"
