"""Which drivers' trips suit a passenger: pure functions, no I/O.

A trip A→B (and its return leg B→A when it has a return time) suits a passenger
going O→D when the detour A→O→D→B is at most `detour_factor` × A→B, or when O is
within `near_km` of A and D within `near_km` of B. Distances are straight lines.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, time
from typing import Iterable

from .models import PUBLISHED, Place, Trip
from .places import distance_km

__all__ = ["Match", "match_trips", "is_listed", "runs_on", "OUTBOUND", "RETURN",
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
    found = []
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
        off_time = self.arrival_time is not None and not self._in_time_window(match)
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
        direct = distance_km(start, end)
        if not self._could_fit(start, end, direct) or self._rides_nowhere(start, end):
            return None
        pickup = self.origin or start
        drop = self.destination or end
        to_pickup, to_end = distance_km(start, pickup), distance_km(drop, end)
        path = to_pickup + distance_km(pickup, drop) + to_end
        # An end the passenger did not give is the driver's own: 0 km away.
        near_ends = to_pickup <= self.near_km and to_end <= self.near_km
        if path <= self.detour_factor * direct or near_ends:
            return max(0.0, path - direct)
        return None

    def _rides_nowhere(self, start: Place, end: Place) -> bool:
        """With one end given, boarding where the driver stops (or leaving where the
        driver starts) is no ride, unless the leg is short enough to be near both."""
        def near(a: Place, b: Place) -> bool:
            return distance_km(a, b) <= self.near_km

        if self.destination is None:
            return near(self.origin, end) and not near(self.origin, start)
        if self.origin is None:
            return near(self.destination, start) and not near(self.destination, end)
        return False

    def _could_fit(self, start: Place, end: Place, direct: float) -> bool:
        """Cheap pre-filter: a suitable point lies within `reach` of the leg's middle
        (half the allowed path, or half the leg plus near_km)."""
        reach = max(self.detour_factor * direct, direct + 2 * self.near_km) / 2
        middle = ((start.latitude + end.latitude) / 2, (start.longitude + end.longitude) / 2)
        points = [p for p in (self.origin, self.destination) if p is not None]
        return all(_roughly_within(p, middle, reach) for p in points)

    def _in_time_window(self, match: Match) -> bool:
        if match.time is None or self.arrival_time is None:
            return False
        drop = self.destination or match.arrival
        pickup = self.origin or match.departure
        km = distance_km(match.departure, pickup) + distance_km(pickup, drop)
        arrives = _minutes(match.time) + km / CROW_FLIES_KMH * 60
        return abs(arrives - _minutes(self.arrival_time)) <= TIME_WINDOW_MINUTES


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
