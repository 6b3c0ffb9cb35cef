"""What the public may see of a trip: never a phone number or an e-mail."""
from __future__ import annotations

from flask import current_app

from comobi.parsing import format_days, format_time
from comobi.web.security import external_url


def public_trip(match) -> dict:
    trip = match.trip
    return {
        "id": trip.id,
        "url": _trip_url(trip.id),
        "sens": match.leg,
        "depart": match.departure.name,
        "arrivee": match.arrival.name,
        "lieu_depart": trip.origin_detail if match.leg == "aller" else trip.destination_detail,
        "lieu_arrivee": trip.destination_detail if match.leg == "aller" else trip.origin_detail,
        "heure": format_time(match.time) if match.time else "",
        "jours": format_days(trip.days) if trip.days else "",
        "date": trip.date.isoformat() if trip.date else "",
        "places": trip.seats,
        "conducteur": trip.driver_alias,
        "contact_direct": trip.direct_contact,
        "detour_km": round(match.extra_km, 1),
        "remarques": trip.remarks,
    }


def _trip_url(trip_id: str) -> str:
    site_path = current_app.config.get("STATIC_SITE_PATH")
    if site_path:  # frozen: the page's file, under the static site's address when it is known
        base_url = current_app.config.get("STATIC_BASE_URL", "")
        return (base_url.rstrip("/") + "/" if base_url else "") + site_path("public.trip", trip_id=trip_id)
    return external_url("public.trip", trip_id=trip_id)
