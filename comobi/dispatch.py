"""The clerk's follow-up of ride requests: which are open, which drivers suit each one,
and which requests could share a car. Pure functions, no I/O."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from comobi import matching
from comobi.matching import Match
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

    @property
    def trip(self) -> Trip:
        return self.match.trip


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


def candidates(request: RideRequest, trips: list[Trip], today: date, detour_factor: float = matching.DETOUR_FACTOR,
               near_km: float = matching.NEAR_KM, tariff: Tariff | None = None) -> list[Candidate]:
    """Trips that suit the request, ranked by the matching rule (same day, time window, detour).

    A request on several regular days is matched day by day; a trip keeps its best place,
    and trips that run on one of the days come before the others.
    """
    if request.origin is None or request.destination is None:
        return []
    search = dict(origin=request.origin, destination=request.destination, today=today, strict_day=False,
                  detour_factor=detour_factor, near_km=near_km, arrival_time=request.arrival_time)
    if request.date is not None:
        ranked = matching.match_trips(trips, on_date=request.date, **search)
    elif request.days:
        ranked = _best_over_days(trips, sorted(request.days), search)
    else:
        ranked = matching.match_trips(trips, **search)
    ride_km = distance_km(request.origin, request.destination)
    estimate = tariff.estimate(ride_km) if tariff else None
    return [Candidate(m, ride_km, estimate) for m in ranked]


def _best_over_days(trips: list[Trip], days: list[int], search: dict) -> list[Match]:
    best: dict[str, tuple[tuple, Match]] = {}
    for day in days:
        for position, found in enumerate(matching.match_trips(trips, weekday=day, **search)):
            key = (not found.same_day, position)
            if found.trip.id not in best or key < best[found.trip.id][0]:
                best[found.trip.id] = (key, found)
    return [m for _, m in sorted(best.values(), key=lambda pair: pair[0])]


def groups(requests: Iterable[RideRequest]) -> list[Group]:
    """Requests sharing a destination and a day (the same date, or the same regular days),
    in the order of their first request."""
    found: dict[tuple, Group] = {}
    for request in requests:
        name = request.destination.name if request.destination else request.destination_name
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
            suited.setdefault(candidate.trip.id, []).append(request)
            trips[candidate.trip.id] = candidate.trip
    shared = [SharedTrip(trips[i], tuple(rs)) for i, rs in suited.items() if len(rs) > 1]
    return sorted(shared, key=lambda s: -len(s.requests))

