"""Whether a trip ID can be the address of its own page (used by the live site's search
index and by the freeze)."""
from __future__ import annotations

from urllib.parse import unquote

from flask import current_app, url_for
from werkzeug.exceptions import HTTPException


def trip_is_addressable(trip_id: str) -> bool:
    """False for an ID typed with a "/" (T1/2), "?", "#" or "%": its address would lead elsewhere."""
    known = current_app.extensions.setdefault("comobi.addressable", {})
    if trip_id not in known:
        known[trip_id] = _trip_is_addressable(trip_id)
    return known[trip_id]


def _trip_is_addressable(trip_id: str) -> bool:
    if not trip_id or any(c in trip_id for c in "?#%"):
        return False
    try:
        endpoint, values = current_app.url_map.bind("localhost").match(
            unquote(url_for("public.trip", trip_id=trip_id)), method="GET")
    except HTTPException:
        return False
    return endpoint == "public.trip" and values.get("trip_id") == trip_id
