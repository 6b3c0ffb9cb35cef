from comobi.models import Place, Trip
from comobi.suggestions import suggested_places


def place(name, insee):
    return Place(name, name.lower(), 44.0, 1.0, insee=insee)


def test_a_small_territory_is_suggested_whole():
    places = [place("A", "1"), place("B", "2")]
    assert suggested_places(places, [], {}, limit=2) == places


def test_a_large_territory_keeps_trip_ends_then_the_most_populous_sorted_by_name():
    a, b, c, d = place("Alba", "1"), place("Bram", "2"), place("Cos", "3"), place("Dun", "4")
    trip = Trip(id="T1", row=2, origin=d, destination=a)
    populations = {"1": 10, "2": 5000, "3": 20, "4": 1}
    assert suggested_places([a, b, c, d], [trip], populations, limit=3) == [a, b, d]
