"""The body of /trajets.json, byte for byte what ``jsonify`` writes, with each trip leg's
JSON text made once per read of the sheet rather than once per answer.

A leg's text is ``public_trip``'s dict encoded by the app's own JSON provider, with two
holes: the detour (the only field that depends on the search) and the address (on the
request's host). Used only for compact JSON, whose text does not depend on the depth;
indented JSON (debug) goes through ``jsonify`` as before.
"""
from __future__ import annotations

import math
import weakref
from collections.abc import Callable

from flask import Response, current_app, jsonify
from flask.json.provider import DefaultJSONProvider

from comobi.web.links import current_links
from comobi.web.present import ids_into, public_trip, public_trips, trip_url_builder

SEPARATORS = (",", ":")
# Legs kept per index (~3 MB at most; 1,000 trips have 2,000 legs). A plain dict emptied
# when full rather than an LRU: its reads and writes need no lock between threads.
LEGS_KEPT = 4096
_DETOUR = "comobi-detour-marker"
_URL = "comobi-url-marker"  # a trip's address while its leg's text is made
_kept: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # index -> {(id(trip), leg): _Leg}


def trips_json_response(envelope: dict, matches, owner) -> Response:
    """``jsonify({**envelope, "trajets": public_trips(matches)})``; ``owner`` (the trip index
    the matches come from) keeps the legs' texts as long as it lives."""
    provider = current_app.json
    head = provider.dumps({**envelope, "trajets": []}, separators=SEPARATORS)
    if not _compact(provider) or not head.endswith('"trajets":[]}'):
        return jsonify({**envelope, "trajets": public_trips(matches)})
    texts = _leg_texts(_kept_for(owner), provider)
    body = head[:-2] + ",".join(texts(match) for match in matches) + "]}\n"
    return current_app.response_class(body, mimetype=provider.mimetype)


def _kept_for(owner) -> dict:
    """The legs kept for ``owner``; a dict of this answer's own when it cannot hold them."""
    try:
        kept = _kept.get(owner)
        if kept is None:
            kept = _kept[owner] = {}
    except TypeError:  # neither hashable nor weakly referable: nothing outlives the answer
        return {}
    return kept


def _compact(provider) -> bool:
    """Whether ``provider.response`` writes compact JSON (flask's DefaultJSONProvider rule)."""
    if not isinstance(provider, DefaultJSONProvider):
        return False
    return not ((provider.compact is None and current_app.debug) or provider.compact is False)


def _leg_texts(kept: dict, provider) -> Callable:
    """match -> its JSON text, for this request (the address depends on its host)."""
    trip_url = trip_url_builder()
    url_text = _url_texts(trip_url, provider)

    def text(match) -> str:
        key = (id(match.trip), match.leg)
        leg = kept.get(key)
        if leg is None or not leg.is_for(match):
            if len(kept) >= LEGS_KEPT:
                kept.clear()
            leg = kept[key] = _Leg.of(match, provider)
        if leg.before is None:  # its text cannot be cut around the holes: encoded whole
            return provider.dumps(public_trip(match, trip_url), separators=SEPARATORS)
        return leg.before + _detour(round(match.extra_km, 1), provider) + leg.middle + url_text(match.trip.id) + "}"

    return text


def _url_texts(trip_url: Callable[[str], str], provider) -> Callable[[str], str]:
    """trip ID -> its address as a JSON string, encoded once for the IDs that are plain text."""
    def each(trip_id: str) -> str:
        return provider.dumps(trip_url(trip_id))

    if current_links().static:
        return each  # frozen: as trip_url_builder, file names are not text around the ID
    return ids_into(each)


class _Leg:
    """One leg's JSON text around its two holes, and what it was made from."""

    __slots__ = ("trip", "departure", "arrival", "time", "before", "middle")

    def __init__(self, match, before: str | None, middle: str):
        self.trip, self.departure, self.arrival, self.time = match.trip, match.departure, match.arrival, match.time
        self.before, self.middle = before, middle

    @classmethod
    def of(cls, match, provider) -> _Leg:
        fields = {**public_trip(match, lambda trip_id: _URL), "detour_km": _DETOUR}
        text = provider.dumps(fields, separators=SEPARATORS)
        before, rest = _split(text, f'"{_DETOUR}"')
        middle, end = _split(rest or "", f'"{_URL}"') if before is not None else (None, None)
        if middle is None or end != "}":
            return cls(match, None, "")
        return cls(match, before, middle)

    def is_for(self, match) -> bool:
        return (self.trip is match.trip and self.departure is match.departure and self.arrival is match.arrival
                and self.time == match.time)


def _split(text: str, hole: str) -> tuple[str | None, str | None]:
    """The text before and after the one place ``hole`` stands in it, else (None, None)."""
    if text.count(hole) != 1:
        return None, None
    before, _, after = text.partition(hole)
    return before, after


def _detour(value: float, provider) -> str:
    return repr(value) if math.isfinite(value) else provider.dumps(value)
