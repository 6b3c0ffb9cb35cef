"""Which drivers' trips suit a passenger: pure functions, no I/O.

A trip A→B (and its return leg B→A when it has a return time) suits a passenger
going O→D when the detour A→O→D→B is at most `detour_factor` × A→B, or when O is
within `near_km` of A and D within `near_km` of B. Distances are straight lines.
"""
from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, time
from collections.abc import Sequence
from typing import Iterable

from .models import PUBLISHED, Place, Trip
from .places import distance_km

__all__ = ["Match", "match_trips", "TripIndex", "Ranked", "is_listed", "runs_on", "OUTBOUND", "RETURN",
           "DETOUR_FACTOR", "NEAR_KM", "TIME_WINDOW_MINUTES"]

OUTBOUND = "aller"
RETURN = "retour"
DETOUR_FACTOR = 1.8
NEAR_KM = 5.0
TIME_WINDOW_MINUTES = 60
# Rough average speed, counted on straight-line distance, to guess when a
# driver reaches the passenger's destination (about 65 km/h on the road).
CROW_FLIES_KMH = 50.0
KM_PER_DEGREE = 111.2


@dataclass(frozen=True)
class Match:
    """One trip leg that suits a passenger."""

    trip: Trip
    leg: str  # OUTBOUND or RETURN
    departure: Place
    arrival: Place
    time: time | None
    extra_km: float  # detour length minus the leg's own length, never negative
    same_day: bool  # runs on the day the passenger asked for


def is_listed(trip: Trip, today: date) -> bool:
    """Published, not a one-off trip already past, and not marked full (0 seats)."""
    if trip.status != PUBLISHED or trip.seats == 0:
        return False
    return trip.date is None or trip.date >= today


def runs_on(trip: Trip, weekday: int, on_date: date | None = None) -> bool:
    """A regular trip runs on its days; a one-off trip on its date (or that date's weekday)."""
    if trip.date is not None:
        return trip.date == on_date if on_date else trip.date.weekday() == weekday
    return weekday in trip.days


def match_trips(
    trips: Iterable[Trip],
    origin: Place | None = None,
    destination: Place | None = None,
    weekday: int | None = None,
    today: date | None = None,
    detour_factor: float = DETOUR_FACTOR,
    near_km: float = NEAR_KM,
    strict_day: bool = True,
    arrival_time: time | None = None,
    on_date: date | None = None,
) -> list[Match]:
    """Listed trips that suit a passenger, best first; one match per trip (its best leg).

    Without origin and destination every listed trip comes back (outbound leg).
    With `weekday` (or `on_date`) and `strict_day`, trips known not to run that
    day are left out; trips with no days and no date are kept, ranked after.
    Ranking: running that day, then (with `arrival_time`) reaching the
    destination within an hour of it, then the detour in whole km, then the time.
    """
    today = today or date.today()
    if on_date is not None and weekday is None:
        weekday = on_date.weekday()
    search = _Search(origin, destination, weekday, on_date, detour_factor, near_km, arrival_time)
    found = []  # in trip order: the sort below is stable
    for trip in trips:
        if is_listed(trip, today) and search.day_allows(trip, strict_day):
            legs = list(search.matches(trip))
            if legs:
                found.append(min(legs, key=search.leg_preference))
    return sorted(found, key=search.rank)


@dataclass(frozen=True)
class _Search:
    origin: Place | None
    destination: Place | None
    weekday: int | None
    on_date: date | None
    detour_factor: float
    near_km: float
    arrival_time: time | None
    # Distances already measured in this search, by the two places' identities: the same
    # towns and villages come back in leg after leg.
    _measured: dict = field(default_factory=dict, compare=False, repr=False)

    def day_allows(self, trip: Trip, strict: bool) -> bool:
        if self.weekday is None or not strict:
            return True
        unknown_schedule = trip.date is None and not trip.days
        return unknown_schedule or runs_on(trip, self.weekday, self.on_date)

    def matches(self, trip: Trip) -> Iterable[Match]:
        same_day = self.weekday is not None and runs_on(trip, self.weekday, self.on_date)
        legs = [(OUTBOUND, trip.origin, trip.destination, trip.outbound_time)]
        if trip.return_time is not None and self._filters():
            legs.append((RETURN, trip.destination, trip.origin, trip.return_time))
        for leg, start, end, when in legs:
            extra = self._extra_km(start, end)
            if extra is not None:
                yield Match(trip, leg, start, end, when, extra, same_day)

    def rank(self, match: Match) -> tuple:
        return self.rank_of(match.departure, match.arrival, match.time, match.extra_km, match.same_day)

    def rank_of(self, departure: Place, arrival: Place, when: time | None, extra_km: float,
                same_day: bool) -> tuple:
        """`rank` from a match's parts, before any Match is made."""
        other_day = self.weekday is not None and not same_day
        off_time = self.arrival_time is not None and not self._in_time_window(departure, arrival, when)
        leaves = when if when is not None else time.max
        # Whole kilometres: a few hundred metres more should not beat an earlier time.
        return (other_day, off_time, round(extra_km), leaves)

    def leg_preference(self, match: Match) -> tuple:
        """Between the two legs of one trip: the better rank before the time of day;
        on equal detours (one end given, both legs pass by) the outbound leg."""
        return (*self.rank(match)[:3], match.leg != OUTBOUND)

    def _filters(self) -> bool:
        return self.origin is not None or self.destination is not None

    def _extra_km(self, start: Place, end: Place) -> float | None:
        """Detour the passenger costs on this leg, or None when the leg does not suit."""
        if not self._filters():
            return 0.0
        direct = self._km(start, end)
        if not self._could_fit(start, end, direct):
            return None
        return self._detour(start, end, direct)

    def _detour(self, start: Place, end: Place, direct: float) -> float | None:
        """`_extra_km` for a leg of this length already known to pass `_could_fit`."""
        pickup = self.origin or start
        drop = self.destination or end
        # An end the passenger did not give is the driver's own: 0 km away.
        to_pickup, ride, to_end = self._km(start, pickup), self._km(pickup, drop), self._km(drop, end)
        near_km = self.near_km
        # With one end given, boarding where the driver stops (or leaving where the driver
        # starts) is no ride, unless the leg is short enough to be near both.
        if self.destination is None and ride <= near_km < to_pickup:
            return None
        if self.origin is None and ride <= near_km < to_end:
            return None
        path = to_pickup + ride + to_end
        near_ends = to_pickup <= near_km and to_end <= near_km
        if path <= self.detour_factor * direct or near_ends:
            return max(0.0, path - direct)
        return None

    def _km(self, a: Place, b: Place) -> float:
        if a is b:
            return 0.0
        try:
            return self._measured[id(a), id(b)]
        except KeyError:
            km = self._measured[id(a), id(b)] = self._measured[id(b), id(a)] = distance_km(a, b)
            return km

    def _could_fit(self, start: Place, end: Place, direct: float) -> bool:
        return self.near_middle(*_leg_box(start, end, direct, self.detour_factor, self.near_km))

    def near_middle(self, middle: tuple[float, float], reach: float) -> bool:
        """Cheap pre-filter: a suitable point lies within `reach` of the leg's middle
        (half the allowed path, or half the leg plus near_km)."""
        origin, destination = self.origin, self.destination
        return ((origin is None or _roughly_within(origin, middle, reach))
                and (destination is None or _roughly_within(destination, middle, reach)))

    def _in_time_window(self, departure: Place, arrival: Place, when: time | None) -> bool:
        if when is None or self.arrival_time is None:
            return False
        drop = self.destination or arrival
        pickup = self.origin or departure
        km = self._km(departure, pickup) + self._km(pickup, drop)
        arrives = _minutes(when) + km / CROW_FLIES_KMH * 60
        return abs(arrives - _minutes(self.arrival_time)) <= TIME_WINDOW_MINUTES


def _leg_box(start: Place, end: Place, direct: float, detour_factor: float,
             near_km: float) -> tuple[tuple[float, float], float]:
    """The leg's middle, and how far from it a suitable point may lie."""
    reach = max(detour_factor * direct, direct + 2 * near_km) / 2
    middle = ((start.latitude + end.latitude) / 2, (start.longitude + end.longitude) / 2)
    return middle, reach


def _roughly_within(place: Place, centre: tuple[float, float], km: float) -> bool:
    """Bounding-box test in degrees, with slack so it never rejects a point truly within."""
    slack_km = km * 1.02 + 1.0
    if abs(place.latitude - centre[0]) * KM_PER_DEGREE > slack_km:
        return False
    widest = max(abs(place.latitude), abs(centre[0]))
    km_per_lon_degree = KM_PER_DEGREE * math.cos(math.radians(widest))
    return abs(place.longitude - centre[1]) * km_per_lon_degree <= slack_km


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


# --- the same search, fast over thousands of trips ----------------------------

GRID_DEGREES = 0.1  # grid cell side, about 11 km north-south and 8 km east-west in France
RESULTS_KEPT = 32  # recent searches whose answers an index keeps


@dataclass(frozen=True)
class _Leg:
    position: int  # the trip's place in the board: ties keep the board's order
    trip: Trip
    leg: str
    time: time | None


@dataclass(eq=False)  # hashed by identity: the index keeps each route's legs listed today
class _Route:
    """Every leg that goes from one place to another: they suit the same passengers."""

    start: Place
    end: Place
    legs: list[_Leg]
    direct: float = 0.0
    middle: tuple[float, float] = (0.0, 0.0)
    reach: float = 0.0


class Ranked(Sequence):
    """A search's answer, best first. Ranking needs only plain figures: a `Match` is made
    when an item is read, so a page of 20 out of 1,000 answers makes 20."""

    def __init__(self, found: list[tuple]):
        self._found = found  # (rank, board position, route, leg, extra km, same day)

    def __len__(self) -> int:
        return len(self._found)

    def __getitem__(self, item):
        if isinstance(item, slice):
            return [self._match(found) for found in self._found[item]]
        return self._match(self._found[item])

    def without(self, other: "Ranked") -> "Ranked":
        """These answers less the trip legs that `other` holds, in the same order."""
        taken = {(found[1], found[3].leg) for found in other._found}
        return Ranked([found for found in self._found if (found[1], found[3].leg) not in taken])

    @staticmethod
    def _match(found: tuple) -> Match:
        _, _, route, leg, extra, same_day = found
        return Match(leg.trip, leg.leg, route.start, route.end, leg.time, extra, same_day)


class TripIndex:
    """The trips of one board, arranged so that a search looks only at nearby routes.

    `match` answers exactly what `match_trips` answers for the same trips and settings.
    A leg can suit a passenger only when each point the passenger gave lies in the box
    that `_Search._could_fit` checks around the leg's middle; legs are grouped by route
    (start, end) and every route is filed under the grid cells its box overlaps, so a
    search measures the few routes of one or two cells instead of every leg. Answers
    are kept (recent ones, and those without a place): the board never changes under
    an index (a new read of the sheet makes a new board, hence a new index).
    """

    def __init__(self, trips: Iterable[Trip], detour_factor: float = DETOUR_FACTOR,
                 near_km: float = NEAR_KM):
        self.trips = list(trips)
        self.detour_factor, self.near_km = detour_factor, near_km
        self._outbound = [_Leg(n, t, OUTBOUND, t.outbound_time) for n, t in enumerate(self.trips)]
        self._every_leg = [_Route(leg.trip.origin, leg.trip.destination, [leg]) for leg in self._outbound]
        routes: dict[tuple[Place, Place], _Route] = {}
        for n, trip in enumerate(self.trips):
            self._route(routes, trip.origin, trip.destination).legs.append(self._outbound[n])
            if trip.return_time is not None:
                self._route(routes, trip.destination, trip.origin).legs.append(
                    _Leg(n, trip, RETURN, trip.return_time))
        self._routes = list(routes.values())
        self._grid: dict[tuple[int, int], set[int]] = {}
        self._everywhere: set[int] = set()  # routes whose box is too wide to file (near a pole)
        for number, route in enumerate(self._routes):
            self._file(number, route)
        self._results: OrderedDict[tuple, Ranked] = OrderedDict()
        self._whole_board: dict[tuple, Ranked] = {}
        self._listed: tuple[date, list[Trip], dict[_Route, list[_Leg]]] | None = None
        self._lock = threading.Lock()

    def listed(self, today: date) -> list[Trip]:
        """The trips `is_listed` keeps on this day."""
        return list(self._listed_on(today)[1])

    def match(self, origin: Place | None = None, destination: Place | None = None,
              weekday: int | None = None, today: date | None = None, strict_day: bool = True,
              arrival_time: time | None = None, on_date: date | None = None) -> list[Match]:
        """Like `match_trips(self.trips, ...)` with the index's detour factor and near_km."""
        return list(self.ranked(origin, destination, weekday, today, strict_day, arrival_time, on_date))

    def ranked(self, origin: Place | None = None, destination: Place | None = None,
               weekday: int | None = None, today: date | None = None, strict_day: bool = True,
               arrival_time: time | None = None, on_date: date | None = None) -> Ranked:
        """`match`, as a sequence that makes its Match objects only when they are read."""
        today = today or date.today()
        key = (origin, destination, weekday, today, strict_day, arrival_time, on_date)
        with self._lock:
            if key in self._results:
                self._results.move_to_end(key)
                return self._results[key]
            if key in self._whole_board:
                return self._whole_board[key]
        found = self._search(*key)
        with self._lock:
            if origin is None and destination is None:
                # Few (a day or none) and the costliest: every listed trip comes back.
                self._whole_board[key] = found
            else:
                self._results[key] = found
                while len(self._results) > RESULTS_KEPT:
                    self._results.popitem(last=False)
        return found

    def _listed_on(self, today: date) -> tuple[date, list[Trip], dict[_Route, list[_Leg]]]:
        """The trips listed on this day, and each route's legs of those trips."""
        kept = self._listed
        if kept is None or kept[0] != today:
            listed = [is_listed(t, today) for t in self.trips]
            legs = {}
            for route in self._routes + self._every_leg:
                kept_legs = [leg for leg in route.legs if listed[leg.position]]
                if kept_legs:
                    legs[route] = kept_legs
            kept = self._listed = (today, [t for t, yes in zip(self.trips, listed) if yes], legs)
        return kept

    def _search(self, origin, destination, weekday, today, strict_day, arrival_time, on_date) -> Ranked:
        if on_date is not None and weekday is None:
            weekday = on_date.weekday()
        search = _Search(origin, destination, weekday, on_date, self.detour_factor, self.near_km,
                         arrival_time)
        listed_legs = self._listed_on(today)[2]
        best: dict[int, tuple] = {}  # board position -> (rank, position, route, leg, extra km, same day)
        points = [p for p in (origin, destination) if p is not None]
        for route in self._candidates(points):
            legs = listed_legs.get(route)
            if legs is None or not search.near_middle(route.middle, route.reach):
                continue  # near_middle: what _Search._could_fit says, from the route's own figures
            extra = None
            for leg in legs:
                if weekday is not None and not search.day_allows(leg.trip, strict_day):
                    continue
                if extra is None:
                    extra = search._detour(route.start, route.end, route.direct) if points else 0.0
                    if extra is None:
                        break
                same_day = weekday is not None and runs_on(leg.trip, weekday, on_date)
                found = (search.rank_of(route.start, route.end, leg.time, extra, same_day),
                         leg.position, route, leg, extra, same_day)
                other = best.get(leg.position)
                if other is None or _leg_preference(found) < _leg_preference(other):
                    best[leg.position] = found
        return Ranked(sorted(best.values()))

    def _candidates(self, points: list[Place]) -> list[_Route]:
        """Routes that may suit: without a place given, every outbound leg on its own."""
        if not points:
            return self._every_leg
        numbers = None
        for point in points:
            here = self._grid.get(_cell(point.latitude, point.longitude), set()) | self._everywhere
            numbers = here if numbers is None else numbers & here
        return [self._routes[n] for n in numbers]

    @staticmethod
    def _route(routes: dict, start: Place, end: Place) -> _Route:
        key = (start, end)
        if key not in routes:
            routes[key] = _Route(start, end, [])
        return routes[key]

    def _file(self, number: int, route: _Route) -> None:
        """File the route under every cell that the box `_roughly_within` accepts overlaps."""
        route.direct = distance_km(route.start, route.end)
        middle, route.reach = _leg_box(route.start, route.end, route.direct, self.detour_factor,
                                       self.near_km)
        route.middle = middle
        slack_km = route.reach * 1.02 + 1.0  # as in _roughly_within
        half_lat = slack_km / KM_PER_DEGREE * 1.001  # and a hair more against rounding
        widest = min(abs(middle[0]) + half_lat, 90.0)
        km_per_lon_degree = KM_PER_DEGREE * math.cos(math.radians(widest))
        if km_per_lon_degree < 1.0:
            self._everywhere.add(number)
            return
        half_lon = slack_km / km_per_lon_degree * 1.001
        low = _cell(middle[0] - half_lat, middle[1] - half_lon)
        high = _cell(middle[0] + half_lat, middle[1] + half_lon)
        for row in range(low[0], high[0] + 1):
            for column in range(low[1], high[1] + 1):
                self._grid.setdefault((row, column), set()).add(number)


def _leg_preference(found: tuple) -> tuple:
    """`_Search.leg_preference` of a (rank, position, route, leg, ...) tuple."""
    rank, leg = found[0], found[3]
    return (*rank[:3], leg.leg != OUTBOUND)


def _cell(latitude: float, longitude: float) -> tuple[int, int]:
    return math.floor(latitude / GRID_DEGREES), math.floor(longitude / GRID_DEGREES)
