"""The driver's and the passenger's forms through HTTP, on a real workbook."""
import re
from datetime import date

from comobi.wording import french_spacing
from tests.workbooks import read_tab

OFFER = {
    "origin": "Lalbenque", "destination": "cahors", "days": ["0", "3"], "outbound_time": "8h30",
    "return_time": "17h", "seats": "2", "first_name": "Paul", "last_name": "Marty", "phone": "0639980042",
    "preferred_contact": "SMS", "direct_contact": "y", "data_consent": "y", "remarks": "",
}
REQUEST = {
    "origin": "Aujols", "destination": "Cahors", "date": f"25/12/{date.today().year + 1}", "arrival_time": "9h",
    "first_name": "Jeanne", "last_name": "Teulières", "phone": "06 39 98 50 99", "reason": "Médecin",
    "data_consent": "y",
}


def rows_by_header(path, title):
    rows = read_tab(path, title)
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def test_offer_is_appended_and_published(make_app, tmp_path):
    client = make_app().test_client()
    response = client.post("/proposer", follow_redirects=True, data=OFFER)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    trip_id = re.search(r"<strong>(T\w+)</strong>", page).group(1)
    row = rows_by_header(tmp_path / "covoiturage.xlsx", "Trajets")[-1]
    assert row["ID"] == trip_id and row["Départ"] == "Lalbenque" and row["Arrivée"] == "Cahors"
    assert row["Jours"] == "lundi et jeudi" and row["Heure aller"] == "8h30" and row["Heure retour"] == "17h"
    assert row["Téléphone"] == "06 39 98 00 42" and row["Contact direct"] == "Oui" and row["Statut"] == "publié"
    assert client.get(f"/trajets/{trip_id}").status_code == 200


def test_offer_waits_for_review_when_moderated(make_app, tmp_path):
    client = make_app(**{"moderation.enabled": True}).test_client()
    page = client.post("/proposer", follow_redirects=True, data=OFFER).get_data(as_text=True)
    assert "va le relire" in page
    assert rows_by_header(tmp_path / "covoiturage.xlsx", "Trajets")[-1]["Statut"] == "en attente"


def test_offer_errors_are_in_french_next_to_fields_and_nothing_is_lost(make_app, tmp_path):
    client = make_app().test_client()
    before = len(read_tab(tmp_path / "covoiturage.xlsx", "Trajets")) if (tmp_path / "covoiturage.xlsx").exists() else 0
    data = {**OFFER, "origin": "Atlantide", "outbound_time": "25h", "phone": "12", "days": [], "data_consent": ""}
    response = client.post("/proposer", follow_redirects=True, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert french_spacing("Commune inconnue : « Atlantide »") in page
    assert "heure" in page.lower() and "25h" in page
    assert "Numéro de téléphone invalide" in page
    assert "Cochez au moins un jour" in page
    assert "Votre accord est nécessaire" in page
    assert 'value="Paul"' in page and 'value="Atlantide"' in page and 'value="17h"' in page
    assert 'href="#origin"' in page  # the error summary links to the field
    assert len(read_tab(tmp_path / "covoiturage.xlsx", "Trajets")) == before


def test_email_preference_needs_an_email(client):
    page = client.post("/proposer", follow_redirects=True, data={**OFFER, "preferred_contact": "E-mail"}).get_data(as_text=True)
    assert "Indiquez votre e-mail" in page


def test_request_is_appended_as_new_web_request(make_app, tmp_path):
    client = make_app().test_client()
    page = client.post("/demander", follow_redirects=True, data=REQUEST).get_data(as_text=True)
    assert "demande est enregistrée" in page
    row = rows_by_header(tmp_path / "covoiturage.xlsx", "Demandes")[-1]
    assert row["Canal"] == "web" and row["Statut"] == "nouvelle"
    assert row["Date du trajet"] == REQUEST["date"] and row["Heure d'arrivée souhaitée"] == "9h"
    assert row["Prénom"] == "Jeanne" and row["Motif"] == "Médecin"


def test_request_needs_a_date_or_days(client):
    data = {**REQUEST, "date": ""}
    assert "Cochez au moins un jour, ou indiquez une date" in client.post("/demander", follow_redirects=True, data=data).get_data(as_text=True)


def test_forms_render_with_commune_suggestions(client):
    for url in ("/proposer", "/demander"):
        page = client.get(url).get_data(as_text=True)
        assert '<datalist id="communes">' in page and '<option value="Lalbenque">' in page


def test_csrf_is_required(make_app, tmp_path):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    response = client.post("/proposer", follow_redirects=True, data=OFFER)
    assert response.status_code == 400 and "Rechargez la page" in response.get_data(as_text=True)
    form = client.get("/proposer").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    assert client.post("/proposer", follow_redirects=True, data={**OFFER, "csrf_token": token}).status_code == 200


def test_app_makes_its_own_secret_key_when_none_is_given(make_app, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    client = make_app(SECRET_KEY=None, WTF_CSRF_ENABLED=True).test_client()
    assert client.get("/proposer").status_code == 200
