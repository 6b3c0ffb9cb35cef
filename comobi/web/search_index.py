"""What a frozen site's search (static/search.js) needs to match trips in the browser.

The listed trips, each with its ends as numbers into a list of communes, and the matching
settings: the browser measures and ranks as ``comobi.matching.TripIndex.ranked`` does, and
finds communes from what is typed as ``Places.find`` does, from tables made by the live
lookup (``comobi.place_keys``); tests/test_search_js.py checks that they agree. Built in one pass over the trips, with
no search run here, so the file grows with the trips, not with communes x trips. Pure: the
board, its listed trips and the paths of pages are given (``comobi.web.derived`` keeps it).

Communes: those a passenger may name (the suggestions of the live site: the territory, or
on a large one its trip ends and largest communes) and every trip end. Each has the name to
type (a homonym that the lenient lookup would not pick gets its département), its point,
and the slug of its commune page when it has one for sure (trip ends), else "".
"""
from __future__ import annotations

from collections.abc import Callable

from comobi.matching import KM_PER_DEGREE
from comobi.models import Place, Trip
from comobi.parsing import format_days
from comobi.place_keys import lookup_tables
from comobi.places import EARTH_RADIUS_KM, name_key
from comobi.suggestions import suggested_places

_MARKER = "comobi-marker"


def search_index_data(board, trips: list[Trip], settings: dict, site_path: Callable[..., str]) -> dict:
    """``site_path(endpoint, **values)``: where a page lives from the site's root."""
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
        "page_commune": path_pattern(site_path, "public.commune", "slug"),
        # [id, start, end, outbound minutes, return minutes or null, days (bit 0 = Monday), date or ""]
        "trajets": [trip_entry(trip, numbers) for trip in trips],
        "page_trajet": path_pattern(site_path, "public.trip", "trip_id"),  # IDs are rows.SAFE_ID
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


def path_pattern(site_path: Callable[..., str], endpoint: str, name: str) -> list[str]:
    """[before, after] the value in the path of an endpoint's page: a page's path is
    before + value + after, for values a URL carries as they are."""
    before, _, after = site_path(endpoint, **{name: _MARKER}).partition(_MARKER)
    return [before, after]
