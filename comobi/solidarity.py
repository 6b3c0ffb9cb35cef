"""Reading the solidarity-transport tabs (Bénévoles, Courses) into the Board.

One call from ``Storage._read``; a sheet without these tabs gives empty lists.
"""
from __future__ import annotations

from comobi.rides import ride_from_record
from comobi.schema import RIDES, VOLUNTEERS
from comobi.volunteers import volunteer_from_record


def read_tabs(board, grid: dict, parse) -> None:
    """``parse(tab, rows, board, id_prefix, build)`` is the storage's row reader."""
    board.volunteers = parse(VOLUNTEERS, grid.get(VOLUNTEERS.title, []), board, "B",
                             lambda record, number: volunteer_from_record(record, number, board.places))
    board.rides = parse(RIDES, grid.get(RIDES.title, []), board, "C", ride_from_record)
