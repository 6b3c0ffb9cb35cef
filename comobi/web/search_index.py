"""What a frozen site's search (static/search.js) needs to match trips in the browser.

The listed trips, each with its ends as numbers into a list of communes, and the matching
settings: the browser measures and ranks as ``comobi.matching.TripIndex.ranked`` does, and
finds communes from what is typed as ``Places.find`` does, from tables made by the live
lookup (``comobi.place_keys``); tests/test_search_js.py checks that they agree. Built in one pass over the trips, with
no search run here, so the file grows with the trips, not with communes x trips.

Communes: those a passenger may name (the suggestions of the live site: the territory, or
on a large one its trip ends and largest communes) and every trip end. Each has the name to
type (a homonym that the lenient lookup would not pick gets its département), its point,
and the slug of its commune page when it has one for sure (trip ends), else "".
"""
from __future__ import annotations

import re

from flask import current_app, url_for

from comobi.models import Place, Trip
from comobi.parsing import format_days
from comobi.matching import KM_PER_DEGREE
from comobi.place_keys import lookup_tables
from comobi.places import EARTH_RADIUS_KM, name_key
from comobi.storage import get_board
from comobi.suggestions import suggested_places
from comobi.web import public

_MARKER = "comobi-marker"
_PLAIN_ID = re.compile(r"[\w-]+")  # always an address of its own (see freeze.trip_is_addressable)


def search_index_data() -> dict:
    settings = current_app.config["COMOBI"]
    board = get_board()
    trips = public.listed_trips()
    ends = {place for trip in trips for place in (trip.origin, trip.destination)}
    places = searchable_places(board.places, trips, ends)
    numbers = {place: n for n, place in enumerate(places)}
    labels = typed_names(board.places, places)
    return {
        "reglages": {"detour": settings["matching.detour_factor"], "proche_km": settings["matching.near_km"]},
        "constantes": {"rayon_terre_km": EARTH_RADIUS_KM, "km_par_degre": KM_PER_DEGREE},
        # how to find a commune from what is typed, as the live site does (comobi/place_keys.py)
        "recherche": lookup_tables(board.places, places, labels),
        # [name to type, latitude, longitude, slug of its page or ""]
        "communes": [[labels[p], p.latitude, p.longitude, p.slug if p in ends else ""] for p in places],
        "page_commune": path_pattern("public.commune", "slug"),
        # [id, start, end, outbound minutes, return minutes or null, days (bit 0 = Monday), date or ""]
        "trajets": [trip_entry(trip, numbers) for trip in trips],
        "page_trajet": path_pattern("public.trip", "trip_id"),
        "pages": _unaddressable_trip_pages(trips),
        "jours": {str(days_mask(days)): format_days(days) for days in {t.days for t in trips if t.days}},
    }


def searchable_places(places, trips: list[Trip], ends: set[Place]) -> list[Place]:
    """The suggested communes, then the trip ends that are not among them."""
    suggested = suggested_places(places.in_scope(), trips, places.populations())
    known = set(suggested)
    others = sorted((p for p in ends if p not in known), key=lambda p: (name_key(p.name), p.slug))
    return suggested + others


def typed_names(places, chosen: list[Place]) -> dict[Place, str]:
    """One name per place, unique once normalised, that finds it as the live site does:
    places but the one `places.find` picks for their name (a homonym, maybe elsewhere)
    get "(département)" (or their slug) after the name."""
    groups: dict[str, list[Place]] = {}
    for place in chosen:
        groups.setdefault(name_key(place.name), []).append(place)
    names = {}
    for group in groups.values():
        picked = places.find(group[0].name)
        taken: set[str] = set()
        for place in sorted(group, key=lambda p: p != picked):
            candidates = [place.name, f"{place.name} ({place.departement})" if place.departement else "",
                          f"{place.name} ({place.slug})"]
            name = next(c for c in candidates if c and name_key(c) not in taken)
            taken.add(name_key(name))
            names[place] = name
    return names


def trip_entry(trip: Trip, numbers: dict[Place, int]) -> list:
    return [trip.id, numbers[trip.origin], numbers[trip.destination], _minutes(trip.outbound_time),
            _minutes(trip.return_time), days_mask(trip.days), trip.date.isoformat() if trip.date else ""]


def days_mask(days) -> int:
    return sum(1 << day for day in days)


def _minutes(value) -> int | None:
    return None if value is None else value.hour * 60 + value.minute


def path_pattern(endpoint: str, name: str) -> list[str]:
    """[before, after] the value in the path of an endpoint's page: a page's path is
    before + value + after, for values a URL carries as they are."""
    before, _, after = site_path(endpoint, **{name: _MARKER}).partition(_MARKER)
    return [before, after]


def _unaddressable_trip_pages(trips: list[Trip]) -> dict[str, str]:
    """Trips whose ID cannot be an address (T1/2) have no page: the way to ask instead."""
    from comobi.freeze import trip_is_addressable

    pages = {}
    for trip in trips:
        if not _PLAIN_ID.fullmatch(trip.id) and not trip_is_addressable(trip.id):
            pages[trip.id] = site_path("pages.contact") + "#demander"
    return pages


def site_path(endpoint: str, **values) -> str:
    """Where a page lives from the site's root: the frozen file when freezing, else its URL."""
    path_of = current_app.config.get("STATIC_SITE_PATH")
    if path_of:
        return path_of(endpoint, **values)
    return url_for(endpoint, **values)
