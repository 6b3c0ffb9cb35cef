"""Volunteers matched to a request, the ride log written when it is served, statuses from /gestion:
through HTTP, on the local workbook and on the Google adapter (tests/fault_backends.py)."""
from __future__ import annotations

import pytest

from comobi.places import Places, distance_km
from comobi.schema import TRIPS
from tests.fault_backends import backend  # noqa: F401  (fixture)
from tests.gestion_support import JOSETTE, PASSWORD
from tests.solidarity_support import gestion_client, ride_row, seed, tuesday_request, volunteer_row

ANNE = volunteer_row(id="B0001", first_name="Anne", last_name="Delmas", home="Lalbenque",
                     availability="mardi matin", phone="06 39 98 70 01")
FAR = volunteer_row(id="B0002", first_name="Paul", last_name="Lacaze", home="Figeac", radius_km="20",
                    availability="tous les jours")  # 38 km from Concots
WEDNESDAY = volunteer_row(id="B0003", first_name="Rose", last_name="Vidal", home="Cremps",
                          availability="mer après-midi")
AFTERNOON = volunteer_row(id="B0004", first_name="Jean", last_name="Cayla", home="Arcambal",
                          availability="mardi 14h-18h")
PAUSED = volunteer_row(id="B0005", first_name="Lucie", last_name="Marty", home="Laburgade",
                       availability="sauf le week-end", status="en pause")
NEARER = volunteer_row(id="B0006", first_name="Marc", last_name="Pujol", home="Escamps", radius_km="25",
                       availability="du lundi au vendredi 9h-12h", email="marc@example.org")
VOLUNTEERS = [ANNE, FAR, WEDNESDAY, AFTERNOON, PAUSED, NEARER]


def _app(backend, **config):  # noqa: F811
    app = backend.make_app(COMOBI_ADMIN_PASSWORD=PASSWORD, **{"tarif.mode": "km", "tarif.per_km_eur": 0.32,
                                                              **config})
    seed(app, "Demandes", [tuesday_request()])
    seed(app, "Bénévoles", VOLUNTEERS)
    return app


def _km(home: str) -> float:
    places = Places.load(departements=["46"], epcis=[], extra=[])
    h, o, d = places.find(home), places.find("Concots"), places.find("Cahors")
    return round((distance_km(h, o) + distance_km(o, d) + distance_km(d, h)) * 1.3, 1)


def test_a_tuesday_request_lists_the_volunteers_near_and_free_nearest_first(backend):  # noqa: F811
    client = gestion_client(_app(backend))
    page = client.get("/gestion/demandes/D0001").get_data(as_text=True)
    block = page.split('id="benevoles"')[1].split('id="suivi"')[0]
    assert "Bénévoles disponibles (2)" in block
    assert block.index("Marc Pujol") < block.index("Anne Delmas")  # Escamps is nearer Concots than Lalbenque
    for absent in ("Paul Lacaze", "Rose Vidal", "Jean Cayla", "Lucie Marty"):
        assert absent not in block
    assert 'href="tel:0639987001"' in block and 'href="sms:0639987001?body=Bonjour%20Anne' in block
    assert 'href="mailto:marc@example.org?subject=Transport%20solidaire' in block


def test_serving_with_a_volunteer_writes_one_ride_with_km_and_indemnity(backend):  # noqa: F811
    client = gestion_client(_app(backend))
    response = client.post("/gestion/demandes/D0001/servie", data={"driver": "B0001", "row": "2"})
    assert response.status_code == 302
    rides = backend.records("Courses")
    assert len(rides) == 1
    ride = rides[0]
    km = _km("Lalbenque")
    assert ride["Demande"] == "D0001" and ride["Conducteur"] == "B0001" and ride["Statut"] == "prévue"
    assert ride["Km"] == f"{km:.1f}".replace(".", ",")
    assert ride["Indemnité"] == f"{round(km * 0.32, 2):.2f}".replace(".", ",")
    assert ride["Heure"] == "10h" and ride["Départ"] == "Concots" and ride["Arrivée"] == "Cahors"
    request = backend.records("Demandes")[0]
    assert request["Statut"] == "trouvée" and "Anne Delmas (B0001)" in request["Notes"]
    # A second click (back button, double click) writes nothing more.
    client.post("/gestion/demandes/D0001/servie", data={"driver": "B0001", "row": "2"})
    assert len(backend.records("Courses")) == 1
    page = client.get("/gestion/demandes/D0001").get_data(as_text=True)
    assert "Courses inscrites (1)" in page


def test_the_clerk_marks_a_ride_done_and_her_sheet_edits_show(backend):  # noqa: F811
    app = _app(backend)
    client = gestion_client(app)
    client.post("/gestion/demandes/D0001/servie", data={"driver": "B0001"})
    ride_id = backend.records("Courses")[0]["ID"]
    response = client.post(f"/gestion/courses/{ride_id}/statut", data={"status": "faite", "suite": "/gestion/courses"})
    assert response.status_code == 302 and response.headers["Location"] == "/gestion/courses"
    assert backend.records("Courses")[0]["Statut"] == "faite"
    # The clerk cancels it in the sheet herself.
    grid = backend.grid("Courses")
    column = grid[0].index("Statut") + 1
    app.extensions["comobi.storage"].spreadsheet.update_cells("Courses", [(2, column, "Annulée")])
    app.extensions["comobi.storage"].invalidate()
    page = client.get("/gestion/courses").get_data(as_text=True)
    assert ride_id in page and ">annulée<" in page


def test_serving_with_a_regular_driver_through_the_follow_up_logs_the_ride_itself(backend):  # noqa: F811
    app = _app(backend, **{"tarif.mode": "forfait", "tarif.flat_eur": 6.0})
    storage = app.extensions["comobi.storage"]
    storage.spreadsheet.append_rows("Trajets", [[JOSETTE.get(h, "") for h in TRIPS.headers]])
    storage.invalidate()
    client = gestion_client(app)
    client.post("/gestion/demandes/D0001/suivi", data={"row": "2", "status": "trouvée", "proposed_trip": "T0001"})
    rides = backend.records("Courses")
    assert [r["Conducteur"] for r in rides] == ["T0001"]
    places = Places.load(departements=["46"], epcis=[], extra=[])
    km = round(distance_km(places.find("Concots"), places.find("Cahors")) * 1.3, 1)
    assert rides[0]["Km"] == f"{km:.1f}".replace(".", ",") and rides[0]["Indemnité"] == "6,00"
    assert rides[0]["Tickets"] == "5"  # 6 € in tickets of 1.25 €


def test_a_regular_request_gets_one_row_per_date_ahead(backend):  # noqa: F811
    app = backend.make_app(COMOBI_ADMIN_PASSWORD=PASSWORD, **{"courses.weeks_ahead": 3})
    seed(app, "Demandes", [tuesday_request(date="", days="mardi, jeudi")])
    seed(app, "Bénévoles", [volunteer_row(id="B0001", availability="mardi, jeudi")])
    client = gestion_client(app)
    client.post("/gestion/demandes/D0001/servie", data={"driver": "B0001"})
    dates = [r["Date"] for r in backend.records("Courses")]
    assert len(dates) == 6 and len(set(dates)) == 6


@pytest.mark.parametrize("driver", ["B9999", ""])
def test_serving_with_an_unknown_driver_writes_nothing(backend, driver):  # noqa: F811
    client = gestion_client(_app(backend))
    response = client.post("/gestion/demandes/D0001/servie", data={"driver": driver}, follow_redirects=True)
    assert response.status_code == 200 and "Aucun conducteur ni bénévole" in response.get_data(as_text=True)
    assert backend.records("Demandes")[0]["Statut"] == "nouvelle"
    assert "Courses" not in backend_titles(backend)


def backend_titles(backend) -> set[str]:  # noqa: F811
    app = backend.make_app()
    return set(app.extensions["comobi.storage"].spreadsheet.tab_titles())


def test_regular_rides_are_planned_ahead_again_later_without_doubling(backend):  # noqa: F811
    from datetime import date, timedelta

    app = backend.make_app(COMOBI_ADMIN_PASSWORD=PASSWORD, **{"courses.weeks_ahead": 2})
    seed(app, "Demandes", [tuesday_request(date="", days="mardi", status="trouvée")])
    seed(app, "Bénévoles", [volunteer_row(id="B0001")])
    old = (date.today() - timedelta(days=7)).strftime("%d/%m/%Y")
    seed(app, "Courses", [ride_row(id="C0001", request="D0001", driver="B0001", date=old, km="41,2",
                                   indemnity="13,18", tickets="11", status="faite")])
    client = gestion_client(app)
    client.post("/gestion/courses/planifier")
    rides = backend.records("Courses")
    assert len(rides) == 3 and {r["Conducteur"] for r in rides} == {"B0001"}
    assert [r["Indemnité"] for r in rides[1:]] == ["13,18", "13,18"] and rides[1]["Statut"] == "prévue"
    client.post("/gestion/courses/planifier")
    assert len(backend.records("Courses")) == 3


def test_the_list_of_open_requests_names_the_free_volunteers(backend):  # noqa: F811
    client = gestion_client(_app(backend))
    page = client.get("/gestion/").get_data(as_text=True)
    assert "Bénévoles disponibles (2)" in page and "Anne Delmas" in page and "Paul Lacaze" not in page


def test_rows_that_cannot_be_read_are_listed_on_each_clerk_page(backend):  # noqa: F811
    app = _app(backend)
    seed(app, "Bénévoles", [volunteer_row(id="B0009", home="Atlantide")])
    seed(app, "Courses", [ride_row(id="C0009", date="pas une date")])
    seed(app, "Demandes", [tuesday_request(id="D0009", origin="", destination="")])
    client = gestion_client(app)
    for url, tab in (("/gestion/benevoles", "Bénévoles"), ("/gestion/courses", "Courses"), ("/gestion/", "Demandes")):
        page = client.get(url).get_data(as_text=True).replace("\u00a0", " ")
        assert f"de l'onglet {tab} n'a pas pu être lue" in page or f"de l'onglet {tab} n'ont pas pu être lues" in page, url
        assert "ligne " in page.split(f"de l'onglet {tab}")[1].split("</ul>")[0], url
