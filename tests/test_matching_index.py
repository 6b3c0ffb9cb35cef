"""TripIndex answers exactly what match_trips answers, only faster."""
import random
from datetime import date, time, timedelta

import pytest

from comobi.matching import TripIndex, match_trips
from comobi.models import ARCHIVED, PENDING, PUBLISHED, Place, Trip
from comobi.places import Places

TODAY = date(2026, 3, 2)


@pytest.fixture(scope="module")
def places():
    lot = Places.load(departements=["46", "12"])
    communes = lot.in_scope()
    far = [Place("Toulouse", "toulouse", 43.6045, 1.444), Place("Nord", "nord", 89.5, 10.0),
           Place("Antipode", "antipode", -45.0, 179.9)]
    return communes, far


def random_trips(rng, communes, count):
    towns = communes[::40]
    trips = []
    for number in range(count):
        origin = rng.choice(communes)
        destination = rng.choice(towns if rng.random() < 0.7 else communes)
        one_off = rng.random() < 0.2
        trips.append(Trip(
            id=f"T{number}", row=number + 2, origin=origin, destination=destination,
            days=frozenset() if one_off else frozenset(rng.sample(range(7), rng.randint(0, 5))),
            date=TODAY + timedelta(days=rng.randint(-10, 20)) if one_off else None,
            outbound_time=rng.choice([None, time(rng.randint(6, 11), rng.choice((0, 30)))]),
            return_time=rng.choice([None, time(rng.randint(12, 19), 0)]),
            seats=rng.choice([None, 0, 1, 3]),
            status=rng.choice([PUBLISHED] * 6 + [PENDING, ARCHIVED]),
        ))
    return trips


def random_queries(rng, communes, far, count):
    for _ in range(count):
        pool = communes + far
        yield dict(
            origin=rng.choice([None, rng.choice(pool)]),
            destination=rng.choice([None, rng.choice(pool)]),
            weekday=rng.choice([None, rng.randrange(7)]),
            strict_day=rng.random() < 0.8,
            arrival_time=rng.choice([None, time(rng.randint(7, 12), 0)]),
            on_date=rng.choice([None, None, TODAY + timedelta(days=rng.randint(0, 10))]),
        )


@pytest.mark.parametrize("seed, factor, near", [(1, 1.8, 5.0), (2, 1.3, 2.0), (3, 2.5, 10.0)])
def test_index_answers_like_match_trips(places, seed, factor, near):
    communes, far = places
    rng = random.Random(seed)
    trips = random_trips(rng, communes + far, 600)
    index = TripIndex(trips, detour_factor=factor, near_km=near)
    for query in random_queries(rng, communes, far, 150):
        expected = match_trips(trips, today=TODAY, detour_factor=factor, near_km=near, **query)
        assert index.match(today=TODAY, **query) == expected, query
        assert index.match(today=TODAY, **query) == expected, query  # from its memory


def test_same_place_ends_and_passengers_on_the_route(places):
    communes, _ = places
    a, b = communes[0], communes[1]
    trips = [Trip(id="T1", row=2, origin=a, destination=a, days=frozenset({0})),
             Trip(id="T2", row=3, origin=a, destination=b, days=frozenset({0}), return_time=time(17))]
    index = TripIndex(trips)
    for origin, destination in [(a, a), (a, b), (b, a), (a, None), (None, b), (b, b)]:
        assert index.match(origin, destination, today=TODAY) == match_trips(
            trips, origin, destination, today=TODAY)


def test_listed_follows_the_day():
    place = Place("A", "a", 44.0, 1.0)
    trip = Trip(id="T1", row=2, origin=place, destination=place, date=TODAY)
    index = TripIndex([trip])
    assert index.listed(TODAY) == [trip]
    assert index.listed(TODAY + timedelta(days=1)) == []


def test_index_answers_are_copies():
    place = Place("A", "a", 44.0, 1.0)
    index = TripIndex([Trip(id="T1", row=2, origin=place, destination=place, days=frozenset({1}))])
    index.match(today=TODAY).clear()
    assert len(index.match(today=TODAY)) == 1
