"""Activity figures for the territory, month by month: pure computation on a Board.

A request counts in the month it was received (``Date de la demande``). It is served when
its status is ``trouvée``; the km shared are the passenger's straight-line distance × the
road factor; the drivers active are those of the trips proposed to served requests.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from comobi import parsing
from comobi.french_dates import month_year
from comobi.models import REQUEST_FOUND, Board, RideRequest, Trip
from comobi.parsing import normalise_key
from comobi.places import distance_km

WEB, PHONE, OTHER = "web", "téléphone", "autre"
CHANNELS = (WEB, PHONE, OTHER)
_CHANNEL_KEYS = {"web": WEB, "internet": WEB, "formulaire": WEB, "site": WEB,
                 "telephone": PHONE, "tel": PHONE, "phone": PHONE, "appel": PHONE}


@dataclass
class Figures:
    """One month's activity (``month`` is its first day), or the whole period's (None)."""

    month: date | None
    received: int = 0
    by_channel: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHANNELS, 0))
    served: int = 0
    drivers: int = 0
    passengers: int = 0
    km_shared: float = 0.0
    trips_offered: int = 0

    @property
    def served_share(self) -> float | None:
        return self.served / self.received if self.received else None

    @property
    def label(self) -> str:
        return month_year(self.month) if self.month else "Total"


def monthly(board: Board, road_factor: float) -> tuple[list[Figures], Figures]:
    """Figures for every month with activity, oldest first, and for the whole period."""
    requests_by_month: dict[date, list[RideRequest]] = {}
    for request in board.requests:
        month = month_of(request.created)
        if month:
            requests_by_month.setdefault(month, []).append(request)
    trips_by_month: dict[date, int] = {}
    for trip in board.trips:
        month = month_of(trip.created)
        if month:
            trips_by_month[month] = trips_by_month.get(month, 0) + 1
    months = sorted(set(requests_by_month) | set(trips_by_month))
    rows = [_figures(m, requests_by_month.get(m, []), trips_by_month.get(m, 0), board, road_factor) for m in months]
    dated = [r for rs in requests_by_month.values() for r in rs]
    total = _figures(None, dated, sum(trips_by_month.values()), board, road_factor)
    return rows, total


def _figures(month, requests: list[RideRequest], trips_offered: int, board: Board, road_factor: float) -> Figures:
    figures = Figures(month, received=len(requests), trips_offered=trips_offered)
    for request in requests:
        figures.by_channel[channel(request.channel)] += 1
    served = [r for r in requests if r.status == REQUEST_FOUND]
    figures.served = len(served)
    figures.passengers = len({_person_key(r) for r in served})
    figures.drivers = len({_driver_key(r, board) for r in served if r.proposed_trip})
    figures.km_shared = sum(_ride_km(r) for r in served) * road_factor
    return figures


def month_of(created: str) -> date | None:
    """The month of a timestamp cell ('12/03/2026 14:05', '2026-03-12'), or None."""
    first = (created or "").strip().split(" ")[0].split("T")[0]
    try:
        day = parsing.parse_date(first)
    except ValueError:
        return None
    return day.replace(day=1) if day else None


def channel(text: str) -> str:
    return _CHANNEL_KEYS.get(normalise_key(text), OTHER)


def _person_key(request: RideRequest) -> str:
    digits = "".join(c for c in request.phone if c.isdigit())
    return digits or normalise_key(f"{request.first_name} {request.last_name}") or request.id


def _driver_key(request: RideRequest, board: Board) -> str:
    trip: Trip | None = board.trip(request.proposed_trip.strip())
    if trip is None:
        return f"trajet:{normalise_key(request.proposed_trip)}"
    digits = "".join(c for c in trip.phone if c.isdigit())
    return digits or normalise_key(f"{trip.first_name} {trip.last_name}") or trip.id


def _ride_km(request: RideRequest) -> float:
    if request.origin is None or request.destination is None:
        return 0.0
    return distance_km(request.origin, request.destination)


# --- solidarity transport: the ride log (tab Courses) ----------------------------------------
# A ride counts in the month of its date, and only when done ("faite"). Km, indemnities and
# tickets are the cells of the Courses rows as the clerk left them.

@dataclass
class RideFigures:
    month: date | None
    rides_done: int = 0
    km: float = 0.0
    people: int = 0  # distinct passengers of the rides done
    drivers: int = 0  # distinct regular-trip drivers who did a ride
    volunteers: int = 0  # distinct volunteers who did a ride
    indemnities: float = 0.0
    tickets: int = 0

    @property
    def label(self) -> str:
        return month_year(self.month) if self.month else "Total"


def rides_monthly(board: Board) -> tuple[list[RideFigures], RideFigures]:
    from comobi.rides import DONE

    done = [r for r in board.rides if r.status == DONE]
    by_month: dict[date, list] = {}
    for ride in done:
        by_month.setdefault(ride.date.replace(day=1), []).append(ride)
    months = [_ride_figures(m, by_month[m], board) for m in sorted(by_month)]
    return months, _ride_figures(None, done, board)


def _ride_figures(month, rides: list, board: Board) -> RideFigures:
    volunteer_ids = {v.id.upper() for v in board.volunteers}
    drivers = {r.driver_id.upper() for r in rides if r.driver_id}
    people = set()
    for ride in rides:
        request = board.request(ride.request_id) if ride.request_id else None
        people.add(_person_key(request) if request else f"demande:{normalise_key(ride.request_id) or ride.id}")
    return RideFigures(
        month, rides_done=len(rides), km=round(sum(r.km or 0 for r in rides), 1), people=len(people),
        drivers=len(drivers - volunteer_ids), volunteers=len(drivers & volunteer_ids),
        indemnities=round(sum(r.indemnity or 0 for r in rides), 2), tickets=sum(r.tickets or 0 for r in rides))


def reasons(board: Board) -> list[tuple[str, int, int]]:
    """(Motif, requests, served) over every dated request, most frequent first."""
    counts: dict[str, list] = {}
    for request in board.requests:
        if not month_of(request.created):
            continue
        label = request.reason.strip().capitalize() or "Non précisé"
        entry = counts.setdefault(normalise_key(label), [label, 0, 0])
        entry[1] += 1
        entry[2] += request.status == REQUEST_FOUND
    return sorted(((label, n, served) for label, n, served in counts.values()), key=lambda e: (-e[1], e[0]))


def unserved_communes(board: Board) -> list[tuple[object, int, int]]:
    """(Place of departure, requests, unserved) for the communes with unserved ("sans solution") requests."""
    from comobi.models import REQUEST_NO_SOLUTION

    by_place: dict[str, list] = {}
    for request in board.requests:
        if request.origin is None or not month_of(request.created):
            continue
        entry = by_place.setdefault(request.origin.slug, [request.origin, 0, 0])
        entry[1] += 1
        entry[2] += request.status == REQUEST_NO_SOLUTION
    found = [tuple(e) for e in by_place.values() if e[2]]
    return sorted(found, key=lambda e: (-e[2], e[0].name))
