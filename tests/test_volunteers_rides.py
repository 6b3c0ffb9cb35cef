"""Pure logic of solidarity transport: which volunteers suit a request, the ride log's km and dates."""
from datetime import date, time

import pytest

from comobi import rides, volunteers
from comobi.availability import parse_availability
from comobi.models import Place, RideRequest
from comobi.places import distance_km
from comobi.rows import RowError
from comobi.tariff import Tariff

CAHORS = Place("Cahors", "cahors", 44.45074, 1.44076)
CONCOTS = Place("Concots", "concots", 44.4167, 1.6369)
LALBENQUE = Place("Lalbenque", "lalbenque", 44.3386, 1.5464)
FIGEAC = Place("Figeac", "figeac", 44.60553, 2.0254)
TUESDAY = date(2026, 2, 3)


def volunteer(vid, home, availability="", radius=20.0, status=volunteers.ACTIVE):
    return volunteers.Volunteer(id=vid, row=2, home=home, radius_km=radius, status=status,
                                availability=parse_availability(availability), availability_text=availability)


def request(**values):
    defaults = dict(id="D1", row=2, origin=CONCOTS, destination=CAHORS, date=TUESDAY, arrival_time=time(10))
    return RideRequest(**{**defaults, **values})


def test_radius_day_time_return_and_status_decide_nearest_first():
    near = volunteer("B1", LALBENQUE, "mardi matin")
    far = volunteer("B2", FIGEAC, "tous les jours")
    paused = volunteer("B3", LALBENQUE, "mardi matin", status=volunteers.PAUSED)
    unsaid = volunteer("B4", CONCOTS)  # no availability given: the clerk asks
    assert [c.volunteer.id for c in volunteers.candidates(request(), [far, near, paused, unsaid])] == ["B4", "B1"]
    assert volunteers.candidates(request(return_time=time(16, 30)), [near]) == []  # back in the afternoon
    assert volunteers.candidates(request(date=None, days=frozenset({1, 3})), [near]) == []  # Thursdays too
    assert volunteers.candidates(request(), [volunteer("B5", LALBENQUE, "mardi matin", radius=15)]) == []
    assert volunteers.candidates(request(origin=None), [near]) == []


@pytest.mark.parametrize("cell, radius", [("", 20.0), ("15", 15.0), ("12,5 km", 12.5), ("30km", 30.0)])
def test_radius_cells(cell, radius):
    assert volunteers.parse_radius(cell) == radius


def test_km_of_a_volunteer_go_round_from_home_and_of_a_driver_are_the_ride():
    loop = distance_km(LALBENQUE, CONCOTS) + distance_km(CONCOTS, CAHORS) + distance_km(CAHORS, LALBENQUE)
    assert rides.volunteer_km(LALBENQUE, CONCOTS, CAHORS, 1.3) == round(loop * 1.3, 1)
    assert rides.ride_km(CONCOTS, CAHORS, 1.3) == round(distance_km(CONCOTS, CAHORS) * 1.3, 1)
    cost = rides.costing(41.2, Tariff(mode="km", per_km_eur=0.32, ticket_eur=1.25))
    assert (cost.indemnity, cost.tickets) == (13.18, 11)


def test_regular_requests_get_a_date_per_day_for_the_weeks_ahead():
    monday = date(2026, 2, 2)
    dates = rides.ride_dates(request(date=None, days=frozenset({1})), monday, 4)
    assert dates == [date(2026, 2, 3), date(2026, 2, 10), date(2026, 2, 17), date(2026, 2, 24)]
    assert rides.ride_dates(request(), monday, 4) == [TUESDAY]
    assert rides.ride_dates(request(date=None), monday, 4) == [monday]


@pytest.mark.parametrize("cell, value", [("12,5", 12.5), ("12.5", 12.5), ("7 €", 7.0), ("40 km", 40.0), ("", None),
                                         ("1\u202f234,50", 1234.5)])
def test_amount_cells(cell, value):
    assert rides.parse_amount(cell, "km") == value


def test_unreadable_ride_cells_are_row_errors():
    with pytest.raises(RowError, match="km illisible"):
        rides.ride_from_record({"id": "C1", "date": "03/02/2026", "km": "beaucoup"}, 2)
    with pytest.raises(RowError, match="date de la course manquante"):
        rides.ride_from_record({"id": "C1", "date": ""}, 2)
    ride = rides.ride_from_record({"id": "C1", "date": "03/02/2026", "status": "Effectuée", "tickets": "3"}, 2)
    assert (ride.status, ride.tickets, ride.km) == (rides.DONE, 3, None)
