"""Public pages through HTTP, on workbooks built for each test."""
import pytest

from comobi.wording import french_spacing
from tests.workbooks import in_days, trip_row

LIMOGNE_CAHORS = trip_row(id="T1", origin="Limogne-en-Quercy", destination="Cahors", days="lundi, jeudi",
                          outbound_time="8h30", return_time="12h")
SECRET_PHONE = "06 39 98 77 66"
SECRET = trip_row(id="T2", origin="Figeac", destination="Cahors", direct_contact="Non", phone=SECRET_PHONE,
                  email="secret@example.org", first_name="Secrète", last_name="Personne")


def ids(response):
    return [t["id"] for t in response.get_json()["trajets"]]


def test_home_has_search_form_and_phone(client):
    page = client.get("/").get_data(as_text=True)
    assert 'name="depart"' in page and 'name="arrivee"' in page and 'name="jour"' in page
    assert "05 65 00 00 00" in page
    assert '<option value="Cahors">' in page


def test_demo_lists_trips(client):
    response = client.get("/trajets")
    assert response.status_code == 200
    assert "Limogne-en-Quercy → Cahors" in response.get_data(as_text=True)


def test_village_on_the_way_finds_the_trip(board_client):
    client = board_client([LIMOGNE_CAHORS, trip_row(id="T3", origin="Souillac", destination="Gourdon")])
    assert ids(client.get("/trajets.json?depart=Lalbenque&arrivee=Cahors")) == ["T1"]
    page = client.get("/trajets?depart=lalbenque&arrivee=CAHORS").get_data(as_text=True)
    assert "Limogne-en-Quercy → Cahors" in page and "Souillac → Gourdon" not in page


def test_far_off_search_finds_nothing_and_offers_the_service(board_client):
    client = board_client([LIMOGNE_CAHORS])
    assert ids(client.get("/trajets.json?depart=Souillac&arrivee=Gourdon")) == []
    page = client.get("/trajets?depart=Souillac&arrivee=Gourdon").get_data(as_text=True)
    assert "Aucun trajet ne correspond" in page
    assert "/demander" in page and "05 65 00 00 00" in page


def test_return_leg_is_found(board_client):
    client = board_client([LIMOGNE_CAHORS])
    trips = client.get("/trajets.json?depart=Cahors&arrivee=Lalbenque").get_json()["trajets"]
    assert [(t["id"], t["sens"], t["heure"]) for t in trips] == [("T1", "retour", "12h")]


def test_day_filter(board_client):
    client = board_client([LIMOGNE_CAHORS])
    assert ids(client.get("/trajets.json?depart=Limogne-en-Quercy&jour=jeudi")) == ["T1"]
    assert ids(client.get("/trajets.json?depart=Limogne-en-Quercy&jour=mardi")) == []


@pytest.mark.parametrize("extra", [
    {"status": "archivé"}, {"status": "en attente"}, {"days": "", "date": in_days(-1)},
])
def test_hidden_trips(board_client, extra):
    client = board_client([trip_row(id="T9", **extra)])
    assert ids(client.get("/trajets.json")) == []
    assert client.get("/trajets/T9").status_code == 404


def test_one_off_trip_in_the_future_is_listed(board_client):
    client = board_client([trip_row(id="T9", days="", date=in_days(3))])
    assert ids(client.get("/trajets.json")) == ["T9"]


def test_unknown_commune_is_explained(board_client):
    client = board_client([LIMOGNE_CAHORS])
    response = client.get("/trajets?depart=Atlantide")
    assert french_spacing("Commune inconnue : « Atlantide »") in response.get_data(as_text=True)
    assert client.get("/trajets.json?depart=Atlantide").get_json()["erreurs"]["depart"]


def test_consenting_driver_contact_is_shown_on_request(board_client):
    client = board_client([LIMOGNE_CAHORS])
    page = client.get("/trajets/T1").get_data(as_text=True)
    assert "Josette L." in page and "Afficher le numéro" in page
    assert "06 39 98 00 01" not in page and "0639980001" not in page  # not in the source: no scraping
    page = client.post("/trajets/T1/contact").get_data(as_text=True)
    assert "06 39 98 00 01" in page
    assert "Lafon" not in page


def test_non_consenting_driver_is_reached_through_the_service(board_client):
    client = board_client([SECRET])
    page = client.get("/trajets/T2").get_data(as_text=True)
    assert "05 65 00 00 00" in page and "/demander" in page and "T2" in page


def test_non_consenting_contact_appears_nowhere(board_client):
    client = board_client([LIMOGNE_CAHORS, SECRET])
    urls = ["/", "/trajets", "/trajets.json", "/trajets/T2", "/trajets?depart=Figeac", "/communes/figeac",
            "/communes/cahors", "/trajets.json?depart=Figeac&arrivee=Cahors"]
    for url in urls:
        body = client.get(url).get_data(as_text=True)
        for secret in (SECRET_PHONE, SECRET_PHONE.replace(" ", ""), "secret@example.org", "Personne"):
            assert secret not in body, (url, secret)


def test_json_never_has_contact_details(board_client):
    client = board_client([LIMOGNE_CAHORS])
    body = client.get("/trajets.json").get_data(as_text=True)
    assert "06 39 98 00 01" not in body and "0639980001" not in body


def test_commune_page(board_client):
    client = board_client([LIMOGNE_CAHORS])
    page = client.get("/communes/lalbenque").get_data(as_text=True)
    assert "Covoiturage à Lalbenque" in page and "Limogne-en-Quercy → Cahors" in page
    assert client.get("/communes/atlantide").status_code == 404


def test_a_busy_commune_shows_its_best_trips_and_links_to_the_others(board_client):
    client = board_client([trip_row(id=f"T{n}", Départ="Limogne-en-Quercy", Arrivée="Cahors")
                           for n in range(25)])
    page = client.get("/communes/limogne-en-quercy").get_data(as_text=True)
    assert page.count('class="trip"') == 40  # 20 leaving, 20 arriving (the return legs)
    assert page.count("Et 5 autres trajets.") == 2
    assert 'href="/trajets?depart=Limogne-en-Quercy">Voir tous les trajets au départ de Limogne-en-Quercy' in page
    assert 'href="/trajets?arrivee=Limogne-en-Quercy">Voir tous les trajets vers Limogne-en-Quercy' in page
    printable = client.get("/communes/limogne-en-quercy/imprimer").get_data(as_text=True)
    assert printable.count("<tr>") == 2 + 40 and printable.count(french_spacing("Et 5 autres trajets : appelez le service.")) == 2


def test_a_quiet_commune_has_no_link_to_more(board_client):
    page = board_client([LIMOGNE_CAHORS]).get("/communes/lalbenque").get_data(as_text=True)
    assert "autre trajet" not in page and "Voir tous les trajets" not in page


def test_unknown_trip_is_a_french_404(client):
    response = client.get("/trajets/NOPE")
    assert response.status_code == 404 and "Page introuvable" in response.get_data(as_text=True)


def test_long_lists_are_paginated(board_client):
    client = board_client([trip_row(id=f"T{n}") for n in range(45)])
    first = client.get("/trajets").get_data(as_text=True)
    assert first.count('class="trip"') == 20 and "Page 1 sur 3" in first
    last = client.get("/trajets?page=3").get_data(as_text=True)
    assert last.count('class="trip"') == 5
    assert client.get("/trajets?page=abc").status_code == 200


def test_standard_api_serves_our_trips(board_client):
    client = board_client([LIMOGNE_CAHORS, SECRET])
    response = client.get("/api/v1/driver_regular_trips", query_string={
        "departureLat": 44.3394, "departureLng": 1.5469, "arrivalLat": 44.4475, "arrivalLng": 1.4406,
        "departureTimeOfDay": "08:45:00", "timeDelta": 3600, "departureRadius": 20, "arrivalRadius": 5})
    assert response.status_code == 200
    assert any(t["webUrl"].endswith("/trajets/T1") for t in response.get_json())
    assert SECRET_PHONE not in response.get_data(as_text=True)
