"""Which drivers' trips suit a passenger: pure functions, no I/O.

A trip A→B (and its return leg B→A when it has a return time) suits a passenger
going O→D when the detour A→O→D→B is at most `detour_factor` × A→B, or when O is
within `near_km` of A and D within `near_km` of B. Distances are straight lines.
"""
from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from operator import itemgetter
from typing import NamedTuple

from .models import PUBLISHED, Place, Trip
from .places import EARTH_RADIUS_KM, distance_km

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
        other_day = self.weekday is not None and not match.same_day
        off_time = self.arrival_time is not None and not self._in_time_window(
            match.departure, match.arrival, match.time)
        leaves = match.time if match.time is not None else time.max
        # Whole kilometres: a few hundred metres more should not beat an earlier time.
        return (other_day, off_time, round(match.extra_km), leaves)

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
        return _arrives_in_window(when, self._km(departure, pickup) + self._km(pickup, drop),
                                  self.arrival_time)


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


def _arrives_in_window(when: time | None, km: float, arrival_time: time) -> bool:
    """Whether a driver leaving at `when` and driving `km` (to the passenger's stop)
    arrives within the hour around the passenger's arrival time."""
    if when is None:
        return False
    arrives = _minutes(when) + km / CROW_FLIES_KMH * 60
    return abs(arrives - _minutes(arrival_time)) <= TIME_WINDOW_MINUTES


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


# --- the same search, fast over thousands of trips ----------------------------

GRID_DEGREES = 0.1  # grid cell side, about 11 km north-south and 8 km east-west in France
MOST_CELLS = 10_000  # a link whose box spans more (~1,000 km across) is looked at by every search
RESULTS_KEPT = 32  # recent searches whose answers an index keeps
OTHER_DAY, OFF_TIME = 2, 1  # flags of a leg's rank: what `_Search.rank` puts first
A_SIDE, B_SIDE = 1, 2  # where a place lies for a link's legs, see `TripIndex._around`
DIAMETER_KM = 2 * EARTH_RADIUS_KM


class _Leg:
    """One leg of one trip, as an index ranks it."""

    __slots__ = ("position", "trip", "leg", "start", "end", "time", "order", "link")

    def __init__(self, position: int, trip: Trip, leg: str, start: Place, end: Place, when: time | None):
        self.position = position  # the trip's place in the board: ties keep the board's order
        self.trip, self.leg, self.start, self.end, self.time = trip, leg, start, end, when
        self.order = 0  # among all legs, by time of day then board position
        self.link = 0  # number of the leg's link


class _Link(NamedTuple):
    """Two places that legs join, one way or the other, with what `_Search._detour` and
    `_roughly_within` need: the same both ways (distances, sums and the middle are)."""

    a: int  # place numbers in the index
    b: int
    direct: float
    allowed: float  # longest path: detour factor x direct
    box: tuple[float, float, float, float, float]  # see `_in_box`
    inside: tuple[float, float, float, float]  # south, north, west, east: the box surely holds these


class _Day(NamedTuple):
    """What an index lists on one day."""

    today: date
    trips: list[Trip]
    legs: list[tuple[list[_Leg], list[_Leg]] | None]  # by link: listed legs a→b, b→a; None: none
    # By link (None: no listed leg), then by sides (see `_around`): the orders of the legs
    # to take from the place and of those to take to it, see `_orders_by_side`.
    orders: list[tuple | None]
    outbound: list[_Leg]  # the outbound legs of listed trips, in board order
    cells: dict[tuple[int, int], tuple[list[int], list[int], set[int]]]  # see `TripIndex._near_cell`


class Ranked(Sequence):
    """A search's answer, best first: its legs' orders (a flat list of the ints the index
    keeps), and how to find a leg's detour and whether it runs on the day asked. A `Match`
    is made when an item is read, so a page of 20 out of 1,000 answers makes 20."""

    def __init__(self, orders: list[int], extra_of: Callable[[int], float],
                 same_day_of: Callable[[int], bool], legs: list[_Leg]):
        self._orders = orders
        self._extra_of, self._same_day_of, self._legs = extra_of, same_day_of, legs

    def __len__(self) -> int:
        return len(self._orders)

    def __getitem__(self, item):
        if isinstance(item, slice):
            return [self._match(order) for order in self._orders[item]]
        return self._match(self._orders[item])

    def without(self, other: Ranked) -> Ranked:
        """These answers less the trip legs that `other` (from the same index) holds, in order."""
        taken = set(other._orders)
        return Ranked([order for order in self._orders if order not in taken], self._extra_of,
                      self._same_day_of, self._legs)

    def _match(self, order: int) -> Match:
        leg = self._legs[order]
        return Match(leg.trip, leg.leg, leg.start, leg.end, leg.time, self._extra_of(order),
                     self._same_day_of(order))


class TripIndex:
    """The trips of one board, arranged so that a search looks only at nearby legs.

    `match` answers exactly what `match_trips` answers for the same trips and settings.
    Legs are grouped by link (the two places they join, either way: a trip's two legs
    share one), and every link is filed under the grid cells of the box that
    `_Search._could_fit` checks, so a search looks at the links of one or two cells
    instead of every leg; for a search with one end given, only at those of its cell that
    may suit some point of the cell that day (`_near_cell`). The distances from a place
    the passenger gave to the ends of those links are measured once per search, into a
    list by place number; the rules of `_Search._detour` are then a few comparisons per
    link. Answers are kept (recent ones, and those without a place): the board never
    changes under an index (a new read of the sheet makes a new board, hence a new index).
    """

    def __init__(self, trips: Iterable[Trip], detour_factor: float = DETOUR_FACTOR,
                 near_km: float = NEAR_KM):
        self.trips = list(trips)
        self.detour_factor, self.near_km = detour_factor, near_km
        self._outbound = [_Leg(n, t, OUTBOUND, t.origin, t.destination, t.outbound_time)
                          for n, t in enumerate(self.trips)]
        returns = [_Leg(n, t, RETURN, t.destination, t.origin, t.return_time)
                   for n, t in enumerate(self.trips) if t.return_time is not None]
        self._legs = sorted(self._outbound + returns, key=_time_then_position)  # by order
        for order, leg in enumerate(self._legs):
            leg.order = order
        self._place_numbers: dict[Place, int] = {}
        self._points: list[tuple[float, float, float]] = []  # by place number, see `_point`
        self._links: list[_Link] = []
        self._link_legs: list[tuple[list[_Leg], list[_Leg]]] = []  # by link: legs a→b, b→a
        self._grid: dict[tuple[int, int], set[int]] = {}  # cell -> link numbers
        self._everywhere: set[int] = set()  # links whose box is too wide to file (long, or near a pole)
        numbers: dict[tuple[int, int], int] = {}
        for leg in self._legs:
            start, end = self._place_number(leg.start), self._place_number(leg.end)
            ends = (min(start, end), max(start, end))
            if ends not in numbers:
                numbers[ends] = self._add_link(leg.start, leg.end, *ends)
            leg.link = numbers[ends]
            self._link_legs[leg.link][start != ends[0]].append(leg)
        self._link_of_order = [leg.link for leg in self._legs]
        self._results: OrderedDict[tuple, Ranked] = OrderedDict()
        self._whole_board: dict[tuple, Ranked] = {}
        self._listed: _Day | None = None
        self._lock = threading.Lock()

    def listed(self, today: date) -> list[Trip]:
        """The trips `is_listed` keeps on this day."""
        return list(self._listed_on(today).trips)

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

    def by_place(self, places: Iterable[Place], today: date) -> dict[Place, tuple[Ranked, Ranked]]:
        """For each place, `(ranked(origin=place, today=today), ranked(destination=place,
        today=today))`, both from one look at the links near the place. For pages that
        list every commune; these answers are not kept among the recent ones."""
        day = self._listed_on(today)
        answers: dict[Place, tuple[Ranked, Ranked]] = {}
        for place in places:
            if place not in answers:
                answers[place] = self._rank_around(self._around(place, day), day)
        return answers

    def _listed_on(self, today: date) -> _Day:
        kept = self._listed
        if kept is None or kept.today != today:
            listed = [is_listed(t, today) for t in self.trips]
            legs, orders = [], []
            for forward, backward in self._link_legs:
                forward = [leg for leg in forward if listed[leg.position]]
                backward = [leg for leg in backward if listed[leg.position]]
                legs.append((forward, backward) if forward or backward else None)
                orders.append(_orders_by_side(forward, backward) if forward or backward else None)
            kept = self._listed = _Day(today, [t for t, yes in zip(self.trips, listed) if yes],
                                       legs, orders, [leg for leg in self._outbound if listed[leg.position]],
                                       {})
        return kept

    def _search(self, origin, destination, weekday, today, strict_day, arrival_time, on_date) -> Ranked:
        if on_date is not None and weekday is None:
            weekday = on_date.weekday()
        day = self._listed_on(today)
        if origin is None and destination is None:
            # No detour; the time window counts the leg's own length.
            found = [((leg,), 0.0, self._links[leg.link].direct) for leg in day.outbound]
        elif origin is None or destination is None:
            near = self._around(origin or destination, day)
            leaving = destination is None
            if weekday is None and arrival_time is None:
                from_place, to_place = self._rank_around(near, day, leaving, arriving=not leaving)
                return from_place if leaving else to_place
            found = _one_ended_legs(near, day, leaving)
        else:
            found = self._between(origin, destination, day)
        return self._rank(found, weekday, on_date, strict_day, arrival_time)

    def _around(self, place: Place, day: _Day) -> list[tuple[int, float, int, float, float]]:
        """The links with legs that suit a passenger leaving from `place` or going to it:
        (link number, extra km, sides, km from the place to a, to b).

        `_Search._detour` with one end given: the end the passenger did not give is the
        driver's own, so each leg's path is the place's distance to the leg's start plus
        its distance to the leg's end, the same both ways. On the "a side" (near a or on
        the way, but not a mere stop near b) a passenger may leave on legs a→b and arrive
        on legs b→a; on the "b side", the other way round. `sides`: A_SIDE, B_SIDE or both.
        """
        numbers, ends, unsure = self._near_cell(_cell(place.latitude, place.longitude), day)
        to = _distances(place, ends, self._points)
        links, near, found = self._links, self.near_km, []
        for number in numbers:
            a, b, direct, allowed, box, _ = links[number]
            to_a, to_b = to[a], to[b]
            path = to_a + to_b
            fits = path <= allowed
            # Boarding near where the driver stops (or leaving near where the driver starts)
            # is no ride, unless the place is near both.
            a_side = (fits or to_a <= near) and not to_b <= near < to_a
            b_side = (fits or to_b <= near) and not to_a <= near < to_b
            if not (a_side or b_side) or (number in unsure and not _in_box(place, box)):
                continue
            found.append((number, path - direct if path > direct else 0.0,
                          a_side * A_SIDE + b_side * B_SIDE, to_a, to_b))
        return found

    def _rank_around(self, near: list[tuple], day: _Day, leaving: bool = True,
                     arriving: bool = True) -> tuple[Ranked | None, Ranked | None]:
        """`_rank` of `_around`'s links, for a search from the place and one to it, with no
        day and no time: each trip's legs are chosen by `_orders_by_side`, ranked by whole
        km of detour, then by order."""
        from_place: list[list[int]] = []  # by whole km of detour: leg orders
        to_place: list[list[int]] = []
        extras: dict[int, float] = {}  # link -> extra km
        orders = day.orders
        for number, extra, sides, _, _ in near:
            from_orders, to_orders = orders[number][sides]
            whole_km = round(extra)
            while len(from_place) <= whole_km:
                from_place.append([])
                to_place.append([])
            from_place[whole_km] += from_orders
            to_place[whole_km] += to_orders
            extras[number] = extra
        return (self._ranked_orders(from_place, extras) if leaving else None,
                self._ranked_orders(to_place, extras) if arriving else None)

    def _ranked_orders(self, by_km: list[list[int]], extras: dict[int, float]) -> Ranked:
        ordered: list[int] = []
        for orders in by_km:  # lists of this search's own
            if orders:
                orders.sort()
                ordered += orders
        link_of_order = self._link_of_order
        return Ranked(ordered, lambda order: extras[link_of_order[order]], _never, self._legs)

    def _between(self, origin: Place, destination: Place, day: _Day) -> list:
        """Legs suiting a passenger going from `origin` to `destination`, as `_rank` takes them.
        Their links are kept for both places' cells (`_near_cell`): a path through both
        places is no shorter than through one of them (triangle inequality)."""
        from_cell, _, unsure_from = self._near_cell(_cell(origin.latitude, origin.longitude), day)
        to_cell, _, unsure_to = self._near_cell(_cell(destination.latitude, destination.longitude), day)
        numbers = set(from_cell).intersection(to_cell)
        links = self._links
        ends = _ends(links, numbers)
        from_origin = _distances(origin, ends, self._points)
        to_destination = _distances(destination, ends, self._points)
        ride = distance_km(origin, destination)
        near, found = self.near_km, []
        for number in numbers:
            a, b, direct, allowed, box, _ = links[number]
            suiting = []
            for legs, start, end in zip(day.legs[number], (a, b), (b, a)):
                to_pickup, to_end = from_origin[start], to_destination[end]
                path = to_pickup + ride + to_end
                if legs and (path <= allowed or (to_pickup <= near and to_end <= near)):
                    suiting.append((legs, max(0.0, path - direct), to_pickup + ride))
            if suiting and (number not in unsure_from or _in_box(origin, box)) and (
                    number not in unsure_to or _in_box(destination, box)):
                found += suiting
        return found

    def _rank(self, found: list[tuple[Sequence[_Leg], float, float]], weekday: int | None = None,
              on_date: date | None = None, strict_day: bool = True,
              arrival_time: time | None = None) -> Ranked:
        """Each trip's best leg among those found as (legs, extra km, km to the passenger's
        stop), best first: `_Search.rank` (then the board's order, which the leg's order
        follows after its time) and `_Search.leg_preference`."""
        checks = weekday is not None or arrival_time is not None
        best: dict[int, tuple[int, int, int]] = {}  # board position -> (flags, whole km, order)
        extras: dict[int, float] = {}  # order -> extra km
        for legs, extra, km in found:
            whole_km = round(extra)
            for leg in legs:
                flags = _flags(leg, km, weekday, on_date, strict_day, arrival_time) if checks else 0
                if flags is None:
                    continue
                rank = (flags, whole_km, leg.order)
                other = best.setdefault(leg.position, rank)
                if other is not rank:  # the trip's other leg came first
                    if (flags, whole_km, leg.leg != OUTBOUND) >= (
                            other[0], other[1], self._legs[other[2]].leg != OUTBOUND):
                        continue
                    best[leg.position] = rank
                extras[leg.order] = extra
        ranks = sorted(best.values())
        same_day = {order for flags, _, order in ranks if not flags & OTHER_DAY}
        return Ranked([order for _, _, order in ranks], extras.__getitem__,
                      same_day.__contains__ if weekday is not None else _never, self._legs)

    def _near_cell(self, cell: tuple[int, int], day: _Day) -> tuple[list[int], list[int], set[int]]:
        """The links that may suit a passenger leaving from or going to a place of this cell
        on this day, the numbers of the places they join, and those of the links whose box
        does not surely hold the whole cell. Kept for the day: the cell's links with listed
        legs, less those too far from every point of the cell (a point within `radius` of
        the cell's centre is at most `radius` km nearer to a link's ends than the centre)."""
        found = day.cells.get(cell)
        if found is None:
            links, near = self._links, self.near_km
            numbers = list(filter(day.legs.__getitem__, self._grid.get(cell, self._everywhere)))
            bounds = _cell_bounds(cell)
            centre, radius = _centre_and_radius(*bounds)
            to = _distances(centre, _ends(links, numbers), self._points)
            south, north, west, east = bounds
            kept, unsure = [], set()
            for number in numbers:
                a, b, _, allowed, _, inside = links[number]
                to_a, to_b = to[a] - radius, to[b] - radius
                if not (to_a + to_b <= allowed or to_a <= near or to_b <= near):
                    continue
                kept.append(number)
                inner_south, inner_north, inner_west, inner_east = inside
                if not (inner_south <= south and north <= inner_north and inner_west <= west
                        and east <= inner_east):
                    unsure.add(number)
            found = day.cells[cell] = (kept, _ends(links, kept), unsure)
        return found

    def _place_number(self, place: Place) -> int:
        number = self._place_numbers.get(place)
        if number is None:
            number = self._place_numbers[place] = len(self._points)
            self._points.append(_point(place))
        return number

    def _add_link(self, start: Place, end: Place, a: int, b: int) -> int:
        """Number a new link, and file it under every cell that the box `_roughly_within`
        accepts overlaps; every cell also holds the links filed everywhere."""
        number = len(self._links)
        direct = distance_km(start, end)
        middle, reach = _leg_box(start, end, direct, self.detour_factor, self.near_km)
        slack_km = reach * 1.02 + 1.0  # as in _roughly_within
        box = (middle[0], middle[1], slack_km, abs(middle[0]), _km_per_lon_degree(middle[0]))
        self._links.append(_Link(a, b, direct, self.detour_factor * direct, box, _inside(box)))
        self._link_legs.append(([], []))
        half_lat = slack_km / KM_PER_DEGREE * 1.001  # a hair more against rounding
        widest = min(abs(middle[0]) + half_lat, 90.0)
        km_per_lon_degree = KM_PER_DEGREE * math.cos(math.radians(widest))
        half_lon = slack_km / max(km_per_lon_degree, 1.0) * 1.001
        low = _cell(middle[0] - half_lat, middle[1] - half_lon)
        high = _cell(middle[0] + half_lat, middle[1] + half_lon)
        if km_per_lon_degree < 1.0 or (high[0] - low[0] + 1) * (high[1] - low[1] + 1) > MOST_CELLS:
            self._everywhere.add(number)
            for numbers in self._grid.values():
                numbers.add(number)
            return number
        for row in range(low[0], high[0] + 1):
            for column in range(low[1], high[1] + 1):
                self._grid.setdefault((row, column), set(self._everywhere)).add(number)
        return number


def _orders_by_side(forward: list[_Leg], backward: list[_Leg]) -> tuple:
    """For a passenger at a place on a link's a side, b side or both (see `_around`), the
    orders of the legs to take from the place and of those to take to it. On both sides,
    a trip's two legs suit with the same detour (one end given: the same path either way):
    the outbound one is kept, as `_Search.leg_preference` says."""
    forward_orders, backward_orders = [leg.order for leg in forward], [leg.order for leg in backward]
    outbound = [leg.order for leg in forward + backward if leg.leg == OUTBOUND]
    return (None, (forward_orders, backward_orders), (backward_orders, forward_orders),
            (outbound, outbound))


def _ends(links: list[_Link], numbers: Iterable[int]) -> list[int]:
    """The numbers of the places these links join."""
    chosen = list(map(links.__getitem__, numbers))
    return sorted(set(map(itemgetter(0), chosen)).union(map(itemgetter(1), chosen)))


def _cell_bounds(cell: tuple[int, int]) -> tuple[float, float, float, float]:
    """South, north, west and east of the points that `_cell` files in this cell, with a
    hair more for the rounding of its division."""
    south, west, hair = cell[0] * GRID_DEGREES, cell[1] * GRID_DEGREES, 1e-6
    return south - hair, south + GRID_DEGREES + hair, west - hair, west + GRID_DEGREES + hair


def _centre_and_radius(south: float, north: float, west: float, east: float) -> tuple[Place, float]:
    """The middle of these bounds, and a radius in km holding them: the farthest corner
    (a distance from a point grows along a meridian and along a parallel away from it)."""
    centre = Place("", "", (south + north) / 2, (west + east) / 2)
    corners = [(latitude, longitude) for latitude in (south, north) for longitude in (west, east)]
    return centre, max(distance_km(centre, corner) for corner in corners) * 1.001 + 0.001


def _inside(box: tuple[float, float, float, float, float]) -> tuple[float, float, float, float]:
    """South, north, west and east of points for which `_in_box` surely holds (with a margin
    for roundings): a degree of longitude is never longer there than at the box's middle."""
    box_latitude, box_longitude, slack_km, _, box_km_per_lon = box
    within = slack_km - 1e-6
    half_lat, half_lon = within / KM_PER_DEGREE, within / max(box_km_per_lon, 1e-9)
    return (box_latitude - half_lat, box_latitude + half_lat,
            box_longitude - half_lon, box_longitude + half_lon)


def _one_ended_legs(near: list[tuple], day: _Day, leaving: bool) -> list[tuple]:
    """`_around`'s links as `_rank` takes them: (legs, extra km, km to the passenger's stop)."""
    found = []
    for number, extra, sides, to_a, to_b in near:
        forward, backward = day.legs[number]
        path = to_a + to_b  # from the leg's start to the place to the leg's end, either way
        if sides & A_SIDE:
            found.append((forward, extra, path) if leaving else (backward, extra, to_b))
        if sides & B_SIDE:
            found.append((backward, extra, path) if leaving else (forward, extra, to_a))
    return found


def _never(_) -> bool:
    return False


def _flags(leg: _Leg, km: float, weekday: int | None, on_date: date | None, strict_day: bool,
           arrival_time: time | None) -> int | None:
    """A leg's OTHER_DAY and OFF_TIME flags (`_Search.rank`), or None when the day rules it out."""
    flags = 0
    if weekday is not None and not runs_on(leg.trip, weekday, on_date):
        if strict_day and (leg.trip.date is not None or leg.trip.days):
            return None  # known not to run that day: `_Search.day_allows`
        flags = OTHER_DAY
    if arrival_time is not None and not _arrives_in_window(leg.time, km, arrival_time):
        flags += OFF_TIME
    return flags


def _time_then_position(leg: _Leg) -> tuple:
    return (leg.time if leg.time is not None else time.max, leg.position, leg.leg != OUTBOUND)


def _point(place: Place) -> tuple[float, float, float]:
    """A place as `_distances` measures it: latitude and longitude in radians, cosine of the latitude."""
    latitude = math.radians(place.latitude)
    return latitude, math.radians(place.longitude), math.cos(latitude)


def _distances(place: Place, numbers: Iterable[int], points: list[tuple[float, float, float]]) -> list[float]:
    """`distance_km` from a place to the points of these numbers, in a list by number
    (0.0 for the others): the very arithmetic of `distance_km` (answers must not change
    by a rounding), with the place's half done once."""
    latitude, longitude, cosine = _point(place)
    sin, asin, sqrt = math.sin, math.asin, math.sqrt
    found = [0.0] * len(points)
    for number in numbers:
        other_latitude, other_longitude, other_cosine = points[number]
        found[number] = DIAMETER_KM * asin(sqrt(
            sin((other_latitude - latitude) / 2) ** 2
            + cosine * other_cosine * sin((other_longitude - longitude) / 2) ** 2))
    return found


def _km_per_lon_degree(latitude: float) -> float:
    return KM_PER_DEGREE * math.cos(math.radians(abs(latitude)))


def _in_box(place: Place, box: tuple[float, float, float, float, float]) -> bool:
    """`_roughly_within(place, middle, reach)`, from the figures a link keeps in `box`:
    the middle's latitude and longitude, the slack in km, the middle's absolute latitude
    and the km per degree of longitude there."""
    box_latitude, box_longitude, slack_km, box_abs_latitude, box_km_per_lon = box
    if abs(place.latitude - box_latitude) * KM_PER_DEGREE > slack_km:
        return False
    # A degree of longitude is counted at the wider of the two latitudes.
    wider_here = abs(place.latitude) > box_abs_latitude
    km_per_lon = _km_per_lon_degree(place.latitude) if wider_here else box_km_per_lon
    return abs(place.longitude - box_longitude) * km_per_lon <= slack_km


def _cell(latitude: float, longitude: float) -> tuple[int, int]:
    return math.floor(latitude / GRID_DEGREES), math.floor(longitude / GRID_DEGREES)
