"""A restart while the sheet is down, forms during an outage, rows just acknowledged elsewhere."""
from __future__ import annotations

import json
import stat
from datetime import date, datetime, timedelta

from comobi.schema import REQUESTS, TRIPS
from comobi.storage.board_cache import Grids
from comobi.storage.snapshot import Snapshot
from tests.fault_backends import backend  # noqa: F401 - fixture
from tests.faulty import FaultySpreadsheet
from tests.test_forms import OFFER, REQUEST

TRIP = "Lalbenque → Cahors"


def posted_id(page: str) -> str:
    return page.split("<strong>")[1].split("</strong>")[0]


def test_a_restart_while_the_sheet_is_down_serves_the_last_read_with_its_age(backend, tmp_path):
    client = backend.make_app().test_client()
    client.post("/proposer", follow_redirects=True, data=OFFER)
    assert TRIP in client.get("/trajets").get_data(as_text=True)
    saved = tmp_path / "derniere-lecture.json"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    backend.faults.fail(503, times=None)
    restarted = backend.make_app(**{"sheet.read_wait_seconds": 0.2})
    client = restarted.test_client()
    page = client.get("/trajets")
    assert page.status_code == 200
    assert TRIP in page.get_data(as_text=True) and "Liste mise à jour" in page.get_data(as_text=True)
    assert client.get("/api/v1/status").status_code == 200
    check = restarted.test_cli_runner().invoke(args=["sheet", "check"])
    assert check.exit_code == 1 and "dernière lecture réussie" in check.output and "1 trajet(s)" in check.output


def test_the_forms_open_and_queue_when_the_sheet_is_down_from_the_start(backend, tmp_path):
    app = backend.make_app()
    backend.faults.fail(503, times=None)
    client = app.test_client()
    assert client.get("/trajets").status_code == 503  # nothing read, nothing kept: said plainly
    for url in ("/proposer", "/demander"):
        response = client.get(url)
        assert response.status_code == 200 and 'id="communes"' in response.get_data(as_text=True), url
    assert "apparaîtra dans quelques minutes" in client.post("/proposer", follow_redirects=True, data=OFFER).get_data(as_text=True)
    assert client.post("/demander", follow_redirects=True, data=REQUEST).status_code == 200
    assert len(list((tmp_path / "outbox").glob("*.json"))) == 2


def test_the_forms_know_the_last_read_places_during_an_outage(make_app, tmp_path):
    make_app().test_client().get("/trajets")  # the demo workbook: Lieux holds "Gare de Figeac"
    restarted = make_app()
    storage = restarted.extensions["comobi.storage"]
    storage.spreadsheet = FaultySpreadsheet(storage.spreadsheet)
    storage.spreadsheet.faults.fail(503, times=None)
    page = restarted.test_client().post("/proposer", follow_redirects=True, data={**OFFER, "origin": "Gare de Figeac"})
    assert page.status_code == 200 and "apparaîtra dans quelques minutes" in page.get_data(as_text=True)


def test_the_saved_read_keeps_only_the_apps_columns_and_requests_within_retention(tmp_path):
    today = date(2026, 12, 4)
    old = (today - timedelta(days=400)).strftime("%d/%m/%Y 10:00")
    recent = (today - timedelta(days=3)).strftime("%d/%m/%Y 10:00")
    requests = [["ID", "Date de la demande", "Prénom", "Suivi privé"],
                ["D1", old, "Ancienne", "note a"], ["D2", recent, "Récente", "note b"]]
    trips = [["ID", "Prénom", "Colonne perso"], ["T1", "Josette", "secret"]]
    snapshot = Snapshot(tmp_path / "s.json", "local:/x", retention_days=365, today=lambda: today)
    snapshot.save(Grids({TRIPS.title: "Trajets", REQUESTS.title: "Demandes"},
                        {TRIPS.title: trips, REQUESTS.title: requests}, datetime(2026, 12, 4, 9, 0)))
    text = (tmp_path / "s.json").read_text(encoding="utf-8")
    for private in ("Suivi privé", "note b", "secret", "Colonne perso", "Ancienne"):
        assert private not in text
    loaded = snapshot.load()
    assert loaded.rows[REQUESTS.title][2] == ["D2", recent, "Récente"]
    assert not any(loaded.rows[REQUESTS.title][1])  # kept blank: row numbers stay those of the sheet
    assert loaded.read_at == datetime(2026, 12, 4, 9, 0)
    assert Snapshot(tmp_path / "s.json", "local:/another", 365).load() is None
    (tmp_path / "s.json").write_text("{broken", encoding="utf-8")
    assert snapshot.load() is None


def test_a_damaged_saved_read_does_not_stop_the_app(make_app, tmp_path):
    (tmp_path / "derniere-lecture.json").write_text(json.dumps({"format": 1, "rows": 3}), encoding="utf-8")
    assert make_app().test_client().get("/trajets").status_code == 200


def test_a_trip_just_posted_through_one_worker_is_found_by_another(backend):
    writer = backend.make_app(**{"sheet.cache_seconds": 3600}).test_client()
    reader = backend.make_app(**{"sheet.cache_seconds": 3600}).test_client()
    assert reader.get("/trajets").status_code == 200  # its board, read before the post
    trip_id = posted_id(writer.post("/proposer", follow_redirects=True, data=OFFER).get_data(as_text=True))
    page = reader.get(f"/trajets/{trip_id}")
    assert page.status_code == 200 and "Lalbenque" in page.get_data(as_text=True)
    backend.faults.fail(503, times=None, only="write")  # the next one waits in the outbox
    queued = posted_id(writer.post("/proposer", follow_redirects=True, data={**OFFER, "origin": "Gramat"}).get_data(as_text=True))
    page = reader.get(f"/trajets/{queued}")
    assert page.status_code == 200 and "Gramat" in page.get_data(as_text=True)


def test_unknown_ids_spend_reads_only_within_the_quota(make_app):
    from tests.test_board_cache import GatedSpreadsheet

    app = make_app(**{"sheet.cache_seconds": 3600, "sheet.miss_refreshes_per_minute": 6})
    storage = app.extensions["comobi.storage"]
    storage.spreadsheet = sheet = GatedSpreadsheet(storage.spreadsheet)
    client = app.test_client()
    client.get("/trajets")
    reads = sheet.reads
    for n in range(20):
        assert client.get(f"/trajets/TZZZ{n:02d}").status_code == 404
    assert client.get("/trajets/TZZZ00").status_code == 404
    assert sheet.reads == reads + 1  # a burst of ten seconds' worth of 6 a minute: one read


def test_trace_and_other_unknown_methods_get_405_with_allow(client):
    for url in ("/api/v1/status", "/api/v1/driver_journeys", "/api/v1/driver_regular_trips",
                "/api/v1/openapi.yaml", "/", "/trajets", "/proposer"):
        for method in ("TRACE", "PUT", "DELETE"):
            response = client.open(url, method=method)
            assert response.status_code == 405, (method, url)
            assert "GET" in response.headers["Allow"], (method, url)
            assert "Traceback" not in response.get_data(as_text=True)
    assert client.open("/api/v1/status", method="TRACE").is_json


def test_the_api_answers_503_with_a_reason_when_nothing_can_be_read(make_app, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    client = make_app(bad).test_client()
    response = client.get("/api/v1/status")
    assert response.status_code == 503 and "tableur" in response.get_json()["error"]
    assert int(response.headers["Retry-After"]) > 0


def test_a_sheet_that_fails_is_asked_again_only_once_the_cache_period_is_over(make_app):
    from tests.test_board_cache import GatedSpreadsheet

    make_app().test_client().get("/trajets")  # a read kept on disk
    for restarted in (False, True):
        app = make_app(**{"sheet.cache_seconds": 3600, "sheet.read_wait_seconds": 5})
        storage = app.extensions["comobi.storage"]
        faulty = FaultySpreadsheet(storage.spreadsheet)
        storage.spreadsheet = GatedSpreadsheet(faulty)  # no version: the cache period rules
        client = app.test_client()
        if not restarted:
            client.get("/trajets")
            storage.invalidate()
        rule = faulty.faults.fail(503, times=None)
        for _ in range(5):
            page = client.get("/trajets")
            assert page.status_code == 200 and "Liste mise à jour" in page.get_data(as_text=True)
        assert rule.hits == 1, restarted  # versionless like Google: one try per cache period


def test_a_request_typed_by_phone_on_one_worker_opens_on_another(backend):
    from tests.gestion_support import PASSWORD, log_in
    from tests.test_gestion import PHONE_REQUEST

    writer, reader = (backend.make_app(**{"sheet.cache_seconds": 3600, "COMOBI_ADMIN_PASSWORD": PASSWORD})
                      .test_client() for _ in range(2))
    for client in (writer, reader):
        log_in(client)
    assert reader.get("/gestion/").status_code == 200  # its board, read before the request
    location = writer.post("/gestion/demande-telephone", data=PHONE_REQUEST).headers["Location"]
    page = reader.get(location)
    assert page.status_code == 200 and "Marguerite" in page.get_data(as_text=True)


def test_a_freeze_while_the_sheet_is_down_fails_rather_than_publish_an_older_read(make_app):
    import pytest

    from comobi.storage import StorageError

    make_app().test_client().get("/trajets")  # a read kept on disk
    storage = make_app().extensions["comobi.storage"]
    storage.spreadsheet = FaultySpreadsheet(storage.spreadsheet)
    storage.spreadsheet.faults.fail(503, times=None)
    assert storage.board().trips  # the pages have the saved read
    with pytest.raises(StorageError), storage.holding():
        pass


def test_a_sheet_that_hangs_at_start_leaves_the_forms_open(make_app, monkeypatch):
    from comobi.storage import board_cache
    from tests.test_board_cache import GatedSpreadsheet

    monkeypatch.setattr(board_cache, "FIRST_READ_WAIT_SECONDS", 0.05)
    app = make_app()
    storage = app.extensions["comobi.storage"]
    storage.spreadsheet = sheet = GatedSpreadsheet(storage.spreadsheet)
    sheet.read_gate.clear()  # the first read never ends while the gate is closed
    client = app.test_client()
    try:
        assert client.get("/trajets").status_code == 503
        page = client.get("/proposer")
        assert page.status_code == 200 and "<option value=\"Cahors\">" in page.get_data(as_text=True)
    finally:
        sheet.read_gate.set()
