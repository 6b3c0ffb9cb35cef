"""Pure follow-up logic: which requests are open, in what order, and their candidates."""
from datetime import date, time, timedelta

from comobi import dispatch
from comobi.models import Place, RideRequest, Trip
from comobi.tariff import Tariff

CAHORS = Place("Cahors", "cahors", 44.45074, 1.44076)
LIMOGNE = Place("Limogne-en-Quercy", "limogne-en-quercy", 44.39664, 1.7783)
VARAIRE = Place("Varaire", "varaire", 44.3684, 1.71781)
FIGEAC = Place("Figeac", "figeac", 44.60553, 2.0254)
TODAY = date(2026, 3, 2)  # a Monday


def ride_request(**values):
    fields = dict(id="D1", row=2, origin=VARAIRE, destination=CAHORS)
    fields.update(values)
    return RideRequest(**fields)


def test_open_requests_soonest_first_then_regular_then_past():
    requests = [ride_request(id="regular", days=frozenset({3})),
                ride_request(id="past", date=TODAY - timedelta(days=3)),
                ride_request(id="later", date=TODAY + timedelta(days=9)),
                ride_request(id="soon", date=TODAY + timedelta(days=1), status="en cours"),
                ride_request(id="done", date=TODAY, status="trouvée")]
    assert [r.id for r in dispatch.open_requests(requests, TODAY)] == ["soon", "later", "regular", "past"]


def test_several_days_a_trip_running_on_one_of_them_comes_first():
    near_other_day = Trip(id="near", row=2, origin=LIMOGNE, destination=CAHORS, days=frozenset({2}))
    far_right_day = Trip(id="far", row=3, origin=FIGEAC, destination=CAHORS, days=frozenset({4}))
    request = ride_request(days=frozenset({0, 4}))
    found = dispatch.candidates(request, [near_other_day, far_right_day], TODAY)
    assert [c.trip.id for c in found] == ["far", "near"]
    assert found[0].match.same_day and not found[1].match.same_day


def test_candidates_carry_the_passengers_ride_and_its_estimate():
    trip = Trip(id="T1", row=2, origin=LIMOGNE, destination=CAHORS, days=frozenset({3}), outbound_time=time(8, 30))
    found = dispatch.candidates(ride_request(days=frozenset({3})), [trip], TODAY, tariff=Tariff())
    assert found[0].ride_km > 20 and found[0].estimate.price_eur > 3.75
    assert dispatch.candidates(ride_request(origin=None), [trip], TODAY) == []
