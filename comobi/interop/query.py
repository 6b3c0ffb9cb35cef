"""Read and check the query parameters of the standard's search routes.

Names, types, defaults and required-ness follow ``openapi.yaml`` (components/parameters).
A bad value raises ``BadQuery`` with a French message for the ``{"error": ...}`` body.
Times are converted to the service's time zone here, once.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo

DAY_CODES = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")  # index = Trip.days value
DEFAULT_RADIUS_KM = 1.0
DEFAULT_TIME_DELTA_S = 900
# Larger deltas are accepted but clamped: we never list journeys further than that anyway.
MAX_TIME_DELTA_S = 400 * 24 * 3600
# Dates we reason about; outside, date arithmetic (date +/- timeDelta) could overflow.
MIN_TIMESTAMP = 0  # 1970
MAX_TIMESTAMP = 253_402_300_799 - 2 * MAX_TIME_DELTA_S  # well before year 9999 ends

_INTEGER = re.compile(r"^[+-]?\d+$")
_PARTIAL_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d|60)(?:\.\d+)?)?$")


class BadQuery(ValueError):
    """A parameter is missing or wrong; the message is shown to the API client."""


@dataclass(frozen=True)
class Area:
    """Where the passenger leaves from and goes to, with the accepted radii (km)."""

    departure: tuple[float, float]  # (lat, lng)
    arrival: tuple[float, float]
    departure_radius: float
    arrival_radius: float


@dataclass(frozen=True)
class JourneyQuery:
    """GET /driver_journeys."""

    area: Area
    departure: datetime  # aware, service time zone
    time_delta: timedelta
    count: int | None


@dataclass(frozen=True)
class RegularTripQuery:
    """GET /driver_regular_trips."""

    area: Area
    time_of_day: time
    weekdays: frozenset[int]  # 0 = Monday
    time_delta: timedelta
    min_date: datetime | None
    max_date: datetime | None
    count: int | None


# Multi-valued mappings (werkzeug's MultiDict) are read through ``get`` and ``getlist``.
Args = Mapping[str, str]


def journey_query(args: Args, tz: tzinfo) -> JourneyQuery:
    return JourneyQuery(
        area=_area(args),
        departure=_timestamp(args, "departureDate", tz, required=True),
        time_delta=_time_delta(args),
        count=_count(args),
    )


def regular_trip_query(args: Args, tz: tzinfo) -> RegularTripQuery:
    min_date = _timestamp(args, "minDepartureDate", tz)
    max_date = _timestamp(args, "maxDepartureDate", tz)
    if min_date and max_date and min_date > max_date:
        raise BadQuery("minDepartureDate doit précéder maxDepartureDate.")
    return RegularTripQuery(
        area=_area(args),
        time_of_day=_time_of_day(args, "departureTimeOfDay"),
        weekdays=_weekdays(args, "departureWeekdays"),
        time_delta=_time_delta(args),
        min_date=min_date,
        max_date=max_date,
        count=_count(args),
    )


def _area(args: Args) -> Area:
    return Area(
        departure=(_latitude(args, "departureLat"), _longitude(args, "departureLng")),
        arrival=(_latitude(args, "arrivalLat"), _longitude(args, "arrivalLng")),
        departure_radius=_radius(args, "departureRadius"),
        arrival_radius=_radius(args, "arrivalRadius"),
    )


def _raw(args: Args, name: str, required: bool) -> str | None:
    value = args.get(name)
    if value is None or value.strip() == "":
        if required:
            raise BadQuery(f"Le paramètre {name} est obligatoire.")
        return None
    return value.strip()


def _number(args: Args, name: str, required: bool = False) -> float | None:
    raw = _raw(args, name, required)
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise BadQuery(f"Le paramètre {name} doit être un nombre.") from None
    if not math.isfinite(value):
        raise BadQuery(f"Le paramètre {name} doit être un nombre fini.")
    return value


def _integer(args: Args, name: str, required: bool = False) -> int | None:
    raw = _raw(args, name, required)
    if raw is None:
        return None
    try:
        if not _INTEGER.match(raw):
            raise ValueError
        return int(raw)
    except ValueError:  # also: more digits than Python converts
        raise BadQuery(f"Le paramètre {name} doit être un nombre entier.") from None


def _latitude(args: Args, name: str) -> float:
    return _coordinate(args, name, 90, "une latitude")


def _longitude(args: Args, name: str) -> float:
    return _coordinate(args, name, 180, "une longitude")


def _coordinate(args: Args, name: str, limit: int, what: str) -> float:
    value = _number(args, name, required=True)
    if not -limit <= value <= limit:
        raise BadQuery(f"Le paramètre {name} doit être {what} entre -{limit} et {limit}.")
    return value


def _radius(args: Args, name: str) -> float:
    value = _number(args, name)
    if value is None:
        return DEFAULT_RADIUS_KM
    if value < 0:
        raise BadQuery(f"Le paramètre {name} (en km) ne peut pas être négatif.")
    return value


def _time_delta(args: Args) -> timedelta:
    value = _integer(args, "timeDelta")
    if value is None:
        value = DEFAULT_TIME_DELTA_S
    if value < 0:
        raise BadQuery("Le paramètre timeDelta (en secondes) ne peut pas être négatif.")
    return timedelta(seconds=min(value, MAX_TIME_DELTA_S))


def _count(args: Args) -> int | None:
    value = _integer(args, "count")
    if value is not None and value < 0:
        raise BadQuery("Le paramètre count ne peut pas être négatif.")
    return value


def _timestamp(args: Args, name: str, tz: tzinfo, required: bool = False) -> datetime | None:
    value = _integer(args, name, required)
    if value is None:
        return None
    if not MIN_TIMESTAMP <= value <= MAX_TIMESTAMP:
        raise BadQuery(f"Le paramètre {name} n'est pas une date UNIX valide (en secondes).")
    return datetime.fromtimestamp(value, UTC).astimezone(tz)


def _time_of_day(args: Args, name: str) -> time:
    raw = _raw(args, name, required=True)
    match = _PARTIAL_TIME.match(raw)
    if not match:
        raise BadQuery(f"Le paramètre {name} doit être une heure au format HH:MM:SS.")
    hour, minute, second = match.group(1), match.group(2), match.group(3) or "0"
    return time(int(hour), int(minute), min(int(second), 59))


def _weekdays(args: Args, name: str) -> frozenset[int]:
    values = args.getlist(name) if hasattr(args, "getlist") else [args.get(name) or ""]
    codes = [code.strip().upper() for value in values for code in value.split(",")]
    codes = [code for code in codes if code]
    if not codes:
        return frozenset(range(7))
    unknown = [code for code in codes if code not in DAY_CODES]
    if unknown:
        raise BadQuery(
            f"Le paramètre {name} accepte {','.join(DAY_CODES)} ; reçu : {unknown[0][:20]}."
        )
    return frozenset(DAY_CODES.index(code) for code in codes)
