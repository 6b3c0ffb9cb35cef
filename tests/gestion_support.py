"""Workbooks and logged-in clients for the tests of /gestion."""
from __future__ import annotations

from comobi.schema import PLACES, REQUESTS, TRIPS
from tests.workbooks import trip_row, write_workbook

PASSWORD = "mot-de-passe-de-test"
_REQUEST_FIELDS = {c.field: c.header for c in REQUESTS.columns}


def request_row(**values) -> dict:
    """A request as headers -> cells, with sensible defaults."""
    row = {
        "ID": "", "Date de la demande": "05/01/2026 10:00", "Prénom": "Jeanne", "Nom": "Teulières",
        "Téléphone": "06 39 98 50 99", "Départ": "Varaire", "Arrivée": "Cahors", "Jours": "jeudi",
        "Heure d'arrivée souhaitée": "9h", "Motif": "Médecin", "Canal": "téléphone", "Statut": "nouvelle",
    }
    for key, value in values.items():
        row[_REQUEST_FIELDS.get(key, key)] = value
    return row


def gestion_workbook(path, trips: list[dict], requests: list[dict], request_headers: list[str] | None = None):
    headers = request_headers or REQUESTS.headers
    return write_workbook(path, {
        TRIPS.title: [TRIPS.headers] + [[t.get(h, "") for h in TRIPS.headers] for t in trips],
        REQUESTS.title: [headers] + [[r.get(h, "") for h in headers] for r in requests],
        PLACES.title: [PLACES.headers],
    })


def app_with_password(make_app, path=None, **config):
    config.setdefault("COMOBI_ADMIN_PASSWORD", PASSWORD)
    return make_app(path, **config)


def log_in(client, password: str = PASSWORD, **kwargs):
    return client.post("/gestion/connexion", data={"password": password}, **kwargs)


# Drivers of the tests: Josette's trip passes right by Varaire, Bernard's comes from further.
JOSETTE = trip_row(id="T0001", first_name="Josette", last_name="Lafon", phone="06 39 98 00 01",
                   email="josette@example.org", origin="Limogne-en-Quercy", destination="Cahors",
                   days="lundi, jeudi", outbound_time="8h30", direct_contact="Non")
BERNARD = trip_row(id="T0002", first_name="Bernard", last_name="Delpech", phone="06 39 98 00 02",
                   origin="Figeac", destination="Cahors", days="du lundi au vendredi", outbound_time="7h15")
SYLVIE = trip_row(id="T0003", first_name="Sylvie", last_name="Roques", phone="06 39 98 00 03",
                  origin="Gourdon", destination="Cahors", days="jeudi", outbound_time="8h15")
