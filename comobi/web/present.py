"""What the public may see of a trip: never a phone number or an e-mail."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from comobi.parsing import format_days, format_time
from comobi.rows import SAFE_ID
from comobi.web.links import current_links

# Stands for a trip's ID while its address is built once per request: url_for leaves
# [A-Za-z0-9_-] as it is, so any ID of that form can then replace it as text.
_ID_MARKER = "comobi-trip-id-0"


def public_trips(matches: Iterable) -> list[dict]:
    """`public_trip` of each match, with the trips' address built once for them all."""
    trip_url = trip_url_builder()
    return [public_trip(match, trip_url) for match in matches]


def public_trip(match, trip_url: Callable[[str], str] | None = None) -> dict:
    trip = match.trip
    outbound = match.leg == "aller"
    return {
        "id": trip.id,
        "url": (trip_url or current_links().trip_url)(trip.id),
        "sens": match.leg,
        "depart": match.departure.name,
        "arrivee": match.arrival.name,
        "lieu_depart": trip.origin_detail if outbound else trip.destination_detail,
        "lieu_arrivee": trip.destination_detail if outbound else trip.origin_detail,
        "heure": format_time(match.time) if match.time else "",
        "jours": format_days(trip.days) if trip.days else "",
        "date": trip.date.isoformat() if trip.date else "",
        "places": trip.seats,
        "conducteur": trip.driver_alias,
        "contact_direct": trip.direct_contact,
        "detour_km": round(match.extra_km, 1),
        "remarques": trip.remarks,
    }


def trip_url_builder() -> Callable[[str], str]:
    """trip ID -> its public address, as the link policy gives it, with url_for called once."""
    links = current_links()
    if links.static:
        return links.trip_url  # frozen: file names may depend on the ID beyond its text
    return ids_into(links.trip_url)


def trip_card_links() -> Callable:
    """match -> the address of its trip card's link, as the templates' url_for writes it
    (``#retour`` for a return leg), with url_for called once for the whole list."""
    links = current_links()
    if links.static:  # the static site's links: relative, per page and per trip
        return lambda match: links.url_for("public.trip", trip_id=match.trip.id,
                                           _anchor="retour" if match.leg == "retour" else None)
    address = ids_into(lambda trip_id: links.url_for("public.trip", trip_id=trip_id))
    return lambda match: address(match.trip.id) + ("#retour" if match.leg == "retour" else "")


def ids_into(make: Callable[[str], str]) -> Callable[[str], str]:
    """trip ID -> ``make(ID)``, with ``make`` called once: on a marker, whose place in the text
    the IDs then take (an ID of another form than rows.SAFE_ID gets a call of its own)."""
    pattern = make(_ID_MARKER)
    if pattern.count(_ID_MARKER) != 1:
        return make
    head, _, tail = pattern.partition(_ID_MARKER)
    return lambda trip_id: head + trip_id + tail if SAFE_ID.fullmatch(trip_id) else make(trip_id)
