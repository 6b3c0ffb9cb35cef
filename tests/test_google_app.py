"""The whole app on the Google backend: pages, forms and the clerk's commands, through real
gspread over HTTP against the Sheets API stand-in."""
import re
import threading

import pytest

from comobi.schema import PLACES, REQUESTS, TRIPS
from comobi.storage.google_auth import ENDPOINT_VARIABLE, KEY_VARIABLE
from tests.gestion_support import PASSWORD, log_in
from tests.google_backend import (SERVICE_EMAIL, SHEET_ID, FakeClock, google_config, google_storage,
                                  service_account_key, use_storage)
from tests.google_backend import standin  # noqa: F401 - fixture
from tests.test_forms import OFFER, REQUEST
from tests.workbooks import trip_row


def seed(standin, *trips, tabs=None):
    rows = [TRIPS.headers] + [[t.get(h, "") for h in TRIPS.headers] for t in trips]
    default = {TRIPS.title: rows, REQUESTS.title: [REQUESTS.headers], PLACES.title: [PLACES.headers]}
    standin.create_spreadsheet(SHEET_ID, "Covoiturage solidaire", tabs if tabs is not None else default)


def by_header(standin, title):
    rows = standin.values(SHEET_ID, title)
    return [dict(zip(rows[0], row)) for row in rows[1:]]


@pytest.fixture
def google_app(standin, make_app):
    return lambda **config: make_app(**google_config(**config))


def test_pages_list_the_sheets_trips(standin, google_app):
    seed(standin, trip_row(id="T1", origin="Limogne-en-Quercy", destination="Cahors"),
         trip_row(id="T2", origin="Figeac", destination="Gramat", phone="0639980002", direct_contact="Non"))
    client = google_app().test_client()
    page = client.get("/trajets").get_data(as_text=True)
    assert "Limogne-en-Quercy" in page and "Figeac" in page
    assert sorted(t["id"] for t in client.get("/trajets.json").get_json()["trajets"]) == ["T1", "T2"]
    detail = client.get("/trajets/T2").get_data(as_text=True)
    assert "Gramat" in detail and "39 98 00 02" not in detail


def test_offer_is_appended_to_the_sheet_and_shown_at_once(standin, google_app):
    seed(standin, trip_row(id="T1"))
    client = google_app().test_client()
    assert client.get("/trajets").status_code == 200
    page = client.post("/proposer", follow_redirects=True, data=OFFER).get_data(as_text=True)
    trip_id = re.search(r"<strong>(T\w+)</strong>", page).group(1)
    row = by_header(standin, TRIPS.title)[-1]
    assert row["ID"] == trip_id and row["Départ"] == "Lalbenque" and row["Téléphone"] == "06 39 98 00 42"
    assert standin.cell(SHEET_ID, TRIPS.title, "E3") == "06 39 98 00 42"  # stored as text
    assert client.get(f"/trajets/{trip_id}").status_code == 200  # no waiting for the cache period


def test_request_is_appended_to_the_sheet(standin, google_app):
    seed(standin)
    client = google_app().test_client()
    page = client.post("/demander", follow_redirects=True, data=REQUEST).get_data(as_text=True)
    request_id = re.search(r"<strong>(D\w+)</strong>", page).group(1)
    row = by_header(standin, REQUESTS.title)[-1]
    assert row["ID"] == request_id and row["Prénom"] == "Jeanne" and row["Canal"] == "web"


def test_thousand_page_views_in_one_period_read_each_tab_once(standin, google_app):
    seed(standin, trip_row(id="T1"))
    app = google_app()
    clock = FakeClock()
    use_storage(app, google_storage(clock))
    client = app.test_client()
    for n in range(1000):
        assert client.get(("/trajets", "/", "/trajets/T1", "/trajets.json")[n % 4]).status_code == 200
    assert standin.count(kind="read") == 2  # the tab list, then every tab in one batchGet
    assert standin.count(op="spreadsheets.get") == 1 and standin.count(op="values.batchGet") == 1
    for tab in (TRIPS.title, REQUESTS.title, PLACES.title):
        assert standin.count(kind="read", tab=tab) == 1
    clock.advance(60)
    for _ in range(100):
        client.get("/trajets")
    assert standin.count(op="spreadsheets.get") == 2 and standin.count(op="values.batchGet") == 2


def test_visitors_arriving_during_a_refresh_wait_for_it(standin, google_app):
    seed(standin, trip_row(id="T1"))
    app = google_app()
    use_storage(app, google_storage(FakeClock()))
    standin.faults.delay(0.3, only="values.batchGet")
    statuses = []

    def visit():
        statuses.append(app.test_client().get("/trajets").status_code)

    visitors = [threading.Thread(target=visit) for _ in range(8)]
    for visitor in visitors:
        visitor.start()
    for visitor in visitors:
        visitor.join()
    assert statuses == [200] * 8 and standin.count(op="values.batchGet") == 1


def test_sheet_init_creates_tabs_and_check_is_happy(standin, google_app):
    seed(standin, tabs={"Feuille 1": []})
    runner = google_app().test_cli_runner()
    result = runner.invoke(args=["sheet", "init"])
    assert result.exit_code == 0
    assert "Onglet « Trajets » créé." in result.output and "Onglet « Lieux » créé." in result.output
    assert standin.values(SHEET_ID, TRIPS.title) == [TRIPS.headers]
    result = runner.invoke(args=["sheet", "check"])
    assert f"Google Sheet {SHEET_ID}" in result.output and "Tout est en ordre." in result.output


def test_sheet_check_reports_missing_headers(standin, google_app):
    seed(standin, tabs={"Trajets": [["Départ", "Arrivée", "Jours"], ["Figeac", "Cahors", "lundi"]],
                        "Demandes": [REQUESTS.headers], "Lieux": [PLACES.headers]})
    result = google_app().test_cli_runner().invoke(args=["sheet", "check"])
    assert "Onglet « Trajets » : colonnes absentes : ID" in result.output
    assert "flask --app app sheet init les ajoute" in result.output


def test_missing_share_is_explained_on_the_page_and_by_check(standin, google_app, monkeypatch):
    seed(standin, trip_row(id="T1"))
    standin.set_shared(SHEET_ID, False)
    monkeypatch.setenv(KEY_VARIABLE, service_account_key())
    app = google_app(COMOBI_ADMIN_PASSWORD=PASSWORD)
    client = app.test_client()
    response = client.get("/trajets")
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and "indisponible" in page and SERVICE_EMAIL not in page
    log_in(client)  # the clerk sees what to do
    page = client.get("/trajets").get_data(as_text=True)
    assert "pas partagé" in page and SERVICE_EMAIL in page
    result = app.test_cli_runner().invoke(args=["sheet", "check"])
    assert result.exit_code == 1 and "ERREUR" in result.output and SERVICE_EMAIL in result.output


def test_missing_key_is_explained(standin, google_app, monkeypatch):
    monkeypatch.delenv(ENDPOINT_VARIABLE)
    app = google_app(COMOBI_ADMIN_PASSWORD=PASSWORD, **{"sheet.credentials": "nulle-part/cle.json"})
    client = app.test_client()
    response = client.get("/")
    assert response.status_code == 503 and "cle.json" not in response.get_data(as_text=True)
    log_in(client)
    assert "cle.json est introuvable" in client.get("/").get_data(as_text=True)
    result = app.test_cli_runner().invoke(args=["sheet", "check"])
    assert result.exit_code == 1 and "sheet.credentials" in result.output

