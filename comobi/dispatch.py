"""The clerk's follow-up of ride requests: which are open, which drivers suit each one,
and which requests could share a car. Pure functions, no I/O."""
from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time

from comobi import matching
from comobi.matching import OUTBOUND, RETURN, TIME_WINDOW_MINUTES, Match
from comobi.models import ALERT_CHANNEL, REQUEST_IN_PROGRESS, REQUEST_NEW, RideRequest, Trip
from comobi.parsing import normalise_key
from comobi.places import distance_km
from comobi.tariff import Estimate, Tariff

OPEN_STATUSES = (REQUEST_NEW, REQUEST_IN_PROGRESS)
ALERT_KEY = normalise_key(ALERT_CHANNEL)


@dataclass(frozen=True)
class Candidate:
    """A driver's trip that suits a request, with what the passenger would ride."""

    match: Match
    ride_km: float | None  # straight km from the passenger's origin to destination
    estimate: Estimate | None  # suggested contribution, None when trips are free
    journey: str = OUTBOUND  # the passenger's way: OUTBOUND, or RETURN (from destination to origin)
    wanted: time | None = None  # the passenger's arrival (outbound) or departure (return) time
    expected: time | None = None  # the driver's estimated time there, None when the trip has no time

    @property
    def trip(self) -> Trip:
        return self.match.trip

    @property
    def time_fits(self) -> bool | None:
        """Within the hour of the wanted time; None when either time is unknown."""
        if self.wanted is None or self.expected is None:
            return None
        return _gap_minutes(self.expected, self.wanted) <= TIME_WINDOW_MINUTES

    def rank(self, days_asked: bool) -> tuple:
        """Right day first, then time: fits, unknown, then by how far off (half hours)."""
        fits = self.time_fits
        off = 0 if fits is not False else _gap_minutes(self.expected, self.wanted) // 30
        return (days_asked and not self.match.same_day, {True: 0, None: 1, False: 2}[fits], off)


@dataclass
class Group:
    """Open requests towards one destination on one day: one car may take several."""

    destination: str
    date: date | None
    days: frozenset[int]
    requests: list[RideRequest] = field(default_factory=list)


@dataclass(frozen=True)
class SharedTrip:
    """A trip that suits several requests of a group."""

    trip: Trip
    requests: tuple[RideRequest, ...]


def open_requests(requests: Iterable[RideRequest], today: date) -> list[RideRequest]:
    """Requests still to handle, soonest first: dated ones (past dates last), then regular ones."""
    # Alerts (Canal « alerte ») wait for a trip to appear, mailed by flask notify: not the clerk's to handle.
    waiting = [r for r in requests if r.status in OPEN_STATUSES and normalise_key(r.channel) != ALERT_KEY]
    return sorted(waiting, key=lambda r: _urgency(r, today))


def _urgency(request: RideRequest, today: date) -> tuple:
    if request.date is None:
        return (1, date.max, request.row)
    return (2 if request.date < today else 0, request.date, request.row)


def candidates(request: RideRequest, trips: list[Trip] | matching.TripIndex, today: date,
               detour_factor: float = matching.DETOUR_FACTOR, near_km: float = matching.NEAR_KM,
               tariff: Tariff | None = None, road_factor: float = matching.ROAD_FACTOR,
               journey: str = OUTBOUND) -> list[Candidate]:
    """Trips that suit the request (its return, from destination to origin, with RETURN),
    ranked: same day, then time (arrival wanted on the way there, departure on the way
    back, see `Candidate.rank`), then the matching rule's order (detour, time of day).
    `trips` may be a `TripIndex` (the same answers, with its own settings, much faster).

    A request on several regular days is matched day by day; a trip keeps its best place,
    and trips that run on one of the days come before the others.
    """
    if request.origin is None or request.destination is None:
        return []
    if journey == RETURN and request.return_time is None:
        return []
    start, end = (request.origin, request.destination) if journey == OUTBOUND else (
        request.destination, request.origin)
    search = dict(origin=start, destination=end, today=today, strict_day=False,
                  arrival_time=request.arrival_time if journey == OUTBOUND else None)
    if isinstance(trips, matching.TripIndex):
        match, road_factor = trips.match, trips.road_factor
    else:
        match = functools.partial(matching.match_trips, trips, detour_factor=detour_factor, near_km=near_km,
                                  road_factor=road_factor)
    if request.date is not None:
        ranked = match(on_date=request.date, **search)
    elif request.days:
        ranked = _best_over_days(match, sorted(request.days), search)
    else:
        ranked = match(**search)
    ride_km = distance_km(request.origin, request.destination)
    estimate = tariff.estimate(ride_km) if tariff else None
    wanted = request.arrival_time if journey == OUTBOUND else request.return_time
    found = [Candidate(m, ride_km, estimate, journey, wanted, _expected(m, start, end, journey, road_factor))
             for m in ranked]
    days_asked = request.date is not None or bool(request.days)
    return sorted(found, key=lambda c: c.rank(days_asked))


def _expected(found: Match, start, end, journey: str, road_factor: float) -> time | None:
    """When the driver reaches the passenger's destination (outbound) or picks the passenger
    up (return), driving from the leg's start at its time, at the matching rule's speed."""
    if found.time is None:
        return None
    km = distance_km(found.departure, start) + (distance_km(start, end) if journey == OUTBOUND else 0.0)
    minutes = round(found.time.hour * 60 + found.time.minute + matching.drive_minutes(km, road_factor))
    return time(minutes // 60 % 24, minutes % 60)


def _best_over_days(match, days: list[int], search: dict) -> list[Match]:
    best: dict[str, tuple[tuple, Match]] = {}
    for day in days:
        for position, found in enumerate(match(weekday=day, **search)):
            key = (not found.same_day, position)
            if found.trip.id not in best or key < best[found.trip.id][0]:
                best[found.trip.id] = (key, found)
    return [m for _, m in sorted(best.values(), key=lambda pair: pair[0])]


def _gap_minutes(a: time, b: time) -> int:
    return abs((a.hour * 60 + a.minute) - (b.hour * 60 + b.minute))


def groups(requests: Iterable[RideRequest]) -> list[Group]:
    """Requests sharing a destination and a day (the same date, or the same regular days),
    in the order of their first request."""
    found: dict[tuple, Group] = {}
    for request in requests:
        name = request.destination_text
        key = (normalise_key(name), request.date, request.days if request.date is None else frozenset())
        group = found.setdefault(key, Group(name, request.date, key[2]))
        group.requests.append(request)
    return list(found.values())


def shared_trips(group: Group, by_request: dict[str, list[Candidate]]) -> list[SharedTrip]:
    """Trips that suit two or more requests of the group, those suiting most first."""
    suited: dict[str, list[RideRequest]] = {}
    trips: dict[str, Trip] = {}
    for request in group.requests:
        for candidate in by_request.get(request.id, []):
            if candidate.journey != OUTBOUND:
                continue
            suited.setdefault(candidate.trip.id, []).append(request)
            trips[candidate.trip.id] = candidate.trip
    shared = [SharedTrip(trips[i], tuple(rs)) for i, rs in suited.items() if len(rs) > 1]
    return sorted(shared, key=lambda s: -len(s.requests))

