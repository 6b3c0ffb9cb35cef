"""How a passenger rides along one leg of a driver's trip: where, how far, how much.

A trip A→B gives an outbound leg, and a return leg B→A when it has a return time.

Radius semantics (``departureRadius`` / ``arrivalRadius``): every ride we return has its
pick-up point within ``departureRadius`` of the requested departure and its drop-off
point within ``arrivalRadius`` of the requested arrival. Two ways to get there:
- the passenger is within the radius of the driver's own start (end): pick-up (drop-off)
  at the driver's meeting point;
- otherwise the driver comes to the passenger: pick-up (drop-off) at the requested point
  itself, which this service allows when the detour A→pick-up→drop-off→B stays within
  ``detour_factor`` × A→B (the service's own matching rule, ``comobi.matching.leg_suits``).
So a passenger in Lalbenque going to Cahors gets the Limogne-en-Quercy → Cahors trip, the
driver passing through Lalbenque (about 10 km off the straight line), which is what
solidarity carpooling in the countryside does and what a passenger expects.

All distances are straight lines; road estimates multiply them by ``road_factor``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from comobi.matching import ROAD_SPEED_KMH, leg_suits
from comobi.models import Place, Trip
from comobi.places import distance_km

Point = tuple[float, float]  # (lat, lng)


@dataclass(frozen=True)
class Leg:
    """One direction of a trip, at one departure time of day."""

    trip: Trip
    direction: str  # "aller" or "retour"
    start: Place
    end: Place
    start_detail: str
    end_detail: str
    departure: time


@dataclass(frozen=True)
class Ride:
    """Where a passenger gets in and out of one leg, with the driver's approach."""

    leg: Leg
    pickup: Point
    drop: Point
    pickup_label: str  # "" when the pick-up is the passenger's own point
    drop_label: str
    approach_km: float  # straight km the driver covers before the pick-up
    km: float  # straight km the passenger rides


def legs_of(trip: Trip) -> list[Leg]:
    legs = []
    if trip.outbound_time:
        legs.append(Leg(trip, "aller", trip.origin, trip.destination,
                        trip.origin_detail, trip.destination_detail, trip.outbound_time))
    if trip.return_time:
        legs.append(Leg(trip, "retour", trip.destination, trip.origin,
                        trip.destination_detail, trip.origin_detail, trip.return_time))
    return legs


def ride_along(leg: Leg, departure: Point, arrival: Point, departure_radius: float,
               arrival_radius: float, detour_factor: float) -> Ride | None:
    """The ride a passenger can take on this leg, or None if it does not suit."""
    start, end = point_of(leg.start), point_of(leg.end)
    near_start = distance_km(departure, start) <= departure_radius
    near_end = distance_km(arrival, end) <= arrival_radius
    pickup = start if near_start else departure
    drop = end if near_end else arrival
    direct = distance_km(start, end)
    with_passenger = distance_km(start, pickup) + distance_km(pickup, drop) + distance_km(drop, end)
    if not leg_suits(with_passenger, direct, detour_factor, near_start, near_end):
        return None
    return Ride(
        leg=leg,
        pickup=pickup,
        drop=drop,
        pickup_label=address(leg.start, leg.start_detail) if near_start else "",
        drop_label=address(leg.end, leg.end_detail) if near_end else "",
        approach_km=distance_km(start, pickup),
        km=distance_km(pickup, drop),
    )


def address(place: Place, detail: str) -> str:
    """Commune name, then the meeting point the driver typed."""
    detail = detail.strip()
    return f"{place.name}, {detail}" if detail else place.name


def point_of(place: Place) -> Point:
    return (place.latitude, place.longitude)


def road_km(straight_km: float, road_factor: float) -> float:
    return straight_km * road_factor


def drive_seconds(road_distance_km: float) -> int:
    """At the one speed of every time estimate (comobi.matching.ROAD_SPEED_KMH)."""
    return round(road_distance_km / ROAD_SPEED_KMH * 3600)
