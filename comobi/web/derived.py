"""What pages derive from one read of the sheet, each part built once, on first use.

``get_derived()`` is the one way to it, for the blueprints and the freeze alike (as
flaskr's ``get_db``): a ``Derived`` per board and per day (the listed trips depend on the
date), made when the sheet is read again or the day changes. Each part (the trip index,
the listed trips, every commune's trips, the suggested communes, the frozen search index)
is built by the first thread that asks for it while the others wait for it: never twice.
Below the blueprints, so that they and the freeze share it without importing one another.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any

from flask import current_app, render_template
from markupsafe import Markup

from comobi import matching
from comobi.models import PUBLISHED
from comobi.storage import get_board
from comobi.storage.service import LARGE_BOARD, settle
from comobi.suggestions import suggested_places
from comobi.web import communes, search_index

_EXTENSION = "comobi.derived"
_swap = threading.Lock()  # one new Derived per new board, even when two requests see it at once


class Derived:
    """The parts pages need from one board on one day, built lazily and once each."""

    def __init__(self, board, settings: dict, today: date):
        self.board, self.settings, self.today = board, settings, today
        self._parts: dict[str, Any] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()

    def once(self, name: str, build: Callable[[], Any], large: bool = False):
        """``build()``, called by the first caller only; the others wait and get its result.
        ``large``: left out of later garbage collections on large boards, as the board is."""
        try:
            return self._parts[name]
        except KeyError:
            pass
        with self._locks_lock:
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:
            if name not in self._parts:
                self._parts[name] = build()
                if large and len(self.board.trips) >= LARGE_BOARD:
                    settle()
        return self._parts[name]

    @property
    def trip_index(self) -> matching.TripIndex:
        """The board's trips indexed for searching."""
        return self.once("trip_index", self._build_index, large=True)

    def _build_index(self) -> matching.TripIndex:
        settings = self.settings
        index = matching.TripIndex(self.board.trips, detour_factor=settings["matching.detour_factor"],
                                   near_km=settings["matching.near_km"], road_factor=settings["tarif.road_factor"])
        index.listed(self.today)  # arranges today's legs now, before they are settled
        return index

    @property
    def listed_trips(self) -> list:
        return self.trip_index.listed(self.today)

    @property
    def communes(self) -> dict[str, communes.Served]:
        """Every commune some listed trip serves, by slug, sorted (matching every commune of a
        territory at once takes seconds)."""
        return self.once("communes", lambda: communes.serve_all(self.board.places.in_scope(), self.listed_trips,
                                                                self.trip_index, self.today))

    def served(self, place) -> communes.Served:
        """What serves one commune; read from the whole territory's answers when they are at hand."""
        known = self._parts.get("communes")
        if known is not None and place.slug in known:
            return known[place.slug]
        return communes.serve_one(place, self.trip_index, self.today)

    @property
    def suggested_places(self) -> list:
        """The communes the forms suggest as people type (limited on large territories)."""
        places = self.board.places
        return self.once("suggested_places", lambda: suggested_places(
            places.in_scope(), [t for t in self.board.trips if t.status == PUBLISHED], places.populations()))

    @property
    def datalist_html(self) -> Markup:
        """The `<datalist>` of suggested names: most of a search page's HTML, rendered once."""
        return self.once("datalist", lambda: Markup(render_template("_datalist.html",
                                                                    places=self.suggested_places)),
                         large=True)

    def search_index(self, links) -> dict:
        """The frozen search's data (static/search.js), its page paths as ``links`` writes them."""
        name = "search_index.static" if links.static else "search_index.live"
        return self.once(name, lambda: search_index.search_index_data(
            self.board, self.listed_trips, self.settings, links.site_path))

    def kept(self, name: str, make: Callable[[], Any]):
        """Something else that lives as long as this read of the sheet (the page cache)."""
        return self.once(name, make)


def get_derived() -> Derived:
    """The derived data of the board this request (or command) reads, today."""
    board, today = get_board(), date.today()
    app = current_app._get_current_object()
    found = app.extensions.get(_EXTENSION)
    if found is None or found.board is not board or found.today != today:
        with _swap:
            found = app.extensions.get(_EXTENSION)
            if found is None or found.board is not board or found.today != today:
                found = app.extensions[_EXTENSION] = Derived(board, app.config["COMOBI"], today)
    return found


def listed_trips() -> list:
    return get_derived().listed_trips


def trip_index() -> matching.TripIndex:
    return get_derived().trip_index
