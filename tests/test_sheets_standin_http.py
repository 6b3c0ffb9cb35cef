"""Stand-in behaviours beyond what the recordings cover, checked over plain HTTP."""

import json
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
import requests

from tests.sheets_standin import SheetsStandin
from tests.sheets_standin.seed import load_seed

KEY = "k"


@pytest.fixture
def standin():
    with SheetsStandin() as standin:
        standin.create_spreadsheet(KEY, "Comobi", {
            "Trajets": [["id", "depart"], [], ["t2", "Millau", 3]],
            "Lieux d'été": [["nom"]],
            "D3": [],
        })
        yield standin


def call(standin, method, path, body=None, **params):
    url = f"{standin.endpoint}/v4/spreadsheets/{KEY}{path}"
    response = requests.request(method, url, json=body, params=params, timeout=5)
    return response.status_code, response.json()


def values_url(a1: str) -> str:
    return "/values/" + quote(a1, safe="")


@pytest.mark.parametrize("a1, echoed", [
    ("Trajets", "Trajets!A1:Z1000"),
    ("'Lieux d''été'!A:B", "'Lieux d''été'!A1:B1000"),
    ("'D3'!B2", "'D3'!B2"),
    ("A1:C3", "Trajets!A1:C3"),
    ("Trajets!2:3", "Trajets!A2:Z3"),
])
def test_range_echo_and_title_quoting(standin, a1, echoed):
    assert call(standin, "GET", values_url(a1))[1]["range"] == echoed


def test_middle_empty_row_and_render_options(standin):
    assert call(standin, "GET", values_url("Trajets"))[1]["values"] == [
        ["id", "depart"], [], ["t2", "Millau", "3"],
    ]
    unformatted = call(standin, "GET", values_url("Trajets!C3"),
                       valueRenderOption="UNFORMATTED_VALUE")
    assert unformatted[1]["values"] == [[3]]
    columns = call(standin, "GET", values_url("Trajets!A1:B3"), majorDimension="COLUMNS")
    assert columns[1]["values"] == [["id", "", "t2"], ["depart", "", "Millau"]]
    assert "values" not in call(standin, "GET", values_url("D3"))[1]


def test_user_entered_apostrophe_keeps_text(standin):
    body = {"values": [["'0612345678", "0612345678", "TRUE"]]}
    call(standin, "PUT", values_url("D3!A1"), body, valueInputOption="USER_ENTERED")
    assert standin.values(KEY, "D3") == [["0612345678", "612345678", "TRUE"]]
    assert standin.cell(KEY, "D3", "C1") is True


def test_unknown_tab_is_a_parse_error(standin):
    status, body = call(standin, "GET", values_url("Nope!A1"))
    assert status == 400
    assert body["error"] == {
        "code": 400, "message": "Unable to parse range: Nope!A1", "status": "INVALID_ARGUMENT",
    }


def test_writes_beyond_grid_or_range_are_refused_and_change_nothing(standin):
    call(standin, "POST", ":batchUpdate", {"requests": [{"updateSheetProperties": {
        "properties": {"sheetId": 0, "gridProperties": {"rowCount": 3}},
        "fields": "gridProperties/rowCount"}}]})
    status, body = call(standin, "PUT", values_url("Trajets!A3"), {"values": [["x"], ["y"]]},
                        valueInputOption="RAW")
    assert (status, body["error"]["message"]) == (
        400, "Range (Trajets!A3) exceeds grid limits. Max rows: 3, max columns: 26")
    status, body = call(standin, "PUT", values_url("Trajets!A1:B1"), {"values": [["a", "b", "c"]]},
                        valueInputOption="RAW")
    assert status == 400 and "tried writing to column [C]" in body["error"]["message"]
    assert standin.values(KEY, "Trajets")[0] == ["id", "depart"]


def test_append_anchored_on_first_cell_stops_at_blank_row(standin):
    status, body = call(standin, "POST", values_url("Trajets!A1") + ":append",
                        {"values": [["t1", "Vabres"]]}, valueInputOption="RAW")
    assert body["tableRange"] == "Trajets!A1:B1"
    assert body["updates"]["updatedRange"] == "Trajets!A2:B2"


def test_append_insert_rows_shifts_what_is_below(standin):
    call(standin, "POST", values_url("Trajets!A1") + ":append", {"values": [["t1"]]},
         valueInputOption="RAW", insertDataOption="INSERT_ROWS")
    assert standin.values(KEY, "Trajets") == [
        ["id", "depart"], ["t1"], [], ["t2", "Millau", "3"],
    ]
    assert standin.sheet_size(KEY, "Trajets") == (1001, 26)


def test_batch_update_is_atomic(standin):
    status, body = call(standin, "POST", ":batchUpdate", {"requests": [
        {"addSheet": {"properties": {"title": "Nouveau"}}},
        {"deleteSheet": {"sheetId": 999}},
    ]})
    assert status == 400
    assert body["error"]["message"].startswith("Invalid requests[1].deleteSheet:")
    titles = [s["properties"]["title"] for s in call(standin, "GET", "")[1]["sheets"]]
    assert titles == ["Trajets", "Lieux d'été", "D3"]


def test_unsupported_batch_update_request_is_reported(standin):
    status, body = call(standin, "POST", ":batchUpdate", {"requests": [{"repeatCell": {}}]})
    assert status == 400 and "does not implement 'repeatCell'" in body["error"]["message"]


def test_batch_clear(standin):
    ranges = ["Trajets!A3:C3", "'Lieux d''été'"]
    status, body = call(standin, "POST", "/values:batchClear", {"ranges": ranges})
    assert body["clearedRanges"] == ["Trajets!A3:C3", "'Lieux d''été'!A1:Z1000"]
    assert standin.values(KEY, "Trajets") == [["id", "depart"]]
    assert standin.values(KEY, "Lieux d'été") == []


def test_seed_from_json_and_xlsx(tmp_path):
    from openpyxl import Workbook

    seed = tmp_path / "demo.json"
    seed.write_text(json.dumps({"spreadsheets": [
        {"id": "a", "title": "A", "tabs": {"Trajets": [["id"], ["t1"]]}, "shared": False},
    ]}))
    workbook = Workbook()
    workbook.active.title = "Lieux"
    workbook.active.append(["nom", "altitude", "formule"])
    workbook.active.append(["Camarès", 320, "=1+2"])
    workbook.save(tmp_path / "lieux.xlsx")
    with SheetsStandin() as standin:
        assert load_seed(standin, seed) == ["a"]
        assert load_seed(standin, tmp_path / "lieux.xlsx", "b") == ["b"]
        assert standin.values("a", "Trajets") == [["id"], ["t1"]]
        assert standin.values("b", "Lieux") == [
            ["nom", "altitude", "formule"], ["Camarès", "320", "3"],
        ]
        assert requests.get(f"{standin.endpoint}/v4/spreadsheets/a", timeout=5).status_code == 403


def test_standalone_server_prints_endpoint_and_serves(tmp_path):
    seed = tmp_path / "demo.json"
    seed.write_text(json.dumps({"spreadsheets": [{"id": "demo", "tabs": {"T": [["x"]]}}]}))
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.sheets_standin", "--port", "0", "--seed", str(seed)],
        cwd=Path(__file__).parent.parent, stdout=subprocess.PIPE, text=True,
    )
    try:
        lines = [process.stdout.readline(), process.stdout.readline()]
        endpoint = lines[1].strip().removeprefix("GOOGLE_SHEETS_API_ENDPOINT=")
        answer = requests.get(f"{endpoint}/v4/spreadsheets/demo/values/T", timeout=5).json()
        assert answer["values"] == [["x"]]
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=5) == 0
