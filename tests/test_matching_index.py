"""TripIndex answers exactly what match_trips answers, only faster."""
import math
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


def random_board(places, seed, count, factor, near):
    """A seeded random generator, trips drawn with it among all places, and their index."""
    communes, far = places
    rng = random.Random(seed)
    trips = random_trips(rng, communes + far, count)
    return rng, trips, TripIndex(trips, detour_factor=factor, near_km=near)


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
    rng, trips, index = random_board(places, seed, 600, factor, near)
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


# --- the edge rules, on boards where they come up often ------------------------

def cluster(rng, count, spread=0.12, centre=(44.5, 1.6)):
    """Places a few km apart, so that near_km and the one-ended rules decide often;
    some share a point under another name, some share a name (different objects)."""
    places = []
    for number in range(count):
        if places and rng.random() < 0.1:
            twin = rng.choice(places)
            places.append(Place(f"Twin {number}", f"twin-{number}", twin.latitude, twin.longitude))
        else:
            places.append(Place(f"P{number}", f"p{number}", centre[0] + rng.uniform(-spread, spread),
                                centre[1] + rng.uniform(-spread, spread)))
    return places


def cluster_trips(rng, places, count):
    trips = []
    for number in range(count):
        origin = rng.choice(places)
        destination = origin if rng.random() < 0.05 else rng.choice(places)
        one_off = rng.random() < 0.25
        trips.append(Trip(
            id=f"C{number}", row=number + 2, origin=origin, destination=destination,
            days=frozenset() if one_off else frozenset(rng.sample(range(7), rng.randint(0, 3))),
            date=TODAY + timedelta(days=rng.randint(-3, 8)) if one_off else None,
            # few distinct times: ties are broken by the board's order
            outbound_time=rng.choice([None, time(8), time(8), time(17), time(7, 30)]),
            return_time=rng.choice([None, None, time(8), time(17), time(18)]),
            seats=rng.choice([None, 0, 2]),
            status=rng.choice([PUBLISHED] * 5 + [PENDING]),
        ))
    return trips


def one_ended_queries(rng, places, count):
    for _ in range(count):
        place = rng.choice(places)
        end = rng.choice(["origin", "destination"])
        yield {end: place}
        yield {end: place, "weekday": rng.randrange(7), "strict_day": rng.random() < 0.5}
        yield {end: place, "arrival_time": time(rng.randint(7, 19), rng.choice((0, 30)))}
        yield {end: place, "on_date": TODAY + timedelta(days=rng.randint(-1, 5))}


@pytest.mark.parametrize("seed, factor, near", [(11, 1.8, 5.0), (12, 1.2, 3.0), (13, 3.0, 8.0),
                                                (14, 1.0, 0.0), (15, 1.5, 20.0)])
def test_index_answers_like_match_trips_on_a_dense_cluster(seed, factor, near):
    rng = random.Random(seed)
    places = cluster(rng, 40)
    trips = cluster_trips(rng, places, 300)
    index = TripIndex(trips, detour_factor=factor, near_km=near)
    strangers = cluster(rng, 10, spread=0.2)  # places no trip starts or ends at
    queries = list(one_ended_queries(rng, places + strangers, 40))
    queries += [{"origin": rng.choice(places + strangers), "destination": rng.choice(places + strangers),
                 "weekday": rng.choice([None, 1]), "arrival_time": rng.choice([None, time(9)])}
                for _ in range(60)]
    queries += [{}, {"weekday": 3}, {"weekday": 3, "strict_day": False}, {"arrival_time": time(8)},
                {"on_date": TODAY + timedelta(days=2)}]
    found = 0
    for query in queries:
        expected = match_trips(trips, today=TODAY, detour_factor=factor, near_km=near, **query)
        assert index.match(today=TODAY, **query) == expected, query
        found += len(expected)
    assert found > 1000  # the boards are dense: the rules are really at work


@pytest.mark.parametrize("seed, factor, near", [(21, 1.8, 5.0), (22, 1.3, 2.0), (23, 2.5, 10.0)])
def test_by_place_answers_like_one_search_per_place(places, seed, factor, near):
    communes, far = places
    rng, trips, index = random_board(places, seed, 800, factor, near)
    asked = rng.sample(communes, 40) + far + [communes[0]]  # the same place twice
    answers = index.by_place(asked, TODAY)
    assert set(answers) == set(asked)
    assert not index._results  # not kept among the recent answers
    for place in asked:
        leaving, arriving = answers[place]
        assert list(leaving) == match_trips(trips, origin=place, today=TODAY, detour_factor=factor,
                                            near_km=near)
        assert list(arriving) == match_trips(trips, destination=place, today=TODAY,
                                             detour_factor=factor, near_km=near)
        assert list(leaving) == index.match(origin=place, today=TODAY)
        assert list(arriving) == index.match(destination=place, today=TODAY)
    assert sum(len(a) + len(b) for a, b in answers.values()) > 1000


def test_by_place_on_a_dense_cluster():
    rng = random.Random(31)
    places = cluster(rng, 50)
    trips = cluster_trips(rng, places, 400)
    index = TripIndex(trips, near_km=4.0)
    answers = index.by_place(places + cluster(rng, 10), TODAY)
    for place, (leaving, arriving) in answers.items():
        assert list(leaving) == match_trips(trips, origin=place, today=TODAY, near_km=4.0)
        assert list(arriving) == match_trips(trips, destination=place, today=TODAY, near_km=4.0)
    later = TODAY + timedelta(days=4)  # other one-off trips are listed on another day
    for place, (leaving, arriving) in index.by_place(places[:10], later).items():
        assert list(leaving) == match_trips(trips, origin=place, today=later, near_km=4.0)
        assert list(arriving) == match_trips(trips, destination=place, today=later, near_km=4.0)


def test_a_ranked_answer_reads_like_a_list(places):
    communes, _ = places
    rng = random.Random(41)
    trips = random_trips(rng, communes, 300)
    index = TripIndex(trips)
    for query in [{"origin": communes[5]}, {"origin": communes[5], "weekday": 2}, {}]:
        ranked, expected = index.ranked(today=TODAY, **query), match_trips(trips, today=TODAY, **query)
        assert len(ranked) == len(expected) > 3
        assert ranked[0] == expected[0] and ranked[-1] == expected[-1]
        assert ranked[2:5] == expected[2:5] and ranked[::3] == expected[::3] and ranked[5:2] == []
        with pytest.raises(IndexError):
            ranked[len(expected)]


def test_distances_are_measured_as_distance_km(places):
    """The index measures distances itself, with the same arithmetic: not one rounding apart."""
    from comobi.places import distance_km

    communes, far = places
    rng = random.Random(51)
    points = rng.sample(communes, 201) + far
    index = TripIndex([Trip(id=f"T{n}", row=n, origin=a, destination=b)
                       for n, (a, b) in enumerate(zip(points[::2], points[1::2]))])
    assert [p for t in index.trips for p in (t.origin, t.destination)] == points
    assert index._direct.tolist() == [distance_km(t.origin, t.destination) for t in index.trips]
    for place in rng.sample(points, 30) + far:
        measured = index._distances(place).tolist()
        assert measured == [distance_km(place, other) for other in points]
        assert measured == [distance_km(other, place) for other in points]


def test_near_km_equal_to_a_distance():
    """near_km exactly one of the distances measured: `<=` against `<` matters."""
    from comobi.places import distance_km

    rng = random.Random(61)
    places = cluster(rng, 25, spread=0.05)
    trips = cluster_trips(rng, places, 200)
    for _ in range(12):
        trip = rng.choice(trips)
        place = rng.choice(places)
        near = distance_km(place, rng.choice([trip.origin, trip.destination]))
        index = TripIndex(trips, near_km=near)
        for query in [{"origin": place}, {"destination": place}, {"origin": place, "weekday": 2},
                      {"origin": place, "destination": trip.destination},
                      {"origin": trip.origin, "destination": place}]:
            expected = match_trips(trips, today=TODAY, near_km=near, **query)
            assert index.match(today=TODAY, **query) == expected, (near, query)


def test_detour_factor_reached_exactly():
    """A detour of exactly `detour_factor` x the leg still suits (`<=`, not `<`)."""
    from comobi.places import distance_km

    rng = random.Random(71)
    places = cluster(rng, 30, spread=0.3)
    checked = 0
    while checked < 20:
        start, end, place = rng.sample(places, 3)
        direct, path = distance_km(start, end), distance_km(start, place) + distance_km(place, end)
        if direct < 1.0:
            continue
        factor = path / direct
        for _ in range(4):  # the float whose product with `direct` gives `path` exactly, if any
            if factor * direct != path:
                factor = math.nextafter(factor, math.inf if factor * direct < path else 0.0)
        if factor * direct != path or min(distance_km(place, p) for p in (start, end)) <= 1.0:
            continue
        trips = [Trip(id="T1", row=2, origin=start, destination=end, days=frozenset({0}),
                      return_time=time(17))]
        index = TripIndex(trips, detour_factor=factor, near_km=1.0)
        for query in [{"origin": place}, {"destination": place}]:
            expected = match_trips(trips, today=TODAY, detour_factor=factor, near_km=1.0, **query)
            assert expected  # on the edge, in
            assert index.match(today=TODAY, **query) == expected
        checked += 1


def test_far_north_and_across_the_date_line():
    """Where the box of `_roughly_within` is cruder than the detour test (near a pole,
    across the 180th meridian), the index still answers what match_trips answers."""
    rng = random.Random(81)
    north = [Place(f"N{n}", f"n{n}", rng.uniform(80.0, 89.9), rng.uniform(-180.0, 180.0))
             for n in range(25)]
    north += [Place("A", "a", 85.0, 0.0), Place("B", "b", 85.0, 180.0), Place("P", "p", 86.0, 180.0)]
    date_line = [Place(f"D{n}", f"d{n}", 43.0 + rng.uniform(-0.3, 0.3),
                       rng.choice((-1, 1)) * rng.uniform(179.7, 180.0)) for n in range(20)]
    for places in (north, date_line):
        trips = cluster_trips(rng, places, 150)
        trips.append(Trip(id="AB", row=999, origin=places[-3], destination=places[-2], days=frozenset({0})))
        for factor, near in [(1.8, 5.0), (1.05, 50.0)]:
            index = TripIndex(trips, detour_factor=factor, near_km=near)
            queries = [{"origin": p} for p in places] + [{"destination": p} for p in places]
            queries += [{"origin": rng.choice(places), "destination": rng.choice(places)} for _ in range(40)]
            for query in queries:
                expected = match_trips(trips, today=TODAY, detour_factor=factor, near_km=near, **query)
                assert index.match(today=TODAY, **query) == expected, query
            for place, (leaving, arriving) in index.by_place(places, TODAY).items():
                assert list(leaving) == index.match(origin=place, today=TODAY)
                assert list(arriving) == index.match(destination=place, today=TODAY)



def test_without_leaves_out_the_legs_of_the_other_answer(places):
    """A commune's arrivals: the trips that bring someone there, less those already leaving it."""
    communes, _ = places
    rng = random.Random(7)
    index = TripIndex(random_trips(rng, communes, 400))
    left_out = 0
    for place in rng.sample(communes, 30):
        leaving = index.ranked(origin=place, today=TODAY)
        arriving = index.ranked(destination=place, today=TODAY)
        taken = {(m.trip.id, m.leg) for m in leaving}
        expected = [(m.trip.id, m.leg) for m in arriving if (m.trip.id, m.leg) not in taken]
        assert [(m.trip.id, m.leg) for m in arriving.without(leaving)] == expected
        left_out += len(arriving) - len(expected)
    assert left_out > 0  # the case at stake did occur


def test_arrival_times_follow_the_road_factor(places):
    """The one road speed (ROAD_SPEED_KMH) on road km: the index and the rule agree for
    any road factor, and the factor does change which trips arrive in time."""
    communes, far = places
    rng, trips, _ = random_board(places, 91, 500, 1.8, 5.0)
    queries = [dict(origin=rng.choice(communes), destination=rng.choice(communes), arrival_time=time(h))
               for h in range(6, 13)] * 3
    changed = 0
    for factor in (1.0, 1.3, 2.0):
        index = TripIndex(trips, road_factor=factor)
        for query in queries:
            expected = match_trips(trips, today=TODAY, road_factor=factor, **query)
            assert index.match(today=TODAY, **query) == expected, (factor, query)
            changed += expected != match_trips(trips, today=TODAY, **query)
    assert changed > 0
