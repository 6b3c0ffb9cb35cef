"""/gestion through HTTP: candidates said and ranked by time (16.19), the way back matched (17.6)."""
from tests.gestion_support import app_with_password, gestion_workbook, log_in, request_row
from tests.workbooks import trip_row

LATE = trip_row(id="T0001", first_name="Lucien", last_name="Tard", origin="Limogne-en-Quercy",
                destination="Figeac", days="lundi", outbound_time="17h30", return_time="")
ON_TIME = trip_row(id="T0002", first_name="Odette", last_name="Alheure", origin="Cahors",
                   destination="Figeac", days="lundi", outbound_time="8h30", return_time="")
BACK = trip_row(id="T0003", first_name="Henri", last_name="Retour", origin="Figeac",
                destination="Cahors", days="lundi", outbound_time="17h", return_time="")
REQUEST = request_row(ID="D0001", first_name="Paulette", origin="Limogne-en-Quercy", destination="Figeac",
                      days="lundi", arrival_time="10h", return_time="17h")


def client_on(make_app, path, trips, requests):
    gestion_workbook(path, trips, requests)
    client = app_with_password(make_app, path).test_client()
    log_in(client)
    return client


def test_a_candidate_at_the_wrong_time_is_said_and_comes_after(make_app, sheet_path):
    client = client_on(make_app, sheet_path, [LATE, ON_TIME], [REQUEST])
    for path in ("/gestion/", "/gestion/demandes/D0001"):
        page = client.get(path).get_data(as_text=True)
        assert page.index("Odette Alheure") < page.index("Lucien Tard") < page.index("Pour le retour")
        page = " ".join(page.split())
        late = page[page.index("Lucien Tard"):page.index("Pour le retour")]
        assert "Arrivée estimée à Figeac vers 18h" in late and "arrivée souhaitée 10h" in late
        assert "l'horaire ne convient pas" in late
        on_time = page[page.index("Odette Alheure"):page.index("Lucien Tard")]
        assert "Arrivée estimée à Figeac vers 9h" in on_time and "ne convient pas" not in on_time


def test_the_way_back_has_its_own_drivers(make_app, sheet_path):
    client = client_on(make_app, sheet_path, [LATE, ON_TIME, BACK], [REQUEST])
    page = client.get("/gestion/demandes/D0001").get_data(as_text=True)
    there, back = page.split("Pour le retour, de Figeac vers Limogne-en-Quercy (1)")
    assert "Henri Retour" not in there and "Henri Retour" in back.split('id="suivi"')[0]
    assert "Passage estimé à Figeac vers 17h (retour souhaité 17h)" in " ".join(back.split())
    one_way = request_row(ID="D0002", origin="Limogne-en-Quercy", destination="Figeac", days="lundi")
    client = client_on(make_app, sheet_path, [BACK], [one_way])
    assert "Pour le retour" not in client.get("/gestion/demandes/D0002").get_data(as_text=True)
    assert "Pour le retour" not in client.get("/gestion/").get_data(as_text=True)
