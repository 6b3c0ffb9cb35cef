"""What the public may see of a trip: never a phone number or an e-mail."""
from __future__ import annotations

from comobi.parsing import format_days, format_time
from comobi.web.links import current_links


def public_trip(match) -> dict:
    trip = match.trip
    return {
        "id": trip.id,
        "url": current_links().trip_url(trip.id),
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

