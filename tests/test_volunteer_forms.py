"""/benevole ("Devenir conducteur bénévole") and the clerk's phone intake, through HTTP."""
from __future__ import annotations

import re

from comobi.storage import wait_for_delivery
from tests.fault_backends import backend  # noqa: F401  (fixture)
from tests.gestion_support import PASSWORD
from tests.solidarity_support import gestion_client

SIGN_UP = {"home": "lalbenque", "radius_km": "15", "availability": "mardi matin, jeudi 14h-18h",
           "remarks": "Voiture 5 places", "first_name": "Anne", "last_name": "Delmas", "phone": "0639987001",
           "email": "anne@example.org", "data_consent": "y"}


def test_a_volunteer_signs_up_and_waits_for_the_clerk(backend):  # noqa: F811
    client = backend.make_app().test_client()
    page = client.get("/benevole").get_data(as_text=True)
    assert "<h1>Devenir conducteur bénévole</h1>" in page and 'list="communes"' in page
    response = client.post("/benevole", data=SIGN_UP)
    assert response.status_code == 303 and "/benevole/merci" in response.headers["Location"]
    done = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Merci, votre inscription est bien reçue" in done
    (row,) = backend.records("Bénévoles")
    assert (row["Commune"], row["Rayon (km)"]) == ("Lalbenque", "15")
    assert row["Disponibilités"] == "mardi matin, jeudi 14h-18h"
    assert (row["Prénom"], row["Téléphone"], row["E-mail"]) == ("Anne", "06 39 98 70 01", "anne@example.org")
    assert row["Statut"] == "en pause" and row["ID"].startswith("B") and row["ID"] in done
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", row["Date d'inscription"])


def test_a_sign_up_survives_an_outage_and_arrives_once(backend):  # noqa: F811
    client = backend.make_app(**{"outbox.retry_seconds": 0}).test_client()
    client.get("/")
    backend.faults.fail(503, times=None, only="write")
    page = client.post("/benevole", data=SIGN_UP, follow_redirects=True).get_data(as_text=True)
    assert "Merci" in page and "automatiquement" in page
    backend.recover()
    storage = client.application.extensions["comobi.storage"]
    wait_for_delivery(storage)  # the one started while the sheet failed
    client.get("/")  # a later request delivers what waits, in the background
    wait_for_delivery(storage)
    assert [r["Prénom"] for r in backend.records("Bénévoles")] == ["Anne"]


def test_errors_are_in_french_and_nothing_is_written(make_app):
    client = make_app().test_client()
    response = client.post("/benevole", data={**SIGN_UP, "availability": "quand il fait beau", "home": "Atlantide",
                                              "data_consent": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "disponibilités illisibles" in page and "Commune inconnue" in page
    assert "Votre accord est nécessaire" in page
    assert 'value="Anne"' in page and "Traceback" not in page


def test_the_public_form_has_the_same_guards_as_proposer(make_app):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    assert client.post("/benevole", data=SIGN_UP).status_code == 400  # no CSRF token
    trap = make_app().test_client().post("/benevole", data={**SIGN_UP, "site_web": "http://spam.example"})
    assert trap.status_code == 422 and "Ne pas remplir" in trap.get_data(as_text=True)
    limited = make_app(**{"security.form_rate_limit_per_hour": 1}).test_client()
    assert limited.post("/benevole", data=SIGN_UP).status_code == 303
    again = limited.post("/benevole", data=SIGN_UP)
    assert again.status_code == 429 and 'value="Anne"' in again.get_data(as_text=True)


def test_the_clerk_types_a_volunteer_taken_by_phone(backend):  # noqa: F811
    client = gestion_client(backend.make_app(COMOBI_ADMIN_PASSWORD=PASSWORD))
    page = client.get("/gestion/benevole-telephone").get_data(as_text=True)
    assert "Accord donné oralement" in page
    response = client.post("/gestion/benevole-telephone", data={**SIGN_UP, "last_name": "", "radius_km": "30"})
    assert response.status_code == 302 and response.headers["Location"] == "/gestion/benevoles"
    (row,) = backend.records("Bénévoles")
    assert row["Statut"] == "actif" and row["Rayon (km)"] == "30" and row["Nom"] == ""
    listing = client.get("/gestion/benevoles").get_data(as_text=True).replace("\u00a0", " ")  # French spacing
    assert "Anne" in listing and "lu : mardi de 8h à 12h30, jeudi de 14h à 18h" in listing


def test_volunteers_never_reach_public_pages_json_or_api(backend):  # noqa: F811
    client = backend.make_app().test_client()
    client.post("/benevole", data=SIGN_UP)
    for url in ("/", "/trajets", "/trajets.json", "/communes/lalbenque", "/api/v1/driver_journeys?departureLat=44.33"
                "&departureLng=1.54&arrivalLat=44.45&arrivalLng=1.44&departureDate=1767700000", "/benevole"):
        page = client.get(url).get_data(as_text=True)
        assert "06 39 98 70 01" not in page and "0639987001" not in page and "Delmas" not in page, url
        assert "anne@example.org" not in page, url


def test_the_privacy_page_tells_volunteers_what_is_kept_and_how_long(make_app):
    page = make_app(**{"legal.retention_days": 400}).test_client().get("/donnees-personnelles").get_data(as_text=True)
    assert "Conducteurs bénévoles" in page and "jamais" in page and "Passé 400 jours" in page
