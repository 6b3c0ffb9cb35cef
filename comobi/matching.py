"""Which drivers' trips suit a passenger: pure functions, no I/O.

A trip A→B (and its return leg B→A when it has a return time) suits a passenger
going O→D when the detour A→O→D→B is at most `detour_factor` × A→B, or when O is
within `near_km` of A and D within `near_km` of B. Distances are straight lines.
"""
from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, time

import numpy as np

from .models import PUBLISHED, Place, Trip
from .places import EARTH_RADIUS_KM, distance_km

__all__ = ["Match", "match_trips", "leg_suits", "TripIndex", "Ranked", "is_listed", "runs_on", "drive_minutes",
           "OUTBOUND", "RETURN", "DETOUR_FACTOR", "NEAR_KM", "TIME_WINDOW_MINUTES", "ROAD_SPEED_KMH", "ROAD_FACTOR"]

OUTBOUND = "aller"
RETURN = "retour"
DETOUR_FACTOR = 1.8
NEAR_KM = 5.0
TIME_WINDOW_MINUTES = 60
# The one speed of every time estimate (when a driver reaches a passenger, when the passenger
# arrives, the API's durations): an average on country roads, applied to the road distance,
# which is the straight line x `road_factor` (the setting tarif.road_factor, 1.3 by default).
ROAD_SPEED_KMH = 60.0
ROAD_FACTOR = 1.3
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


def leg_suits(path, direct, detour_factor, near_start, near_end):
    """The one detour rule, on numbers or numpy arrays alike: a leg A→B suits a passenger
    picked up at P and dropped at D when the path A→P→D→B is at most `detour_factor` × A→B,
    or, whatever the detour, when P is near A and D near B. Used by the search, the index
    and the API (comobi.interop.rides)."""
    return (near_start & near_end) | (path <= detour_factor * direct)


def match_trips(trips: Iterable[Trip], origin: Place | None = None, destination: Place | None = None,
                weekday: int | None = None, today: date | None = None, detour_factor: float = DETOUR_FACTOR,
                near_km: float = NEAR_KM, strict_day: bool = True, arrival_time: time | None = None,
                on_date: date | None = None, road_factor: float = ROAD_FACTOR) -> list[Match]:
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
    search = _Search(origin, destination, weekday, on_date, detour_factor, near_km, arrival_time, road_factor)
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
    road_factor: float
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
        if leg_suits(path, direct, self.detour_factor, to_pickup <= near_km, to_end <= near_km):
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
        """Cheap pre-filter: a suitable point lies within `reach` of the leg's middle
        (half the allowed path, or half the leg plus near_km)."""
        reach = max(self.detour_factor * direct, direct + 2 * self.near_km) / 2
        middle = ((start.latitude + end.latitude) / 2, (start.longitude + end.longitude) / 2)
        return all(place is None or _roughly_within(place, middle, reach) for place in (self.origin, self.destination))

    def _in_time_window(self, departure: Place, arrival: Place, when: time | None) -> bool:
        if when is None or self.arrival_time is None:
            return False
        drop = self.destination or arrival
        pickup = self.origin or departure
        return _arrives_in_window(when, self._km(departure, pickup) + self._km(pickup, drop),
                                  self.arrival_time, self.road_factor)


def _roughly_within(place: Place, centre: tuple[float, float], km: float) -> bool:
    """Bounding-box test in degrees, with slack so it never rejects a point truly within."""
    slack_km = km * 1.02 + 1.0
    if abs(place.latitude - centre[0]) * KM_PER_DEGREE > slack_km:
        return False
    widest = max(abs(place.latitude), abs(centre[0]))
    km_per_lon_degree = KM_PER_DEGREE * math.cos(math.radians(widest))
    return abs(place.longitude - centre[1]) * km_per_lon_degree <= slack_km


def drive_minutes(straight_km, road_factor: float = ROAD_FACTOR):
    """Minutes to drive a straight-line distance (a number or an array) by road."""
    return straight_km * road_factor / ROAD_SPEED_KMH * 60


def _arrives_in_window(when: time | None, km: float, arrival_time: time, road_factor: float) -> bool:
    """Whether a driver leaving at `when` and driving `km` (to the passenger's stop)
    arrives within the hour around the passenger's arrival time."""
    if when is None:
        return False
    arrives = _minutes(when) + drive_minutes(km, road_factor)
    return abs(arrives - _minutes(arrival_time)) <= TIME_WINDOW_MINUTES


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


# --- the same search, over every trip at once (numpy) -------------------------

RESULTS_KEPT = 32  # recent searches whose answers an index keeps
NO_TIME = 86_400_000_000  # microseconds: after every time of day, as `time.max` in `_Search.rank`
DIAMETER_KM = 2 * EARTH_RADIUS_KM


class Ranked(Sequence):
    """A search's answer, best first, as arrays (trip position, return leg, detour, same day):
    a `Match` is made when an item is read, so a page of 20 out of 1,000 answers makes 20."""

    def __init__(self, trips: list[Trip], positions, back, extra, same_day):
        self._trips, self._positions, self._back, self._extra, self._same_day = (
            trips, positions, back, extra, same_day)

    def __len__(self) -> int:
        return len(self._positions)

    def __getitem__(self, item):
        if isinstance(item, slice):
            return [self._match(n) for n in range(len(self))[item]]
        return self._match(range(len(self))[item])

    def without(self, other: Ranked) -> Ranked:
        """These answers less the trip legs that `other` holds, in order."""
        keep = ~np.isin(self._positions * 2 + self._back, other._positions * 2 + other._back)
        return Ranked(self._trips, self._positions[keep], self._back[keep], self._extra[keep],
                      self._same_day[keep])

    def _match(self, n: int) -> Match:
        trip, back = self._trips[self._positions[n]], bool(self._back[n])
        start, end = (trip.destination, trip.origin) if back else (trip.origin, trip.destination)
        return Match(trip, RETURN if back else OUTBOUND, start, end,
                     trip.return_time if back else trip.outbound_time, float(self._extra[n]),
                     bool(self._same_day[n]))


class TripIndex:
    """The trips of one board as arrays: `match` answers exactly what `match_trips` answers,
    by the same arithmetic in the same order, on every trip at once. Recent answers are
    kept: the board never changes under an index (a new read of the sheet makes a new one)."""

    def __init__(self, trips: Iterable[Trip], detour_factor: float = DETOUR_FACTOR,
                 near_km: float = NEAR_KM, road_factor: float = ROAD_FACTOR):
        self.trips = list(trips)
        self.detour_factor, self.near_km, self.road_factor = detour_factor, near_km, road_factor
        numbers: dict[Place, int] = {}
        ends = [numbers.setdefault(p, len(numbers)) for t in self.trips for p in (t.origin, t.destination)]
        points = np.array([_radians(p) for p in numbers], dtype=float).reshape(-1, 3)
        self._lat, self._lon, self._cos = points.T
        start, end = np.array(ends[0::2], dtype=np.intp), np.array(ends[1::2], dtype=np.intp)
        self._start, self._end, self._direct = start, end, self._between(start, end)
        degrees = np.array([(p.latitude, p.longitude) for p in numbers], dtype=float).reshape(-1, 2)
        self._mid_lat, self._mid_lon = ((degrees[start] + degrees[end]) / 2).T  # `_could_fit`
        self._slack = np.maximum(detour_factor * self._direct, self._direct + 2 * near_km) / 2 * 1.02 + 1.0
        self._mid_abs = np.abs(self._mid_lat)
        self._mid_km_lon = np.array([KM_PER_DEGREE * math.cos(math.radians(a)) for a in self._mid_abs.tolist()])
        self._has_return = np.array([t.return_time is not None for t in self.trips], dtype=bool)
        legs = [[t.outbound_time for t in self.trips], [t.return_time for t in self.trips]]
        self._clock = [np.array([_clock(w) for w in leg], dtype=np.int64) for leg in legs]
        self._minutes = [np.array([np.nan if w is None else _minutes(w) for w in leg], dtype=float) for leg in legs]
        self._days = np.array([sum(1 << d for d in t.days) for t in self.trips], dtype=np.int64)
        self._date = np.array([t.date.toordinal() if t.date else -1 for t in self.trips], dtype=np.int64)
        self._date_weekday = np.array([t.date.weekday() if t.date else -1 for t in self.trips], dtype=np.int64)
        self._listed: tuple[date, np.ndarray] | None = None
        self._results: OrderedDict[tuple, Ranked] = OrderedDict()
        self._lock = threading.Lock()

    def listed(self, today: date) -> list[Trip]:
        """The trips `is_listed` keeps on this day."""
        return [self.trips[n] for n in np.flatnonzero(self._listed_on(today))]

    def match(self, *args, **kwargs) -> list[Match]:
        """Like `match_trips(self.trips, ...)` with the index's settings (arguments of `ranked`)."""
        return list(self.ranked(*args, **kwargs))

    def ranked(self, origin: Place | None = None, destination: Place | None = None, weekday: int | None = None,
               today: date | None = None, strict_day: bool = True, arrival_time: time | None = None,
               on_date: date | None = None) -> Ranked:
        """`match`, as a sequence that makes its Match objects only when they are read."""
        key = (origin, destination, weekday, today or date.today(), strict_day, arrival_time, on_date)
        with self._lock:
            if key in self._results:
                self._results.move_to_end(key)
                return self._results[key]
        found = self._search(*key)
        with self._lock:
            self._results[key] = found
            while len(self._results) > RESULTS_KEPT:
                self._results.popitem(last=False)
        return found

    def by_place(self, places: Iterable[Place], today: date) -> dict[Place, tuple[Ranked, Ranked]]:
        """For each place, (`ranked(origin=place)`, `ranked(destination=place)`) on this day,
        measured once; these answers are not kept among the recent ones."""
        answers: dict[Place, tuple[Ranked, Ranked]] = {}
        for place in places:
            if place not in answers:
                to = self._distances(place)
                answers[place] = (self._search(place, None, None, today, True, None, None, to, None),
                                  self._search(None, place, None, today, True, None, None, None, to))
        return answers

    def _listed_on(self, today: date) -> np.ndarray:
        kept = self._listed
        if kept is None or kept[0] != today:
            kept = self._listed = (today, np.array([is_listed(t, today) for t in self.trips], dtype=bool))
        return kept[1]

    def _search(self, origin, destination, weekday, today, strict_day, arrival_time, on_date,
                from_origin=None, to_destination=None) -> Ranked:
        """`match_trips`: which legs suit (`_Search.day_allows`, `_could_fit`, `_detour`), then `_rank`."""
        if on_date is not None and weekday is None:
            weekday = on_date.weekday()
        keep = self._listed_on(today).copy()
        same_day = np.zeros(len(self.trips), dtype=bool)
        if weekday is not None:  # `runs_on`
            has_date = self._date >= 0
            on = self._date == on_date.toordinal() if on_date else self._date_weekday == weekday
            same_day = np.where(has_date, on, (self._days >> weekday) & 1 == 1)
            if strict_day:
                keep &= same_day | (~has_date & (self._days == 0))
        for place in (origin, destination):
            if place is not None:
                keep &= self._in_box(place)
        found = np.flatnonzero(keep)
        if origin is None and destination is None:  # every outbound leg, no detour
            zero = np.zeros(len(found))
            legs = [(zero, self._direct[found], np.ones(len(found), dtype=bool)),
                    (zero, zero, np.zeros(len(found), dtype=bool))]
        else:
            if origin is not None and from_origin is None:
                from_origin = self._distances(origin)
            if destination is not None and to_destination is None:
                to_destination = self._distances(destination)
            ride = distance_km(origin, destination) if origin is not None and destination is not None else None
            start, end = self._start[found], self._end[found]
            legs = [self._detours(start, end, found, from_origin, to_destination, ride),
                    self._detours(end, start, found, from_origin, to_destination, ride, self._has_return[found])]
        return self._rank(found, legs, same_day[found], weekday is not None, arrival_time)

    def _detours(self, start, end, found, from_origin, to_destination, ride, exists=True) -> tuple:
        """`_Search._detour` on legs start → end: (extra km, km to the passenger's stop, suits)."""
        zero, near = np.zeros(len(found)), self.near_km
        to_pickup = from_origin[start] if from_origin is not None else zero
        to_end = to_destination[end] if to_destination is not None else zero
        if ride is None:  # one end given: the other is the driver's own
            ride = from_origin[end] if from_origin is not None else to_destination[start]
        path = to_pickup + ride + to_end
        suits = exists & leg_suits(path, self._direct[found], self.detour_factor, to_pickup <= near, to_end <= near)
        if to_destination is None:
            suits &= ~((ride <= near) & (near < to_pickup))
        if from_origin is None:
            suits &= ~((ride <= near) & (near < to_end))
        return np.maximum(0.0, path - self._direct[found]), to_pickup + ride, suits

    def _rank(self, found, legs, same_day, other_days: bool, arrival_time: time | None) -> Ranked:
        """Each trip's better leg (`_Search.leg_preference`), best first (`_Search.rank`, then
        the board's order)."""
        keys = []
        for back, (extra, km, suits) in enumerate(legs):
            off = np.zeros(len(found), dtype=bool)
            if arrival_time is not None:  # `_arrives_in_window`; no time (NaN) is never in it
                arrives = self._minutes[back][found] + drive_minutes(km, self.road_factor)
                off = ~(np.abs(arrives - _minutes(arrival_time)) <= TIME_WINDOW_MINUTES)
            keys.append((suits, off, np.rint(extra), extra))
        (out, out_off, out_km, out_extra), (ret, ret_off, ret_km, ret_extra) = keys
        back = ret & (~out | (ret_off < out_off) | ((ret_off == out_off) & (ret_km < out_km)))
        some = np.flatnonzero(out | ret)
        back, chosen = back[some], found[some]
        off = np.where(back, ret_off[some], out_off[some])
        whole_km = np.where(back, ret_km[some], out_km[some])
        leaves = np.where(back, self._clock[1][chosen], self._clock[0][chosen])
        other_day = ~same_day[some] if other_days else np.zeros(len(some), dtype=bool)
        order = np.lexsort((chosen, leaves, whole_km, off, other_day))
        extra = np.where(back, ret_extra[some], out_extra[some])
        return Ranked(self.trips, chosen[order], back[order], extra[order], (same_day[some] & other_days)[order])

    def _in_box(self, place: Place) -> np.ndarray:
        """`_roughly_within(place, middle, reach)` for every trip's legs (the same box both ways)."""
        inside = ~(np.abs(place.latitude - self._mid_lat) * KM_PER_DEGREE > self._slack)
        here = abs(place.latitude)
        km_lon = np.where(here > self._mid_abs, KM_PER_DEGREE * math.cos(math.radians(here)), self._mid_km_lon)
        return inside & (np.abs(place.longitude - self._mid_lon) * km_lon <= self._slack)

    def _distances(self, place: Place) -> np.ndarray:
        """`distance_km` from a place to every place of the index, by number."""
        return self._between(point=_radians(place))

    def _between(self, a=None, b=None, point=None) -> np.ndarray:
        """`distance_km` between the places numbered a and b, or from `point` to every place,
        term by term as it computes (sin and asin from `math`: numpy's may differ in the last
        bit on some CPUs; sums, products and sqrt are exact in both)."""
        lat1, lon1, cos1 = point if point else (self._lat[a], self._lon[a], self._cos[a])
        lat2, lon2, cos2 = (self._lat, self._lon, self._cos) if point else (self._lat[b], self._lon[b], self._cos[b])
        half_lat, half_lon = _each(math.sin, (lat2 - lat1) / 2), _each(math.sin, (lon2 - lon1) / 2)
        h = half_lat * half_lat + cos1 * cos2 * half_lon * half_lon
        return DIAMETER_KM * _each(math.asin, np.sqrt(h))


def _each(function, values: np.ndarray) -> np.ndarray:
    return np.fromiter(map(function, values.tolist()), float, len(values))


def _radians(place: Place) -> tuple[float, float, float]:
    """A place as `distance_km` measures it: latitude and longitude in radians, cosine of the latitude."""
    latitude = math.radians(place.latitude)
    return latitude, math.radians(place.longitude), math.cos(latitude)


def _clock(when: time | None) -> int:
    """A time of day in microseconds, for sorting (after every time when unknown)."""
    if when is None:
        return NO_TIME
    return ((when.hour * 60 + when.minute) * 60 + when.second) * 1_000_000 + when.microsecond
