"""The ride log (tab Courses): rides planned, done or cancelled, their km and indemnity. Pure.

Km are estimated road km (straight line × the tariff's road factor): for a volunteer,
home → pickup → drop-off → home; for a regular-trip driver, the ride itself. The
indemnity is the tariff's price for those km (``tarif.mode``), the tickets those that
cover it. A regular request (every Tuesday) gives one row per date for the coming weeks.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta

from comobi import parsing
from comobi.models import Place, RideRequest
from comobi.places import distance_km
from comobi.rows import RowError, date_text, read_number, read_status, status_keys
from comobi.tariff import Tariff

PLANNED, DONE, CANCELLED = "prévue", "faite", "annulée"
STATUSES = (PLANNED, DONE, CANCELLED)
_STATUS_KEYS = status_keys(STATUSES, {"prevu": PLANNED, "planifiee": PLANNED, "fait": DONE, "effectuee": DONE,
                                       "ok": DONE, "annule": CANCELLED, "annulee": CANCELLED})
_AMOUNT = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*(?:€|eur|euros?|km|kms)?\s*$", re.IGNORECASE)


@dataclass
class Ride:
    id: str
    row: int
    date: date
    request_id: str = ""
    driver_id: str = ""  # a trip ID (T...) or a volunteer ID (B...)
    time: time | None = None
    origin: str = ""
    destination: str = ""
    km: float | None = None
    indemnity: float | None = None
    tickets: int | None = None
    status: str = PLANNED
    notes: str = ""


@dataclass(frozen=True)
class Costing:
    km: float
    indemnity: float
    tickets: int


def ride_from_record(record: dict[str, str], row: int) -> Ride:
    """A Courses row; RowError (French) when its date, km, amount or status is unreadable."""
    try:
        when = parsing.parse_date(record.get("date", ""))
    except ValueError as error:
        raise RowError(str(error)) from error
    if when is None:
        raise RowError("date de la course manquante.")
    return Ride(
        id=record["id"], row=row, date=when,
        request_id=record.get("request", ""), driver_id=record.get("driver", "").strip(),
        time=_lenient_time(record.get("time", "")),
        origin=record.get("origin", ""), destination=record.get("destination", ""),
        km=parse_amount(record.get("km", ""), "km"), indemnity=parse_amount(record.get("indemnity", ""), "indemnité"),
        tickets=_tickets(record.get("tickets", "")), status=parse_status(record.get("status", "")),
        notes=record.get("notes", ""),
    )


def parse_amount(text: str, what: str) -> float | None:
    return read_number(text, _AMOUNT, None, what, "12,5")


def parse_status(text: str) -> str:
    return read_status(text, _STATUS_KEYS, PLANNED, "prévue, faite ou annulée")


def volunteer_km(home: Place, pickup: Place, dropoff: Place, road_factor: float) -> float:
    """Home → pickup → drop-off → home, in estimated road km (one decimal)."""
    straight = distance_km(home, pickup) + distance_km(pickup, dropoff) + distance_km(dropoff, home)
    return round(straight * road_factor, 1)


def ride_km(pickup: Place, dropoff: Place, road_factor: float) -> float:
    return round(distance_km(pickup, dropoff) * road_factor, 1)


def costing(km: float, tariff: Tariff) -> Costing:
    indemnity = tariff.price(km)
    return Costing(km, indemnity, tariff.tickets(indemnity))


def ride_dates(request: RideRequest, today: date, weeks_ahead: int) -> list[date]:
    """The dates to log: the request's date, or each of its days in the coming weeks."""
    if request.date:
        return [request.date]
    if not request.days:
        return [today]
    horizon = today + timedelta(weeks=max(weeks_ahead, 1))
    return [today + timedelta(days=n) for n in range((horizon - today).days)
            if (today + timedelta(days=n)).weekday() in request.days]


def ride_values(request: RideRequest, driver_id: str, when: date, cost: Costing) -> dict[str, str]:
    """The Courses row (text cells) for one date of a served request."""
    return {
        "request": request.id, "driver": driver_id, "date": date_text(when),
        "time": parsing.format_time(request.arrival_time),
        "origin": request.origin_text, "destination": request.destination_text,
        "km": parsing.format_decimal(cost.km, 1), "indemnity": parsing.format_decimal(cost.indemnity, 2),
        "tickets": str(cost.tickets),
        "status": PLANNED,
    }


def of_driver(rides: list[Ride], driver_id: str) -> list[Ride]:
    wanted = driver_id.strip().upper()
    return sorted((r for r in rides if r.driver_id.upper() == wanted), key=lambda r: (r.date, r.time or time()))


def in_month(rides: list[Ride], month: date) -> list[Ride]:
    return [r for r in rides if (r.date.year, r.date.month) == (month.year, month.month)]


def _lenient_time(text: str) -> time | None:
    try:
        return parsing.parse_time(text)
    except ValueError:
        return None


def _tickets(text: str) -> int | None:
    value = parse_amount(text, "tickets")
    return None if value is None else int(round(value))


def dates_to_add(request: RideRequest, logged: list[date], today: date, weeks_ahead: int) -> list[date]:
    """For a regular request already served: its dates in the coming weeks not yet in the log."""
    if request.date or not request.days:
        return []
    known = set(logged)
    return [when for when in ride_dates(request, today, weeks_ahead) if when not in known]
