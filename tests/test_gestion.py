"""The clerk's workspace through HTTP: phone intake, drivers ranked per request, follow-up in the sheet."""
import re
from datetime import date, timedelta

from comobi.wording import french_spacing
from tests.gestion_support import BERNARD, JOSETTE, SYLVIE, app_with_password, gestion_workbook, log_in, request_row
from tests.workbooks import read_tab, trip_row

PHONE_REQUEST = {
    "origin": "Varaire", "destination": "Cahors", "date": "", "days": ["3"], "arrival_time": "9h",
    "first_name": "Marguerite", "phone": "06 39 98 50 01", "reason": "Hôpital",
    "notes": "Marche avec une canne.", "data_consent": "y",
}


def client_on(make_app, path, trips, requests, **config):
    gestion_workbook(path, trips, requests)
    client = app_with_password(make_app, path, **config).test_client()
    log_in(client)
    return client


def rows_by_header(path, title):
    rows = read_tab(path, title)
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def names_in_order(page: str, names: list[str]) -> list[str]:
    found = {name: page.find(name) for name in names if name in page}
    return sorted(found, key=found.get)


# -- phone intake ------------------------------------------------------------------

def test_a_request_typed_by_phone_is_saved_and_shows_the_driver_passing_by_first(make_app, sheet_path):
    client = client_on(make_app, sheet_path, [BERNARD, SYLVIE, JOSETTE], [])
    response = client.post("/gestion/demande-telephone", data=PHONE_REQUEST)
    assert response.status_code == 302
    row = rows_by_header(sheet_path, "Demandes")[-1]
    assert row["Canal"] == "téléphone" and row["Statut"] == "nouvelle"
    assert row["Départ"] == "Varaire" and row["Jours"] == "jeudi" and row["Heure d'arrivée souhaitée"] == "9h"
    assert row["Prénom"] == "Marguerite" and row["Téléphone"] == "06 39 98 50 01" and not row["Nom"]
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d : Marche avec une canne\.", row["Notes"])
    assert response.headers["Location"] == f"/gestion/demandes/{row['ID']}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Demande {row['ID']} enregistrée" in page
    assert names_in_order(page, ["Josette Lafon", "Bernard Delpech"]) == ["Josette Lafon", "Bernard Delpech"]
    assert "Sylvie Roques" not in page  # Gourdon is not on the way
    # Full contact details, even for a driver who refused direct contact with passengers.
    assert 'href="tel:0639980001"' in page and 'href="sms:0639980001?body=Bonjour%20Josette' in page
    assert 'href="mailto:josette@example.org?subject=Covoiturage%20solidaire' in page


def test_phone_request_needs_the_oral_agreement_and_keeps_what_was_typed(make_app, sheet_path):
    client = client_on(make_app, sheet_path, [JOSETTE], [])
    response = client.post("/gestion/demande-telephone",
                           data={**PHONE_REQUEST, "data_consent": "", "origin": "Atlantide"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Demandez son accord à la personne" in page and french_spacing("Commune inconnue : « Atlantide »") in page
    assert 'href="#data_consent"' in page and 'value="Marguerite"' in page
    assert "Accord donné oralement" in page
    assert rows_by_header(sheet_path, "Demandes") == []


def test_phone_forms_have_a_label_for_every_field_and_commune_suggestions(make_app, sheet_path):
    client = client_on(make_app, sheet_path, [JOSETTE], [])
    for url in ("/gestion/demande-telephone", "/gestion/trajet-telephone"):
        page = client.get(url).get_data(as_text=True)
        assert '<datalist id="communes">' in page and 'list="communes"' in page
        inputs = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', page)
        labelled = set(re.findall(r'<label for="([^"]+)"', page))
        for field_id in inputs:
            if not field_id.startswith(("days-", "preferred_contact-")):  # in a fieldset with a legend
                assert field_id in labelled, (url, field_id)
        assert "style=" not in page.split("</head>")[1] and "<script" not in page


def test_a_trip_typed_by_phone_is_published_at_once(make_app, sheet_path):
    client = client_on(make_app, sheet_path, [], [], **{"moderation.enabled": True})
    data = {"origin": "Lalbenque", "destination": "Cahors", "days": ["0", "3"], "outbound_time": "8h",
            "seats": "2", "first_name": "Alain", "phone": "0639980006", "preferred_contact": "Téléphone",
            "data_consent": "y"}
    response = client.post("/gestion/trajet-telephone", data=data)
    assert response.status_code == 302
    row = rows_by_header(sheet_path, "Trajets")[-1]
    assert row["Statut"] == "publié" and row["Contact direct"] == "Non" and row["Jours"] == "lundi et jeudi"
    assert client.get(f"/trajets/{row['ID']}").status_code == 200
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Trajet {row['ID']} enregistré et publié" in page


# -- open requests and their candidates ----------------------------------------------

def test_open_requests_only_with_ranked_candidates(make_app, sheet_path):
    requests = [request_row(id="D0001", first_name="Marguerite"),
                request_row(id="D0002", first_name="Raymond", status="trouvée"),
                request_row(id="D0003", first_name="Emile", status="sans solution"),
                request_row(id="D0004", first_name="Lucienne", status="en cours", origin="Concots")]
    page = client_on(make_app, sheet_path, [BERNARD, JOSETTE], requests).get("/gestion/").get_data(as_text=True)
    assert "Marguerite" in page and "Lucienne" in page
    assert "Raymond" not in page and "Emile" not in page
    assert "Demandes à traiter (2)" in page
    first = page[page.index(french_spacing("Marguerite Teulières :")):]
    assert names_in_order(first, ["Josette Lafon", "Bernard Delpech"])[0] == "Josette Lafon"


def test_requests_to_the_same_place_on_the_same_day_are_shown_together(make_app, sheet_path):
    day = (date.today() + timedelta(days=10)).strftime("%d/%m/%Y")
    requests = [request_row(id="D0001", first_name="Marguerite", days="", date=day),
                request_row(id="D0002", first_name="Louis", origin="Concots", days="", date=day),
                request_row(id="D0003", first_name="Germaine", destination="Figeac", origin="Gramat")]
    page = client_on(make_app, sheet_path, [JOSETTE, BERNARD], requests).get("/gestion/").get_data(as_text=True)
    groups = re.findall(r'<section class="group".*?</section>', page, re.S)
    assert len(groups) == 2
    together = next(g for g in groups if "Marguerite" in g)
    assert "Louis" in together and "Germaine" not in together
    assert "(2 demandes)" in together
    shared = re.search(r"plusieurs de ces personnes.*?</ul>", together, re.S).group(0)
    assert "Josette Lafon (trajet T0001) : Marguerite, Louis" in " ".join(shared.split())


def test_the_estimate_is_shown_per_match_when_the_tariff_is_on(make_app, sheet_path):
    client = client_on(make_app, sheet_path, [JOSETTE], [request_row(id="D0001")], **{"tarif.enabled": True})
    page = client.get("/gestion/demandes/D0001").get_data(as_text=True)
    assert "participation conseillée" in page and "tickets mobilité" in page
    free = client_on(make_app, sheet_path, [JOSETTE], [request_row(id="D0001")])
    assert "participation conseillée" not in free.get("/gestion/demandes/D0001").get_data(as_text=True)


def test_an_unknown_request_is_a_404(make_app, sheet_path):
    assert client_on(make_app, sheet_path, [JOSETTE], []).get("/gestion/demandes/D9999").status_code == 404


# -- follow-up written back to the sheet ---------------------------------------------

def _three_requests():
    return [request_row(id="D0001", first_name="Marguerite"),
            request_row(id="D0002", first_name="Louis", notes="Rappeler lundi"),
            request_row(id="D0003", first_name="Germaine")]


def test_marking_found_changes_exactly_that_rows_cells(make_app, sheet_path):
    client = client_on(make_app, sheet_path, [JOSETTE, BERNARD], _three_requests())
    before = read_tab(sheet_path, "Demandes")
    response = client.post("/gestion/demandes/D0002/suivi",
                           data={"row": "3", "status": "trouvée", "proposed_trip": "t0001",
                                 "note": "Josette passe à 8h15."})
    assert response.status_code == 302 and response.headers["Location"] == "/gestion/demandes/D0002"
    after = read_tab(sheet_path, "Demandes")
    header = before[0]
    changed = {(r, header[c]) for r in range(len(before)) for c in range(len(header)) if before[r][c] != after[r][c]}
    assert changed == {(2, "Statut"), (2, "Trajet proposé"), (2, "Notes")}
    row = dict(zip(header, after[2]))
    assert row["ID"] == "D0002" and row["Statut"] == "trouvée" and row["Trajet proposé"] == "T0001"
    first, second = row["Notes"].split("\n")
    assert first == "Rappeler lundi" and re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d : Josette passe à 8h15\.", second)
    page = client.get("/gestion/demandes/D0002").get_data(as_text=True)
    assert french_spacing("statut « trouvée », trajet proposé T0001, note ajoutée") in page
    assert "Louis" not in client.get("/gestion/").get_data(as_text=True)  # no longer open


def test_one_click_proposal_from_a_candidate(make_app, sheet_path):
    client = client_on(make_app, sheet_path, [JOSETTE], _three_requests())
    page = client.get("/gestion/demandes/D0001").get_data(as_text=True)
    form = re.search(r'<form method="post" action="/gestion/demandes/D0001/suivi" class="quick">.*?</form>', page, re.S)
    fields = dict(re.findall(r'name="(row|proposed_trip)" value="([^"]*)"', form.group(0)))
    assert fields == {"row": "2", "proposed_trip": "T0001"}
    client.post("/gestion/demandes/D0001/suivi", data={**fields, "status": "en cours"})
    row = rows_by_header(sheet_path, "Demandes")[0]
    assert (row["Statut"], row["Trajet proposé"], row["Notes"]) == ("en cours", "T0001", None)


def test_a_row_moved_in_the_sheet_is_found_again_by_its_id(make_app, sheet_path):
    client = client_on(make_app, sheet_path, [JOSETTE], _three_requests())
    client.get("/gestion/demandes/D0002")  # shown at row 3
    reordered = [request_row(id="D0009", first_name="Nouvelle"), *_three_requests()]
    gestion_workbook(sheet_path, [JOSETTE], reordered)  # the clerk inserted a row above
    response = client.post("/gestion/demandes/D0002/suivi", data={"row": "3", "status": "sans solution"})
    assert response.status_code == 302
    rows = rows_by_header(sheet_path, "Demandes")
    assert [(r["ID"], r["Statut"]) for r in rows] == [
        ("D0009", "nouvelle"), ("D0001", "nouvelle"), ("D0002", "sans solution"), ("D0003", "nouvelle")]
    assert "maintenant à la ligne 4" in client.get("/gestion/demandes/D0002").get_data(as_text=True)


def test_a_request_deleted_from_the_sheet_is_not_written_anywhere(make_app, sheet_path):
    client = client_on(make_app, sheet_path, [JOSETTE], _three_requests())
    gestion_workbook(sheet_path, [JOSETTE], _three_requests()[:1])
    before = read_tab(sheet_path, "Demandes")
    response = client.post("/gestion/demandes/D0002/suivi", data={"row": "3", "status": "trouvée"},
                           follow_redirects=True)
    assert "D0002 n&#39;est plus dans le tableur" in response.get_data(as_text=True)
    assert read_tab(sheet_path, "Demandes") == before


def test_changes_made_in_the_sheet_show_up_at_once(make_app, sheet_path):
    client = client_on(make_app, sheet_path, [JOSETTE], _three_requests())
    assert "Germaine" in client.get("/gestion/").get_data(as_text=True)
    requests = _three_requests()
    requests[2]["Statut"] = "trouvée"
    gestion_workbook(sheet_path, [JOSETTE], requests)
    assert "Germaine" not in client.get("/gestion/").get_data(as_text=True)


def test_follow_up_refuses_an_unknown_trip_and_writes_nothing(make_app, sheet_path):
    client = client_on(make_app, sheet_path, [JOSETTE], _three_requests())
    before = read_tab(sheet_path, "Demandes")
    response = client.post("/gestion/demandes/D0001/suivi",
                           data={"row": "2", "status": "trouvée", "proposed_trip": "T7777"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert french_spacing("Aucun trajet « T7777 » dans le tableur") in page and 'href="#proposed_trip"' in page
    assert read_tab(sheet_path, "Demandes") == before


def test_follow_up_keeps_extra_columns_and_writes_text(make_app, sheet_path):
    from comobi.schema import REQUESTS

    headers = ["Commentaire du maire"] + list(reversed(REQUESTS.headers))
    requests = [{**request_row(id="D0001"), "Commentaire du maire": "à suivre"}]
    gestion_workbook(sheet_path, [JOSETTE], requests, request_headers=headers)
    client = app_with_password(make_app, sheet_path).test_client()
    log_in(client)
    client.post("/gestion/demandes/D0001/suivi", data={"row": "2", "status": "en cours", "note": "=1+1"})
    row = rows_by_header(sheet_path, "Demandes")[0]
    assert row["Commentaire du maire"] == "à suivre" and row["Statut"] == "en cours"
    assert row["Notes"].endswith(" : =1+1")


def test_trip_ids_in_the_sheet_are_matched_whatever_their_case(make_app, sheet_path):
    client = client_on(make_app, sheet_path, [trip_row(id="t-josette", origin="Limogne-en-Quercy")], _three_requests())
    client.post("/gestion/demandes/D0001/suivi", data={"row": "2", "status": "trouvée", "proposed_trip": "T-JOSETTE"})
    assert rows_by_header(sheet_path, "Demandes")[0]["Trajet proposé"] == "t-josette"
