"""Removal requests (/retrait) and archived rows, gone from every public output."""
from comobi.models import REMOVAL_REASON
from tests.test_forms import rows_by_header
from tests.workbooks import trip_row

ARCHIVED_PHONE = "06 39 98 44 55"
ARCHIVED = trip_row(id="T8", Prénom="Archivée", phone=ARCHIVED_PHONE, Statut="archivé",
                    Remarques="ancien trajet")
API_QUERY = ("/api/v1/driver_regular_trips?departureLat=44.3394&departureLng=1.5469&arrivalLat=44.4475"
             "&arrivalLng=1.4406&departureTimeOfDay=08:30:00&timeDelta=7200&departureRadius=20&arrivalRadius=5")


def test_removal_request_reaches_the_clerk_as_a_request(make_app, tmp_path):
    client = make_app().test_client()
    assert "Retirer mes données" in client.get("/").get_data(as_text=True)
    page = client.post("/retrait", follow_redirects=True, data={"reference": "t7k2qf", "phone": "0639985099",
                                         "message": "Je ne fais plus ce trajet"}).get_data(as_text=True)
    assert "demande de retrait est transmise" in page
    row = rows_by_header(tmp_path / "covoiturage.xlsx", "Demandes")[-1]
    assert row["Motif"] == REMOVAL_REASON and row["Canal"] == "web" and row["Statut"] == "nouvelle"
    assert row["Téléphone"] == "06 39 98 50 99"
    assert row["Notes"] == "Retrait des données demandé pour T7K2QF. Message : Je ne fais plus ce trajet"
    check = client.application.test_cli_runner().invoke(args=["sheet", "check"])
    assert "ni départ ni arrivée" not in check.output  # a removal request is not a broken row


def test_removal_form_errors_are_french_and_keep_the_input(client):
    response = client.post("/retrait", follow_redirects=True, data={"reference": "", "phone": "12", "message": "merci"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Ce champ est obligatoire" in page
    assert "Numéro de téléphone invalide" in page and "merci</textarea>" in page


def test_confirmation_pages_link_to_removal(client):
    from tests.test_forms import OFFER

    assert "/retrait" in client.post("/proposer", follow_redirects=True, data=OFFER).get_data(as_text=True)


def test_archived_rows_disappear_everywhere(board_client):
    client = board_client([trip_row(id="T1"), ARCHIVED])
    outputs = ["/", "/trajets", "/trajets.json", "/trajets?depart=Limogne-en-Quercy&arrivee=Cahors",
               "/communes/cahors", "/communes/limogne-en-quercy", API_QUERY,
               "/api/v1/driver_journeys?departureLat=44.3394&departureLng=1.5469&arrivalLat=44.4475"
               "&arrivalLng=1.4406&departureDate=1900000000&timeDelta=900000"]
    for url in outputs:
        response = client.get(url)
        body = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert "T8" not in body and "Archivée" not in body and "ancien trajet" not in body, url
    assert any(t["id"] == "T1" for t in client.get("/trajets.json").get_json()["trajets"])
    assert client.get("/trajets/T8").status_code == 404
    response = client.post("/trajets/T8/contact")
    assert response.status_code == 404 and ARCHIVED_PHONE not in response.get_data(as_text=True)
