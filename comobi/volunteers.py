"""Volunteer drivers (tab Bénévoles) and which of them can take a passenger: pure logic.

A volunteer suits a request when active, when both the pickup and the drop-off are
within the volunteer's radius of home (straight-line km, like the rest of the matching),
and when available on the request's day around its wished time (and at the return time
when one is asked). They are ranked by the distance from home to the pickup.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from comobi.availability import Slot, is_available, parse_availability
from comobi.models import Person, Place, RideRequest
from comobi.places import Places, distance_km
from comobi.rows import RowError, person_values, read_number, read_status, status_keys

ACTIVE, PAUSED, ARCHIVED = "actif", "en pause", "archivé"
STATUSES = (ACTIVE, PAUSED, ARCHIVED)
_STATUS_KEYS = status_keys(STATUSES, {"active": ACTIVE, "pause": PAUSED, "enpause": PAUSED, "archive": ARCHIVED,
                                       "archivee": ARCHIVED, "inactif": PAUSED, "inactive": PAUSED})
DEFAULT_RADIUS_KM = 20.0
_NUMBER = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(?:km|kms|kilometres?)?\s*$", re.IGNORECASE)


@dataclass
class Volunteer(Person):
    id: str
    row: int
    home: Place
    radius_km: float = DEFAULT_RADIUS_KM
    availability: tuple[Slot, ...] = ()  # () = not said: asked on the phone
    availability_text: str = ""
    remarks: str = ""
    status: str = ACTIVE
    created: str = ""

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class VolunteerCandidate:
    volunteer: Volunteer
    to_pickup_km: float  # from home, straight line
    from_dropoff_km: float


def volunteer_from_record(record: dict[str, str], row: int, places: Places) -> Volunteer:
    """A Bénévoles row; RowError (French) when the commune, radius, availability or status is unreadable."""
    home_name = record.get("home", "").strip()
    if not home_name:
        raise RowError("commune du domicile manquante.")
    home = places.find(home_name)
    if home is None:
        raise RowError(f"commune inconnue : « {home_name} ».")
    try:
        availability = parse_availability(record.get("availability", ""))
    except ValueError as error:
        raise RowError(str(error)) from error
    return Volunteer(
        id=record["id"], row=row, home=home,
        **person_values(record),
        radius_km=parse_radius(record.get("radius_km", "")),
        availability=availability, availability_text=record.get("availability", ""),
        remarks=record.get("remarks", ""), status=parse_status(record.get("status", "")),
        created=record.get("created", ""),
    )


def parse_radius(text: str) -> float:
    return read_number(text, _NUMBER, DEFAULT_RADIUS_KM, "rayon", "20")


def parse_status(text: str) -> str:
    return read_status(text, _STATUS_KEYS, ACTIVE, "actif, en pause ou archivé")


def candidates(request: RideRequest, volunteers: list[Volunteer]) -> list[VolunteerCandidate]:
    """Active volunteers who can take this request, nearest home first."""
    if request.origin is None or request.destination is None:
        return []
    found = []
    for volunteer in volunteers:
        if volunteer.status != ACTIVE:
            continue
        to_pickup = distance_km(volunteer.home, request.origin)
        from_dropoff = distance_km(volunteer.home, request.destination)
        if max(to_pickup, from_dropoff) > volunteer.radius_km:
            continue
        if not available_for(volunteer, request):
            continue
        found.append(VolunteerCandidate(volunteer, to_pickup, from_dropoff))
    return sorted(found, key=lambda c: (c.to_pickup_km, c.volunteer.id))


def available_for(volunteer: Volunteer, request: RideRequest) -> bool:
    """Free on every day of the request, around its arrival time and its return time."""
    days = {request.date.weekday()} if request.date else set(request.days)
    moments: list[time | None] = [request.arrival_time]
    if request.return_time:
        moments.append(request.return_time)
    if not days:  # the request says no day: the clerk will ask
        return True
    return all(is_available(volunteer.availability, day, moment) for day in days for moment in moments)


def by_id(volunteers: list[Volunteer], volunteer_id: str) -> Volunteer | None:
    return next((v for v in volunteers if v.id == volunteer_id), None)
