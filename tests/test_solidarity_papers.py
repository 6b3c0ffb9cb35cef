"""The ride log adds up: monthly statements, their CSV and the bilan's tables on a known workbook,
through HTTP on both storages; the papers carry what the people using them need."""
from __future__ import annotations

import csv
import io

from comobi.schema import TRIPS
from tests.fault_backends import backend  # noqa: F401  (fixture)
from tests.gestion_support import JOSETTE, PASSWORD
from tests.solidarity_support import gestion_client, ride_row, seed, tuesday_request, volunteer_row

REQUESTS = [
    tuesday_request(id="D0001", created="02/02/2026 09:00", phone="06 39 98 50 07", reason="Médecin",
                    status="trouvée"),
    tuesday_request(id="D0002", created="08/02/2026 09:00", phone="06 39 98 50 07", reason="médecin",
                    status="trouvée"),
    tuesday_request(id="D0003", created="09/02/2026 09:00", phone="06 39 98 50 08", origin="Varaire",
                    reason="Courses", status="sans solution", first_name="Jules"),
    tuesday_request(id="D0004", created="01/03/2026 09:00", phone="06 39 98 50 09", reason="Médecin",
                    status="trouvée", first_name="Irène"),
    tuesday_request(id="D0005", created="02/03/2026 09:00", phone="06 39 98 50 10", origin="Varaire", reason="",
                    status="sans solution"),
]
RIDES = [
    ride_row(id="C0001", request="D0001", driver="B0001", date="03/02/2026", time="10h", km="40,3",
             indemnity="12,90", tickets="11", status="faite", notes="=HYPERLINK(\"http://x\")"),
    ride_row(id="C0002", request="D0002", driver="B0001", date="10/02/2026", km="22", indemnity="7,04", origin="=1+2",
             tickets="6", status="Faite"),
    ride_row(id="C0003", request="D0003", driver="T0001", date="12/02/2026", km="17.1", indemnity="5",
             tickets="4", status="faite"),
    ride_row(id="C0004", request="D0001", driver="B0001", date="17/02/2026", km="40,3", indemnity="12,90",
             tickets="11", status="annulée"),
    ride_row(id="C0005", request="D0004", driver="B0002", date="03/03/2026", km="10", indemnity="3,20",
             tickets="3", status="faite"),
    ride_row(id="C0006", request="D0004", driver="B0001", date="05/03/2026", km="10", indemnity="3,20",
             tickets="3", status="prévue"),
    ride_row(id="C0007", request="D0004", driver="B0001", date="un jour", km="10", status="faite"),
]


def _client(backend):  # noqa: F811
    app = backend.make_app(COMOBI_ADMIN_PASSWORD=PASSWORD)
    seed(app, "Demandes", REQUESTS)
    seed(app, "Bénévoles", [volunteer_row(id="B0001", first_name="Anne", last_name="Delmas"),
                            volunteer_row(id="B0002", first_name="Marc", last_name="Pujol", home="Escamps")])
    seed(app, "Courses", RIDES)
    storage = app.extensions["comobi.storage"]
    storage.spreadsheet.append_rows("Trajets", [[JOSETTE.get(h, "") for h in TRIPS.headers]])
    storage.invalidate()
    return gestion_client(app)


def _csv(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff") and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_the_monthly_statement_and_its_csv_add_up_to_the_rides_done(backend):  # noqa: F811
    client = _client(backend)
    page = client.get("/gestion/releves/2026-02/B0001").get_data(as_text=True)
    assert "Anne Delmas" in page and "C0001" in page and "C0002" in page
    assert "C0004" not in page and "C0003" not in page  # cancelled; another driver
    assert "19,94\u00a0€" in page and "62,3" in page
    march = client.get("/gestion/releves/2026-03/B0001").get_data(as_text=True)
    assert "Encore « prévues » ce mois-ci, donc pas comptées : 05/03 (C0006)" in march
    rows = _csv(client.get("/gestion/releves/2026-02/B0001.csv"))
    assert rows[0][:3] == ["Course", "Date", "Heure"]
    assert [r[0] for r in rows[1:]] == ["C0001", "C0002", "Total"]
    assert rows[2][3] == "'=1+2"  # a cell Excel would run as a formula is made inert
    assert rows[-1][5:8] == ["62,3", "19,94", "17"]
    month = _csv(client.get("/gestion/releves/2026-02.csv"))
    assert month[1:] == [["B0001", "Anne Delmas", "2", "62,3", "19,94", "17"],
                         ["T0001", "Josette Lafon", "1", "17,1", "5,00", "4"]]


def test_the_bilan_tables_match_the_known_workbook(backend):  # noqa: F811
    client = _client(backend)
    rides = _csv(client.get("/gestion/bilan-courses.csv"))
    assert rides == [
        ["Mois", "Courses faites", "Km parcourus", "Personnes transportées", "Conducteurs", "Bénévoles",
         "Indemnités (€)", "Tickets"],
        ["février 2026", "3", "79,4", "2", "1", "1", "24,94", "21"],
        ["mars 2026", "1", "10,0", "1", "0", "1", "3,20", "3"],
        ["Total", "4", "89,4", "3", "1", "2", "28,14", "24"],
    ]
    assert _csv(client.get("/gestion/bilan-motifs.csv"))[1:] == [["Médecin", "3", "3"], ["Courses", "1", "0"],
                                                                  ["Non précisé", "1", "0"]]
    assert _csv(client.get("/gestion/bilan-communes.csv"))[1:] == [["Varaire", "2", "2"]]
    main = _csv(client.get("/gestion/bilan.csv"))
    assert main[-1][:2] == ["Total", "5"]
    page = client.get("/gestion/bilan").get_data(as_text=True).replace("\u00a0", " ")  # French spacing
    assert "Courses faites par mois" in page and "<svg" in page and "Varaire : 2 demandes sans solution" in page


def test_the_unreadable_ride_is_reported_not_counted(backend):  # noqa: F811
    client = _client(backend)
    page = client.get("/gestion/courses").get_data(as_text=True)
    assert "ligne 8" in page and "un jour" in page


def test_the_day_sheet_and_the_receipt(backend):  # noqa: F811
    client = _client(backend)
    page = client.get("/gestion/feuille-de-route/B0001/2026-02-03").get_data(as_text=True)
    assert "Feuille de route du mardi 3 février 2026" in page
    assert "Marcelle Bouyssou" in page and "06 39 98 50 07" in page and "3 rue de l" in page
    assert "Cabinet du Dr Sol" in page and "05 65 00 00 00" in page and "10h" in page
    assert "C0004" not in page and "papers.css" in page
    receipt = client.get("/gestion/courses/C0001/bon").get_data(as_text=True)
    assert "Bon de transport n° C0001" in receipt and "40,3 km" in receipt and "12,90\u00a0€" in receipt
    assert "Signature du passager" in receipt
    assert client.get("/gestion/feuille-de-route/B0001/pas-une-date").status_code == 404
    assert client.get("/gestion/courses/C9999/bon").status_code == 404
    assert client.get("/gestion/releves/2026-13").status_code == 404


def test_papers_need_the_password(backend):  # noqa: F811
    app = backend.make_app(COMOBI_ADMIN_PASSWORD=PASSWORD)
    client = app.test_client()
    for url in ("/gestion/feuille-de-route/B0001/2026-02-03", "/gestion/releves/2026-02.csv",
                "/gestion/courses", "/gestion/benevoles", "/gestion/bilan-courses.csv"):
        response = client.get(url)
        assert response.status_code in (302, 401, 403), url
