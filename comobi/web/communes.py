"""Which trips serve each commune: its page, its printable list, the list of communes (pure).

A commune's page shows the best ``SHOWN`` trips each way (a dense board passes hundreds of
trips near a town), then says how many more there are and where to see them. The answers
are kept per read of the sheet by ``comobi.web.derived``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from comobi.matching import Ranked, TripIndex
from comobi.models import Place, Trip

SHOWN = 20


@dataclass(frozen=True)
class Served:
    """The trips that can take someone from ``place``, then those that can bring someone there."""

    place: Place
    departures: Ranked
    arrivals: Ranked  # less the trip legs already among the departures

    def __bool__(self) -> bool:
        return bool(self.departures or self.arrivals)


def serve_all(in_scope: list[Place], listed: list[Trip], index: TripIndex, today: date) -> dict[str, Served]:
    """Every commune of the territory or at a listed trip's end that some trip serves, by slug."""
    places = sorted(candidates(in_scope, listed), key=lambda p: p.slug)
    answers = index.by_place(places, today)  # all at once: much faster
    known = {}
    for place in places:
        found = _served(place, *answers[place])
        if found:
            known[place.slug] = found
    return known


def serve_one(place: Place, index: TripIndex, today: date) -> Served:
    return _served(place, index.ranked(origin=place, today=today), index.ranked(destination=place, today=today))


def candidates(in_scope: list[Place], listed: list[Trip]) -> list[Place]:
    """The territory's communes, and any place a listed trip starts or ends at."""
    places = {p.slug: p for p in in_scope}
    for trip in listed:
        places.setdefault(trip.origin.slug, trip.origin)
        places.setdefault(trip.destination.slug, trip.destination)
    return list(places.values())


def _served(place: Place, departures: Ranked, arriving: Ranked) -> Served:
    return Served(place, departures, arriving.without(departures))
