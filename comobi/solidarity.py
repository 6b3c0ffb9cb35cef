"""Reading the solidarity-transport tabs (Bénévoles, Courses) into the Board.

One call from ``Storage._read``; a sheet without these tabs gives empty lists. A ride
naming a driver that is neither a trip nor a volunteer is kept, and reported to the clerk.
"""
from __future__ import annotations

from comobi.models import RowProblem
from comobi.rides import ride_from_record
from comobi.schema import RIDES, VOLUNTEERS
from comobi.volunteers import volunteer_from_record


def read_tabs(board, grid: dict, parse) -> None:
    """``parse(tab, rows, board, id_prefix, build)`` is the storage's row reader."""
    board.volunteers = parse(VOLUNTEERS, grid.get(VOLUNTEERS.title, []), board, "B",
                             lambda record, number: volunteer_from_record(record, number, board.places))
    board.rides = parse(RIDES, grid.get(RIDES.title, []), board, "C", ride_from_record)
    board.problems.extend(unknown_drivers(board))


def unknown_drivers(board) -> list[RowProblem]:
    known = {v.id.upper() for v in board.volunteers} | {t.id.upper() for t in board.trips}
    return [RowProblem(RIDES.title, ride.row, f"conducteur inconnu : « {ride.driver_id} » (ni un trajet ni un "
                                              "bénévole ; la course est comptée quand même).")
            for ride in board.rides if ride.driver_id and ride.driver_id.upper() not in known]
