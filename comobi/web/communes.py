"""Which trips serve each commune: its page, its printable list, the list of communes.

A commune's page shows the best ``SHOWN`` trips each way (a dense board passes hundreds of
trips near a town), then says how many more there are and where to see them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app

from comobi.matching import Ranked
from comobi.models import Place
from comobi.storage import get_board
from comobi.web.derived import listed_trips, trip_index

SHOWN = 20


@dataclass(frozen=True)
class Served:
    """The trips that can take someone from ``place``, then those that can bring someone there."""

    place: Place
    departures: Ranked
    arrivals: Ranked  # less the trip legs already among the departures

    def __bool__(self) -> bool:
        return bool(self.departures or self.arrivals)


def served(place: Place) -> Served:
    """What serves one commune; read from the whole territory's answers when they are at hand."""
    known = _kept()
    if known is not None and place.slug in known:
        return known[place.slug]
    return _serve(place)


def with_trips() -> list[Served]:
    """Every commune some listed trip serves, by name; kept while the data and the day stay
    (matching every commune of a territory takes seconds)."""
    known = _kept()
    if known is None:
        places = sorted(_candidates(), key=lambda p: p.slug)
        answers = trip_index().by_place(places, date.today())  # all at once: much faster
        known = {}
        for place in places:
            found = _served(place, *answers[place])
            if found:
                known[place.slug] = found
        current_app.extensions["comobi.communes"] = (get_board(), date.today(), known)
    return list(known.values())


def _kept() -> dict[str, Served] | None:
    kept = current_app.extensions.get("comobi.communes")
    if kept and kept[0] is get_board() and kept[1] == date.today():
        return kept[2]
    return None


def _candidates() -> list[Place]:
    """The territory's communes, and any place a listed trip starts or ends at."""
    places = {p.slug: p for p in get_board().places.in_scope()}
    for trip in listed_trips():
        places.setdefault(trip.origin.slug, trip.origin)
        places.setdefault(trip.destination.slug, trip.destination)
    return list(places.values())


def _serve(place: Place) -> Served:
    index, today = trip_index(), date.today()
    return _served(place, index.ranked(origin=place, today=today), index.ranked(destination=place, today=today))


def _served(place: Place, departures: Ranked, arriving: Ranked) -> Served:
    return Served(place, departures, arriving.without(departures))
