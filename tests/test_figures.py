"""Activity figures on a known board, the bilan page and its CSV export."""
from datetime import date

import pytest

from comobi import figures
from comobi.models import Board, Place, RideRequest, Trip
from comobi.places import distance_km
from comobi.web.gestion.bilan import csv_text
from tests.gestion_support import JOSETTE, app_with_password, gestion_workbook, log_in, request_row

CAHORS = Place("Cahors", "cahors", 44.45074, 1.44076)
VARAIRE = Place("Varaire", "varaire", 44.3684, 1.71781)
FIGEAC = Place("Figeac", "figeac", 44.60553, 2.0254)


def trip(trip_id, phone, created):
    return Trip(id=trip_id, row=0, origin=VARAIRE, destination=CAHORS, phone=phone, created=created)


def ride_request(number, created, channel="web", status="nouvelle", proposed="", phone="", origin=VARAIRE):
    return RideRequest(id=f"D{number}", row=number, origin=origin, destination=CAHORS, phone=phone,
                       first_name=f"P{number}", created=created, channel=channel, status=status,
                       proposed_trip=proposed)


def known_board() -> Board:
    return Board(
        trips=[trip("T1", "06 39 98 00 01", "20/12/2025"), trip("T2", "06 39 98 00 01", "03/01/2026"),
               trip("T3", "06 39 98 00 03", "2026-01-15 09:12:00")],
        requests=[
            ride_request(1, "05/01/2026 10:00", "web", "trouvée", "T1", "06 39 98 50 01"),
            ride_request(2, "12/01/2026 11:00", "téléphone", "trouvée", "T2", "06 39 98 50 01"),  # same people
            ride_request(3, "31/01/2026 17:59", "Téléphone", "sans solution"),
            ride_request(4, "01/02/2026 08:00", "", "trouvée", "T3", "06 39 98 50 04", origin=FIGEAC),
            ride_request(5, "pas de date", "web", "trouvée", "T3"),  # not counted in any month
        ],
    )


def test_monthly_figures_on_a_known_board():
    months, total = figures.monthly(known_board(), road_factor=1.3)
    assert [f.label for f in months] == ["décembre 2025", "janvier 2026", "février 2026"]
    december, january, february = months
    assert (december.received, december.trips_offered, december.served_share) == (0, 1, None)
    assert january.received == 3 and january.by_channel == {"web": 1, "téléphone": 2, "autre": 0}
    assert january.served == 2 and january.served_share == pytest.approx(2 / 3)
    assert (january.drivers, january.passengers, january.trips_offered) == (1, 1, 2)  # one driver, one passenger
    assert january.km_shared == pytest.approx(2 * distance_km(VARAIRE, CAHORS) * 1.3)
    assert february.by_channel["autre"] == 1 and february.served_share == 1
    assert february.km_shared == pytest.approx(distance_km(FIGEAC, CAHORS) * 1.3)
    assert (total.received, total.served, total.drivers, total.passengers, total.trips_offered) == (4, 3, 2, 2, 3)
    assert total.km_shared == pytest.approx(january.km_shared + february.km_shared)


@pytest.mark.parametrize("cell, month", [
    ("05/01/2026 10:00", date(2026, 1, 1)), ("2026-01-15T09:12:00", date(2026, 1, 1)),
    ("31/12/2025", date(2025, 12, 1)), ("", None), ("hier", None),
])
def test_month_of_a_timestamp_cell(cell, month):
    assert figures.month_of(cell) == month


def test_csv_for_excel_fr_neutralises_formulas():
    text = csv_text([["=SOMME(A1)", "+1", "-2", "@x", "ok", "1;2"]])
    assert text.startswith("\ufeffMois;Demandes reçues;")
    assert text.splitlines()[1] == "'=SOMME(A1);'+1;'-2;'@x;ok;\"1;2\""


def test_bilan_page_and_csv_through_http(make_app, sheet_path):
    requests = [request_row(id="D0001", created="05/01/2026 10:00", status="trouvée", proposed_trip="T0001"),
                request_row(id="D0002", created="07/01/2026 10:00", channel="web", phone="06 39 98 50 02"),
                request_row(id="D0003", created="02/02/2026 10:00")]
    gestion_workbook(sheet_path, [{**JOSETTE, "Date d'inscription": "02/01/2026"}], requests)
    client = app_with_password(make_app, sheet_path).test_client()
    log_in(client)
    page = client.get("/gestion/bilan").get_data(as_text=True)
    assert "<svg" in page and 'role="img"' in page and "<table>" in page and "<script" not in page
    assert '<th scope="row">janvier 2026</th><td>2</td><td>1</td><td>1</td><td>0</td><td>1</td><td>50 %</td>' in page
    response = client.get("/gestion/bilan.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0].startswith("\ufeffMois;")
    assert lines[1].startswith("janvier 2026;2;1;1;0;1;50 %;1;1;")
    assert lines[2].startswith("février 2026;1;0;1;0;0;0 %;0;0;0;")
    assert lines[3].startswith("Total;3;1;2;0;1;33 %;1;1;")
