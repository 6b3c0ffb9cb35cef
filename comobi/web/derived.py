"""What pages derive from the board, built once per read of the sheet: the trip index and
the listed trips. Below the blueprints, so that they and the freeze share it without
importing one another."""
from __future__ import annotations

from datetime import date

from flask import current_app

from comobi import matching
from comobi.storage import get_board
from comobi.storage.service import LARGE_BOARD, settle


def listed_trips():
    return trip_index().listed(date.today())


def trip_index() -> matching.TripIndex:
    """The board's trips indexed for searching."""
    settings = current_app.config["COMOBI"]

    def build(board):
        index = matching.TripIndex(board.trips, detour_factor=settings["matching.detour_factor"],
                                   near_km=settings["matching.near_km"], road_factor=settings["tarif.road_factor"])
        index.listed(date.today())  # arranges today's legs now, before they are settled
        return index

    return per_board("trip_index", build)


def per_board(name: str, build):
    """Something derived from the board, built once per read of the sheet."""
    board = get_board()
    built = current_app.extensions.get(f"comobi.{name}")
    if built is None or built[0] is not board:
        built = current_app.extensions[f"comobi.{name}"] = (board, build(board))
        if len(board.trips) >= LARGE_BOARD:
            settle()  # as the board itself: left out of later garbage collections
    return built[1]
