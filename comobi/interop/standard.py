"""Our trips in the words of the standard covoiturage: search and serialise, no I/O.

- ``driver_journeys``: dated journeys. One-off trips on their date, and regular trips
  expanded into one journey per running day: for a passenger asking for Tuesday 8:00,
  a Monday-to-Friday trip *is* a planned journey that Tuesday.
- ``driver_regular_trips``: regular trips only, with one ``Schedule`` per running day;
  ``journeySchedules`` lists the dated journeys when min/maxDepartureDate are given.

Time semantics: ``timeDelta`` applies to the passenger's pick-up time (the driver's
departure time plus the estimated drive to the pick-up point). ``departureTimeOfDay`` and
``passengerPickupTimeOfDay`` are wall-clock times of the service's time zone
(Europe/Paris); UNIX timestamps are UTC as the standard says. Journeys are listed up to
``HORIZON_DAYS`` ahead and never in the past. Radius semantics: see ``rides``.

Privacy: only the driver's alias (first name + initial) and an opaque id derived from the
trip id go out; never a phone number or an e-mail address, whatever the consent.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from comobi.interop.query import DAY_CODES, Area, JourneyQuery, RegularTripQuery
from comobi.interop.rides import Ride, address, drive_seconds, legs_of, point_of, ride_along, road_km
from comobi.matching import is_listed
from comobi.models import Trip
from comobi.tariff import Tariff

PARIS = ZoneInfo("Europe/Paris")
HORIZON_DAYS = 92  # how far ahead journeys are listed
DEFAULT_ALIAS = "Conducteur"


@dataclass(frozen=True)
class Publication:
    """What serialising needs besides the trips: who we are, how to price and link."""

    operator: str  # the instance's domain
    trip_url: Callable[[str], str]  # trip id -> absolute URL of its page
    tariff: Tariff | None = None  # None: free
    road_factor: float = 1.3
    detour_factor: float = 1.8
    tz: tzinfo = PARIS


@dataclass(frozen=True)
class Departure:
    driver_at: datetime  # aware, service time zone
    pickup_at: datetime


def driver_journeys(trips: Iterable[Trip], query: JourneyQuery, pub: Publication,
                    now: datetime) -> list[dict]:
    earliest = max(query.departure - query.time_delta, now)
    latest = query.departure + query.time_delta
    found = [
        (abs(dep.pickup_at - query.departure), ride.leg.trip.id, ride, dep)
        for ride in _rides(trips, query.area, pub, now, regular_only=False)
        for dep in departures(ride, earliest, latest, pub, now)
    ]
    found.sort(key=lambda item: item[:2])
    return [journey(ride, dep, pub) for _, _, ride, dep in found][:query.count]


def driver_regular_trips(trips: Iterable[Trip], query: RegularTripQuery, pub: Publication,
                         now: datetime) -> list[dict]:
    found = []
    for ride in _rides(trips, query.area, pub, now, regular_only=True):
        schedules = _schedules(ride, query, pub, now)
        if schedules:
            gap = min(_gap_seconds(s["passengerPickupTimeOfDay"], query.time_of_day)
                      for s in schedules)
            found.append((gap, ride.leg.trip.id, {**trip_fields(ride, pub), "schedules": schedules}))
    found.sort(key=lambda item: item[:2])
    return [item for _, _, item in found][:query.count]


def _rides(trips: Iterable[Trip], area: Area, pub: Publication, now: datetime,
           regular_only: bool) -> Iterator[Ride]:
    today = now.astimezone(pub.tz).date()
    for trip in trips:
        if not is_listed(trip, today) or (regular_only and not trip.is_regular):
            continue
        for leg in legs_of(trip):
            ride = ride_along(leg, area.departure, area.arrival, area.departure_radius,
                              area.arrival_radius, pub.detour_factor)
            if ride:
                yield ride


def departures(ride: Ride, earliest: datetime, latest: datetime, pub: Publication,
               now: datetime) -> list[Departure]:
    """The leg's dated departures whose pick-up falls within [earliest, latest]."""
    trip = ride.leg.trip
    earliest = max(earliest, now)
    latest = min(latest, now + timedelta(days=HORIZON_DAYS))
    if earliest > latest:
        return []
    # The day before too: a late departure may pick up after midnight.
    first = earliest.astimezone(pub.tz).date() - timedelta(days=1)
    last = latest.astimezone(pub.tz).date()
    if trip.is_regular:
        days = [first + timedelta(n) for n in range((last - first).days + 1)]
        days = [day for day in days if day.weekday() in trip.days]
    else:
        days = [trip.date]
    found = (_departure(ride, day, pub) for day in days)
    return [dep for dep in found if earliest <= dep.pickup_at <= latest]


def _departure(ride: Ride, day: date, pub: Publication) -> Departure:
    driver_at = datetime.combine(day, ride.leg.departure, tzinfo=pub.tz)
    # Aware arithmetic on a ZoneInfo datetime is wall-clock: go through UTC.
    pickup_at = (driver_at.astimezone(UTC) + _approach(ride, pub)).astimezone(pub.tz)
    return Departure(driver_at, pickup_at)


def _approach(ride: Ride, pub: Publication) -> timedelta:
    """Estimated drive from the driver's start to the pick-up, in whole minutes."""
    seconds = drive_seconds(road_km(ride.approach_km, pub.road_factor))
    return timedelta(minutes=round(seconds / 60))


def _schedules(ride: Ride, query: RegularTripQuery, pub: Publication,
               now: datetime) -> list[dict]:
    approach = int(_approach(ride, pub).total_seconds())
    start = ride.leg.departure.hour * 3600 + ride.leg.departure.minute * 60
    schedules = []
    for day in sorted(ride.leg.trip.days):
        days_later, second = divmod(start + approach, 86400)
        pickup_day = (day + days_later) % 7
        pickup_time = time(second // 3600, second // 60 % 60).isoformat()
        if pickup_day not in query.weekdays:
            continue
        if _gap_seconds(pickup_time, query.time_of_day) > query.time_delta.total_seconds():
            continue
        schedule = {"passengerPickupDay": DAY_CODES[pickup_day],
                    "passengerPickupTimeOfDay": pickup_time}
        if query.min_date or query.max_date:
            dated = _dated_journeys(ride, day, query, pub, now)
            if not dated:
                continue
            schedule["journeySchedules"] = dated
        schedules.append(schedule)
    return schedules


def _dated_journeys(ride: Ride, day: int, query: RegularTripQuery, pub: Publication,
                    now: datetime) -> list[dict]:
    earliest = query.min_date or now
    latest = query.max_date or now + timedelta(days=HORIZON_DAYS)
    return [journey_schedule(ride, dep, pub)
            for dep in departures(ride, earliest, latest, pub, now)
            if dep.driver_at.weekday() == day]


def _gap_seconds(time_of_day: str, wanted: time) -> int:
    """Distance between two times of day, around the clock."""
    hour, minute, *second = (int(part) for part in time_of_day.split(":"))
    a = hour * 3600 + minute * 60 + (second[0] if second else 0)
    b = wanted.hour * 3600 + wanted.minute * 60 + wanted.second
    gap = abs(a - b)
    return min(gap, 86400 - gap)


def journey(ride: Ride, dep: Departure, pub: Publication) -> dict:
    """A ``DriverJourney``."""
    item = {**trip_fields(ride, pub), **journey_schedule(ride, dep, pub), "price": price(ride, pub)}
    seats = ride.leg.trip.seats
    if seats is not None and seats >= 0:
        item["availableSeats"] = seats
    return item


def journey_schedule(ride: Ride, dep: Departure, pub: Publication) -> dict:
    """A ``JourneySchedule``."""
    trip = ride.leg.trip
    return {
        "id": journey_id(trip.id, ride.leg.direction, dep.driver_at.date()),
        "passengerPickupDate": int(dep.pickup_at.timestamp()),
        "driverDepartureDate": int(dep.driver_at.timestamp()),
        "webUrl": pub.trip_url(trip.id),
        "type": "PLANNED",
    }


def trip_fields(ride: Ride, pub: Publication) -> dict:
    """A ``DriverTrip``: where and how far, and who drives (alias only)."""
    leg, trip = ride.leg, ride.leg.trip
    road = road_km(ride.km, pub.road_factor)
    (start_lat, start_lng), (end_lat, end_lng) = point_of(leg.start), point_of(leg.end)
    fields = {
        "operator": pub.operator,
        "driver": {"id": driver_id(trip.id), "operator": pub.operator,
                   "alias": trip.driver_alias or DEFAULT_ALIAS},
        "passengerPickupLat": ride.pickup[0],
        "passengerPickupLng": ride.pickup[1],
        "passengerDropLat": ride.drop[0],
        "passengerDropLng": ride.drop[1],
        "distance": round(road * 1000),
        "duration": drive_seconds(road),
        "driverDepartureLat": start_lat,
        "driverDepartureLng": start_lng,
        "driverArrivalLat": end_lat,
        "driverArrivalLng": end_lng,
        "driverDepartureAddress": address(leg.start, leg.start_detail),
        "driverArrivalAddress": address(leg.end, leg.end_detail),
        "webUrl": pub.trip_url(trip.id),
    }
    if ride.pickup_label:
        fields["passengerPickupAddress"] = ride.pickup_label
    if ride.drop_label:
        fields["passengerDropAddress"] = ride.drop_label
    return fields


def price(ride: Ride, pub: Publication) -> dict:
    """A ``Price``: the tariff on the passenger's estimated road distance."""
    if pub.tariff is None:
        return {"type": "FREE"}
    amount = pub.tariff.price(road_km(ride.km, pub.road_factor))
    return {"type": "PAYING", "amount": amount, "currency": "EUR"}


def journey_id(trip_id: str, direction: str, day: date) -> str:
    return f"{_short(trip_id)}-{direction}-{day.isoformat()}"


def driver_id(trip_id: str) -> str:
    """Opaque and stable; one per trip since the sheet has no driver identity to share."""
    return "c-" + hashlib.sha256(trip_id.encode()).hexdigest()[:16]


def _short(trip_id: str) -> str:
    # The standard caps ids at 255 characters; sheet ids are short unless typed oddly.
    return trip_id if 0 < len(trip_id) <= 200 else hashlib.sha256(trip_id.encode()).hexdigest()
