"""Domain objects: what the app knows once a spreadsheet row has been understood."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from . import french_dates

# Statuses of a trip offer (tab Trajets).
PUBLISHED = "publié"
PENDING = "en attente"
ARCHIVED = "archivé"
PAUSED = "en pause"  # by the driver, from their private page: not listed
EXPIRED = "non confirmé"  # never written: a trip left unconfirmed after its reminder (comobi/notify.py)

# Statuses of a ride request (tab Demandes).
REQUEST_NEW = "nouvelle"
REQUEST_IN_PROGRESS = "en cours"
REQUEST_FOUND = "trouvée"
REQUEST_NO_SOLUTION = "sans solution"
REQUEST_CANCELLED = "annulée"  # by the passenger, from the link in their confirmation
REQUEST_STATUSES = (REQUEST_NEW, REQUEST_IN_PROGRESS, REQUEST_FOUND, REQUEST_NO_SOLUTION, REQUEST_CANCELLED)
ALERT_CHANNEL = "alerte"  # Canal of a passenger asking to be told when a trip appears
REMOVAL_REASON = "Demande de retrait"  # Motif of a request to remove someone's data (/retrait)

WEEKDAYS = french_dates.WEEKDAYS  # kept here too: the domain speaks of them


@dataclass(frozen=True)
class Place:
    """A commune or a known place, with a point to measure distances from."""

    name: str
    slug: str
    latitude: float
    longitude: float
    insee: str = ""
    departement: str = ""
    postcodes: tuple[str, ...] = ()


@dataclass(kw_only=True)
class Person:
    """Who a row is about (a driver, a passenger, a volunteer): keyword-only fields, after the
    row's own positional ones."""

    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""


@dataclass
class Trip(Person):
    """A driver's offer: a regular trip (days) or a one-off trip (date)."""

    id: str
    row: int  # spreadsheet row number, for the clerk and for updates
    origin: Place
    destination: Place
    preferred_contact: str = ""
    direct_contact: bool = False
    origin_detail: str = ""
    destination_detail: str = ""
    days: frozenset[int] = frozenset()  # 0 = Monday ... 6 = Sunday
    date: date | None = None
    outbound_time: time | None = None
    return_time: time | None = None
    seats: int | None = None
    remarks: str = ""
    status: str = PUBLISHED
    created: str = ""
    confirmed: date | None = None  # Confirmé le
    reminded: date | None = None  # Rappel envoyé le
    token: str = ""  # hash of the private link's token

    @property
    def is_regular(self) -> bool:
        return self.date is None

    @property
    def driver_alias(self) -> str:
        """First name and initial: all the public ever sees of a driver's name."""
        initial = f" {self.last_name.strip()[0].upper()}." if self.last_name.strip() else ""
        return f"{self.first_name.strip()}{initial}".strip()


@dataclass
class RideRequest(Person):
    """A passenger's request, from the web form or typed by the clerk after a call."""

    id: str
    row: int
    origin: Place | None
    destination: Place | None
    origin_name: str = ""
    destination_name: str = ""
    origin_detail: str = ""
    destination_detail: str = ""
    date: date | None = None
    days: frozenset[int] = frozenset()
    arrival_time: time | None = None
    return_time: time | None = None
    reason: str = ""
    channel: str = ""
    status: str = REQUEST_NEW
    proposed_trip: str = ""
    notes: str = ""
    created: str = ""
    token: str = ""  # hash of the private link's token

    @property
    def origin_text(self) -> str:
        """The commune found, else the name as typed (the clerk's own words may name no commune)."""
        return self.origin.name if self.origin else self.origin_name

    @property
    def destination_text(self) -> str:
        return self.destination.name if self.destination else self.destination_name


@dataclass
class RowProblem:
    """A row the app could not understand: shown to the clerk, never fatal."""

    tab: str
    row: int
    reason: str  # plain French


@dataclass
class Board:
    """Everything read from the spreadsheet at one moment."""

    trips: list[Trip] = field(default_factory=list)
    requests: list[RideRequest] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    places: Any = None  # places.Places: communes in scope plus the Lieux tab
    volunteers: list = field(default_factory=list)  # volunteers.Volunteer (tab Bénévoles)
    rides: list = field(default_factory=list)  # rides.Ride (tab Courses)
    read_at: datetime | None = None
    stale_reason: str = ""  # set when the sheet could not be read and this is older data

    def trip(self, trip_id: str) -> Trip | None:
        """The first trip with this ID (looked up in a dict: a frozen site asks for each trip)."""
        known = self.__dict__.get("_trips_by_id")
        if known is None or known[0] is not self.trips:  # built anew if the list was replaced
            by_id: dict[str, Trip] = {}
            for trip in self.trips:
                by_id.setdefault(trip.id, trip)
            known = self.__dict__["_trips_by_id"] = (self.trips, by_id)
        return known[1].get(trip_id)

    def request(self, request_id: str) -> RideRequest | None:
        return next((r for r in self.requests if r.id == request_id), None)
