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


# --- time and the way back (issues 16.19, 17.6) -----------------------------------------

GOURDON = Place("Gourdon", "gourdon", 44.73762, 1.38344)


def test_a_driver_at_the_wrong_time_is_said_and_ranked_after_those_who_fit():
    """To Figeac for 10h: the driver leaving at 17h30 comes last, said not to fit."""
    late = Trip(id="late", row=2, origin=LIMOGNE, destination=FIGEAC, days=frozenset({0}), outbound_time=time(17, 30))
    a_bit_late = Trip(id="a-bit-late", row=3, origin=LIMOGNE, destination=FIGEAC, days=frozenset({0}),
                      outbound_time=time(10, 30))
    right = Trip(id="right", row=4, origin=CAHORS, destination=FIGEAC, days=frozenset({0}),
                 outbound_time=time(8, 30))
    unknown = Trip(id="unknown", row=5, origin=LIMOGNE, destination=FIGEAC, days=frozenset({0}))
    request = ride_request(origin=LIMOGNE, destination=FIGEAC, days=frozenset({0}), arrival_time=time(10))
    found = dispatch.candidates(request, [late, a_bit_late, right, unknown], TODAY)
    assert [c.trip.id for c in found] == ["right", "unknown", "a-bit-late", "late"]
    assert [c.time_fits for c in found] == [True, None, False, False]
    assert found[0].match.extra_km > 3  # a detour, yet first: its time fits
    assert found[3].match.extra_km < 1 and found[3].expected > time(18) and found[3].wanted == time(10)
    assert found[1].expected is None


def test_without_a_wanted_time_the_matching_order_stays():
    trips = [Trip(id="far", row=2, origin=FIGEAC, destination=CAHORS, days=frozenset({0}), outbound_time=time(7)),
             Trip(id="near", row=3, origin=LIMOGNE, destination=CAHORS, days=frozenset({0}), outbound_time=time(17))]
    found = dispatch.candidates(ride_request(days=frozenset({0})), trips, TODAY)
    assert [c.trip.id for c in found] == ["near", "far"] and {c.time_fits for c in found} == {None}


def test_the_way_back_is_matched_from_destination_to_origin():
    """Varaire -> Cahors, back at 17h: trips from Cahors towards Limogne (outbound or return legs)."""
    back_outbound = Trip(id="back", row=2, origin=CAHORS, destination=LIMOGNE, days=frozenset({3}),
                         outbound_time=time(17))
    commuter = Trip(id="commuter", row=3, origin=LIMOGNE, destination=CAHORS, days=frozenset({3}),
                    outbound_time=time(7, 30), return_time=time(12))
    there_only = Trip(id="there", row=4, origin=VARAIRE, destination=CAHORS, days=frozenset({3}),
                      outbound_time=time(8))
    elsewhere = Trip(id="gourdon", row=5, origin=CAHORS, destination=GOURDON, days=frozenset({3}),
                     outbound_time=time(17))
    trips = [back_outbound, commuter, there_only, elsewhere]
    request = ride_request(days=frozenset({3}), arrival_time=time(9), return_time=time(17))
    back = dispatch.candidates(request, trips, TODAY, journey=dispatch.RETURN)
    assert [(c.trip.id, c.match.leg, c.time_fits) for c in back] == [
        ("back", "aller", True), ("commuter", "retour", False)]
    assert back[0].expected == time(17) and all(c.journey == "retour" for c in back)
    there = dispatch.candidates(request, trips, TODAY)
    assert [c.trip.id for c in there] == ["there", "commuter"] and there[0].journey == "aller"
    assert dispatch.candidates(ride_request(days=frozenset({3})), trips, TODAY, journey=dispatch.RETURN) == []


def test_shared_trips_count_the_way_there_only():
    trip = Trip(id="T1", row=2, origin=CAHORS, destination=LIMOGNE, days=frozenset({3}), outbound_time=time(17),
                return_time=time(8))
    first, second = ride_request(id="D1", return_time=time(17)), ride_request(id="D2", return_time=time(17))
    group = dispatch.Group("Cahors", None, frozenset(), [first, second])
    by_request = {r.id: dispatch.candidates(r, [trip], TODAY, journey=dispatch.RETURN) for r in (first, second)}
    assert all(by_request.values()) and dispatch.shared_trips(group, by_request) == []
    by_request = {r.id: dispatch.candidates(r, [trip], TODAY) for r in (first, second)}
    assert [s.trip.id for s in dispatch.shared_trips(group, by_request)] == ["T1"]


def test_candidates_from_an_index_are_those_from_the_trips():
    """/gestion asks the board's TripIndex: the same candidates as the plain rule."""
    import random

    from comobi.matching import TripIndex
    from comobi.places import Places

    rng = random.Random(5)
    communes = Places.load(departements=["46"]).in_scope()
    trips = [Trip(id=f"T{n}", row=n + 2, origin=rng.choice(communes), destination=rng.choice(communes[::20]),
                  days=frozenset(rng.sample(range(7), rng.randint(1, 5))),
                  outbound_time=rng.choice([None, time(rng.randint(6, 10), 30)]),
                  return_time=rng.choice([None, time(rng.randint(12, 19))])) for n in range(400)]
    index = TripIndex(trips, detour_factor=1.5, near_km=4.0, road_factor=1.2)
    compared = 0
    for n in range(60):
        request = ride_request(origin=rng.choice(communes), destination=rng.choice(communes[::20]),
                               days=frozenset(rng.sample(range(7), n % 3)), arrival_time=time(9),
                               return_time=time(17), date=TODAY + timedelta(days=2) if n % 5 == 0 else None)
        for journey in (dispatch.OUTBOUND, dispatch.RETURN):
            plain = dispatch.candidates(request, trips, TODAY, detour_factor=1.5, near_km=4.0, road_factor=1.2,
                                        journey=journey)
            assert dispatch.candidates(request, index, TODAY, journey=journey) == plain
            compared += len(plain)
    assert compared > 200
