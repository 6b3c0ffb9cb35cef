import random
import time as clock
from datetime import date, time

import pytest

from comobi import matching
from comobi.matching import OUTBOUND, RETURN, Match, is_listed, match_trips, runs_on
from comobi.models import ARCHIVED, PENDING, PUBLISHED, Place, Trip
from comobi.places import Places

TODAY = date(2026, 3, 2)  # a Monday
MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)
WEEKDAYS = frozenset(range(5))


@pytest.fixture(scope="module")
def lot():
    return Places.load(departements=["46"])


@pytest.fixture(scope="module")
def at(lot):
    def find(name):
        place = lot.find(name)
        assert place is not None, name
        return place

    return find


def make_trip(origin, destination, id="T1", days=WEEKDAYS, **fields):
    return Trip(id=id, row=2, origin=origin, destination=destination, days=frozenset(days), **fields)


def point(lat, lon, name="P"):
    return Place(name=name, slug=name.lower(), latitude=lat, longitude=lon)


# --- the acceptance examples ------------------------------------------------

def test_lalbenque_to_cahors_finds_limogne_to_cahors(at):
    trip = make_trip(at("Limogne-en-Quercy"), at("Cahors"), outbound_time=time(8))
    [match] = match_trips([trip], at("Lalbenque"), at("Cahors"), today=TODAY)
    assert match.trip is trip
    assert match.leg == OUTBOUND
    assert match.departure.name == "Limogne-en-Quercy" and match.arrival.name == "Cahors"
    assert match.time == time(8)
    assert match.extra_km == pytest.approx(18.4 + 16.4 - 27.5, abs=0.3)


def test_souillac_to_gourdon_does_not_find_limogne_to_cahors(at):
    trip = make_trip(at("Limogne-en-Quercy"), at("Cahors"), return_time=time(17))
    assert match_trips([trip], at("Souillac"), at("Gourdon"), today=TODAY) == []


def test_return_leg_suits_the_opposite_direction(at):
    trip = make_trip(at("Limogne-en-Quercy"), at("Cahors"), outbound_time=time(8),
                     return_time=time(17, 30))
    [match] = match_trips([trip], at("Cahors"), at("Lalbenque"), today=TODAY)
    assert match.leg == RETURN
    assert (match.departure.name, match.arrival.name) == ("Cahors", "Limogne-en-Quercy")
    assert match.time == time(17, 30)


def test_no_return_leg_without_a_return_time(at):
    trip = make_trip(at("Limogne-en-Quercy"), at("Cahors"), outbound_time=time(8))
    assert match_trips([trip], at("Cahors"), at("Lalbenque"), today=TODAY) == []


@pytest.mark.parametrize(
    "trip_from, trip_to, passenger_from, passenger_to, suits",
    [
        ("Limogne-en-Quercy", "Cahors", "Lalbenque", "Cahors", True),
        ("Limogne-en-Quercy", "Cahors", "Limogne-en-Quercy", "Cahors", True),
        ("Limogne-en-Quercy", "Cahors", "Cajarc", "Cahors", True),
        ("Limogne-en-Quercy", "Cahors", "Limogne-en-Quercy", "Lalbenque", True),
        ("Limogne-en-Quercy", "Cahors", "Souillac", "Gourdon", False),
        ("Limogne-en-Quercy", "Cahors", "Figeac", "Gourdon", False),
        ("Limogne-en-Quercy", "Cahors", "Cahors", "Lalbenque", False),  # no return leg here
        ("Figeac", "Cahors", "Cajarc", "Cahors", True),
        ("Figeac", "Cahors", "Saint-Cirq-Lapopie", "Arcambal", True),
        ("Figeac", "Cahors", "Gramat", "Cahors", True),  # 71 km for 49: within 1.8
        ("Figeac", "Cahors", "Souillac", "Cahors", False),
        ("Souillac", "Gourdon", "Souillac", "Gourdon", True),
        ("Souillac", "Gourdon", "Lalbenque", "Cahors", False),
        ("Gramat", "Saint-Céré", "Gramat", "Saint-Céré", True),
        ("Cahors", "Pradines", "Le Montat", "Pradines", False),
    ],
)
def test_which_trips_suit(at, trip_from, trip_to, passenger_from, passenger_to, suits):
    trip = make_trip(at(trip_from), at(trip_to))
    found = match_trips([trip], at(passenger_from), at(passenger_to), today=TODAY)
    assert bool(found) is suits


def test_near_rule_accepts_a_detour_the_factor_refuses():
    # A short trip: 4 km east. The passenger starts 4 km north of A and ends
    # 4 km north of B: the detour is three times the trip, yet both ends are near.
    a, b = point(44.0, 1.0, "A"), point(44.0, 1.05, "B")
    o, d = point(44.036, 1.0, "O"), point(44.036, 1.05, "D")
    trip = make_trip(a, b)
    [match] = match_trips([trip], o, d, today=TODAY)
    assert match.extra_km == pytest.approx(8.0, abs=0.3)
    assert match_trips([trip], o, d, today=TODAY, near_km=3.0) == []


@pytest.mark.parametrize("factor, suits", [(1.8, True), (1.3, True), (1.2, False)])
def test_detour_factor_is_configurable(at, factor, suits):
    # Limogne -> Lalbenque -> Cahors is 34.8 km for a 27.5 km trip: factor 1.27.
    trip = make_trip(at("Limogne-en-Quercy"), at("Cahors"))
    found = match_trips([trip], at("Lalbenque"), at("Cahors"), today=TODAY, detour_factor=factor)
    assert bool(found) is suits


# --- only one end given -------------------------------------------------------

@pytest.mark.parametrize(
    "origin, destination, expected_leg",
    [
        ("Lalbenque", None, OUTBOUND),  # on the way from Limogne to Cahors
        ("Limogne-en-Quercy", None, OUTBOUND),
        (None, "Cahors", OUTBOUND),
        (None, "Lalbenque", OUTBOUND),  # can be dropped on the way
        (None, "Limogne-en-Quercy", RETURN),
        ("Cahors", None, RETURN),
        ("Souillac", None, None),
        (None, "Gourdon", None),
    ],
)
def test_only_one_end(at, origin, destination, expected_leg):
    trip = make_trip(at("Limogne-en-Quercy"), at("Cahors"), return_time=time(17))
    found = match_trips(
        [trip], origin and at(origin), destination and at(destination), today=TODAY
    )
    assert [match.leg for match in found] == ([expected_leg] if expected_leg else [])


def test_no_filter_lists_every_listed_trip_once(at):
    trips = [
        make_trip(at("Limogne-en-Quercy"), at("Cahors"), id="a", return_time=time(17)),
        make_trip(at("Souillac"), at("Gourdon"), id="b"),
        make_trip(at("Figeac"), at("Cahors"), id="c", status=PENDING),
    ]
    found = match_trips(trips, today=TODAY)
    assert sorted(match.trip.id for match in found) == ["a", "b"]
    assert all(match.leg == OUTBOUND and match.extra_km == 0 for match in found)


def test_a_trip_appears_once_with_its_best_leg():
    # Both ends within near_km of both trip ends: both legs suit.
    a, b = point(44.0, 1.0, "A"), point(44.0, 1.03, "B")
    trip = make_trip(a, b, return_time=time(18))
    [match] = match_trips([trip], point(44.0, 1.005), point(44.0, 1.025), today=TODAY)
    assert match.leg == OUTBOUND


# --- listing ------------------------------------------------------------------

@pytest.mark.parametrize(
    "fields, listed",
    [
        ({}, True),
        ({"status": PENDING}, False),
        ({"status": ARCHIVED}, False),
        ({"status": ""}, False),
        ({"date": date(2026, 3, 1)}, False),  # yesterday
        ({"date": TODAY}, True),
        ({"date": date(2026, 12, 25)}, True),
        ({"seats": 0}, False),
        ({"seats": 3}, True),
        ({"seats": None}, True),
    ],
)
def test_is_listed(at, fields, listed):
    trip = make_trip(at("Cahors"), at("Figeac"), **fields)
    assert is_listed(trip, TODAY) is listed
    assert bool(match_trips([trip], today=TODAY)) is listed


def test_past_one_off_trip_is_not_found(at):
    trip = make_trip(at("Limogne-en-Quercy"), at("Cahors"), days=(), date=date(2026, 2, 27))
    assert match_trips([trip], at("Lalbenque"), at("Cahors"), today=TODAY) == []


def test_published_constant_is_the_sheet_word():
    assert PUBLISHED == "publié"


# --- days ---------------------------------------------------------------------

@pytest.mark.parametrize(
    "fields, weekday, runs",
    [
        ({"days": {MONDAY, THURSDAY}}, MONDAY, True),
        ({"days": {MONDAY, THURSDAY}}, TUESDAY, False),
        ({"days": (), "date": date(2026, 3, 6)}, FRIDAY, True),  # a Friday
        ({"days": (), "date": date(2026, 3, 6)}, SATURDAY, False),
        ({"days": ()}, MONDAY, False),
    ],
)
def test_runs_on(at, fields, weekday, runs):
    assert runs_on(make_trip(at("Cahors"), at("Figeac"), **fields), weekday) is runs


def test_strict_day_filters_out_trips_not_running_that_day(at):
    trips = [
        make_trip(at("Limogne-en-Quercy"), at("Cahors"), id="monday", days={MONDAY}),
        make_trip(at("Limogne-en-Quercy"), at("Cahors"), id="tuesday", days={TUESDAY}),
        make_trip(at("Limogne-en-Quercy"), at("Cahors"), id="one-off-tuesday", days=(),
                  date=date(2026, 3, 10)),
        make_trip(at("Limogne-en-Quercy"), at("Cahors"), id="unknown", days=()),
    ]
    found = match_trips(trips, at("Lalbenque"), at("Cahors"), weekday=TUESDAY, today=TODAY)
    assert [m.trip.id for m in found][:2] in (["tuesday", "one-off-tuesday"],
                                              ["one-off-tuesday", "tuesday"])
    assert [m.trip.id for m in found][2:] == ["unknown"]
    assert [m.same_day for m in found] == [True, True, False]


def test_without_strict_day_other_days_come_after(at):
    trips = [
        make_trip(at("Limogne-en-Quercy"), at("Cahors"), id="monday", days={MONDAY}),
        make_trip(at("Figeac"), at("Cahors"), id="tuesday", days={TUESDAY}),
    ]
    found = match_trips(trips, at("Lalbenque"), at("Cahors"), weekday=TUESDAY, today=TODAY,
                        strict_day=False)
    assert [(m.trip.id, m.same_day) for m in found] == [("tuesday", True), ("monday", False)]


def test_on_date_keeps_one_off_trips_of_that_date_only(at):
    trips = [
        make_trip(at("Cajarc"), at("Cahors"), id="that-day", days=(), date=date(2026, 3, 10)),
        make_trip(at("Cajarc"), at("Cahors"), id="a-week-later", days=(), date=date(2026, 3, 17)),
        make_trip(at("Cajarc"), at("Cahors"), id="every-tuesday", days={TUESDAY}),
    ]
    found = match_trips(trips, at("Cajarc"), at("Cahors"), on_date=date(2026, 3, 10), today=TODAY)
    assert sorted(m.trip.id for m in found) == ["every-tuesday", "that-day"]


# --- ranking ------------------------------------------------------------------

def test_ranked_by_extra_distance_then_time(at):
    trips = [
        make_trip(at("Figeac"), at("Cahors"), id="figeac", outbound_time=time(7)),
        make_trip(at("Limogne-en-Quercy"), at("Cahors"), id="limogne-late", outbound_time=time(9)),
        make_trip(at("Limogne-en-Quercy"), at("Cahors"), id="limogne-early", outbound_time=time(8)),
        make_trip(at("Cajarc"), at("Cahors"), id="cajarc", outbound_time=time(6)),
        make_trip(at("Limogne-en-Quercy"), at("Cahors"), id="limogne-no-time"),
    ]
    found = match_trips(trips, at("Lalbenque"), at("Cahors"), today=TODAY)
    assert [m.trip.id for m in found] == [
        "limogne-early", "limogne-late", "limogne-no-time", "cajarc", "figeac"]
    assert [m.extra_km for m in found] == sorted(m.extra_km for m in found)


def test_same_day_ranks_before_a_smaller_detour(at):
    trips = [
        make_trip(at("Limogne-en-Quercy"), at("Cahors"), id="near-other-day", days={MONDAY}),
        make_trip(at("Figeac"), at("Cahors"), id="far-same-day", days={FRIDAY}),
    ]
    found = match_trips(trips, at("Lalbenque"), at("Cahors"), weekday=FRIDAY, today=TODAY,
                        strict_day=False)
    assert [m.trip.id for m in found] == ["far-same-day", "near-other-day"]


def test_time_window_ranks_before_distance(at):
    trips = [
        make_trip(at("Limogne-en-Quercy"), at("Cahors"), id="near-afternoon", outbound_time=time(14)),
        make_trip(at("Figeac"), at("Cahors"), id="far-morning", outbound_time=time(7, 30)),
        make_trip(at("Limogne-en-Quercy"), at("Cahors"), id="near-no-time"),
    ]
    found = match_trips(trips, at("Lalbenque"), at("Cahors"), today=TODAY, arrival_time=time(9))
    assert [m.trip.id for m in found] == ["far-morning", "near-afternoon", "near-no-time"]


def test_match_is_a_frozen_dataclass(at):
    trip = make_trip(at("Cahors"), at("Figeac"))
    [match] = match_trips([trip], today=TODAY)
    assert isinstance(match, Match)
    assert match.same_day is False
    with pytest.raises(AttributeError):
        match.extra_km = 3


# --- speed and the pre-filter -------------------------------------------------

def random_trips(lot, count, seed=46):
    rng = random.Random(seed)
    communes = lot.in_scope()
    trips = []
    for number in range(count):
        a, b = rng.sample(communes, 2)
        trips.append(make_trip(a, b, id=str(number), days={rng.randrange(7)},
                               outbound_time=time(rng.randrange(6, 20)),
                               return_time=time(18) if rng.random() < 0.5 else None))
    return trips


def test_pre_filter_never_changes_the_result(lot, monkeypatch):
    trips = random_trips(lot, 1500)
    rng = random.Random(1)
    searches = [tuple(rng.sample(lot.in_scope(), 2)) for _ in range(15)]
    searches += [(lot.find("Lalbenque"), None), (None, lot.find("Cahors"))]
    fast = [match_trips(trips, o, d, today=TODAY) for o, d in searches]
    monkeypatch.setattr(matching._Search, "_could_fit", lambda *args: True)
    slow = [match_trips(trips, o, d, today=TODAY) for o, d in searches]
    assert fast == slow
    assert sum(map(len, fast)) > 0


def test_ten_thousand_trips_are_matched_quickly(lot):
    trips = random_trips(lot, 10_000)
    start = clock.process_time()
    found = match_trips(trips, lot.find("Lalbenque"), lot.find("Cahors"), weekday=TUESDAY,
                        today=TODAY)
    elapsed = clock.process_time() - start
    assert found
    assert elapsed < 1.0
