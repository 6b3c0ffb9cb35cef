"""/gestion: printable papers, one A4 each: a driver's day sheet (feuille de route), a ride
receipt the passenger signs (bon de transport), each driver's monthly statement and its CSV."""
from __future__ import annotations

from datetime import date

from flask import abort, render_template

from comobi import rides, volunteers
from comobi.parsing import format_decimal
from comobi.storage import get_board
from comobi.web.gestion.bilan import csv_download, csv_text
from comobi.web.gestion.blueprint import bp

STATEMENT_HEADERS = ["Course", "Date", "Heure", "Départ", "Arrivée", "Km", "Indemnité (€)", "Tickets", "Demande"]
MONTH_HEADERS = ["Conducteur", "Nom", "Courses faites", "Km", "Indemnité (€)", "Tickets"]


@bp.route("/feuille-de-route/<driver_id>/<day>")
def day_sheet(driver_id: str, day: str):
    when = _day(day)
    board = get_board()
    person = _person(driver_id)
    legs = [(r, board.request(r.request_id)) for r in rides.of_driver(board.rides, driver_id)
            if r.date == when and r.status != rides.CANCELLED]
    return render_template("gestion/papers/day_sheet.html", person=person, driver_id=driver_id, day=when, legs=legs)


@bp.route("/courses/<ride_id>/bon")
def transport_receipt(ride_id: str):
    board = get_board()
    ride = next((r for r in board.rides if r.id == ride_id), None) or abort(404)
    return render_template("gestion/papers/receipt.html", ride=ride, req=board.request(ride.request_id),
                           person=_person(ride.driver_id))


@bp.route("/releves/<month>")
def statements(month: str):
    first = _month(month)
    return render_template("gestion/papers/statements.html", month=first, lines=_month_lines(first))


@bp.route("/releves/<month>.csv")
def statements_csv(month: str):
    first = _month(month)
    body = [[line["id"], line["name"], str(line["count"]), format_decimal(line["km"], 1),
             format_decimal(line["indemnity"], 2), str(line["tickets"])] for line in _month_lines(first)]
    return csv_download(csv_text(body, MONTH_HEADERS), f"releve-{first:%Y-%m}.csv")


@bp.route("/releves/<month>/<driver_id>")
def statement(month: str, driver_id: str):
    first = _month(month)
    done = _done(first, driver_id)
    planned = [r for r in rides.in_month(rides.of_driver(get_board().rides, driver_id), first)
               if r.status == rides.PLANNED]
    return render_template("gestion/papers/statement.html", month=first, person=_person(driver_id),
                           driver_id=driver_id, rides=done, total=totals(done), planned=planned)


@bp.route("/releves/<month>/<driver_id>.csv")
def statement_csv(month: str, driver_id: str):
    first = _month(month)
    done = _done(first, driver_id)
    body = [[r.id, f"{r.date:%d/%m/%Y}", _time(r), r.origin, r.destination, _number(r.km, 1),
             _number(r.indemnity, 2), str(r.tickets or 0), r.request_id] for r in done]
    total = totals(done)
    body.append(["Total", "", "", "", "", format_decimal(total["km"], 1), format_decimal(total["indemnity"], 2),
                 str(total["tickets"]), ""])
    return csv_download(csv_text(body, STATEMENT_HEADERS), f"releve-{first:%Y-%m}-{driver_id}.csv")


def totals(done: list[rides.Ride]) -> dict:
    return {"count": len(done), "km": round(sum(r.km or 0 for r in done), 1),
            "indemnity": round(sum(r.indemnity or 0 for r in done), 2), "tickets": sum(r.tickets or 0 for r in done)}


def _done(month: date, driver_id: str) -> list[rides.Ride]:
    return [r for r in rides.in_month(rides.of_driver(get_board().rides, driver_id), month) if r.status == rides.DONE]


def _month_lines(month: date) -> list[dict]:
    board = get_board()
    drivers = sorted({r.driver_id.upper() for r in rides.in_month(board.rides, month) if r.status == rides.DONE})
    lines = []
    for driver_id in drivers:
        person = _person(driver_id)
        spelled = person["id"] if person["known"] else driver_id
        lines.append({"id": spelled, "name": person["name"], **totals(_done(month, driver_id))})
    return lines


def _person(driver_id: str) -> dict:
    """Name, phone and home of a volunteer or a trip's driver, for the papers."""
    board = get_board()
    volunteer = volunteers.by_id(board.volunteers, driver_id) or next(
        (v for v in board.volunteers if v.id.upper() == driver_id.upper()), None)
    if volunteer:
        return {"id": volunteer.id, "name": volunteer.name, "phone": volunteer.phone, "home": volunteer.home.name,
                "kind": "bénévole", "known": True}
    trip = board.trip(driver_id) or next((t for t in board.trips if t.id.upper() == driver_id.upper()), None)
    if trip:
        return {"id": trip.id, "name": f"{trip.first_name} {trip.last_name}".strip(), "phone": trip.phone,
                "home": trip.origin.name, "kind": "conducteur", "known": True}
    return {"id": driver_id, "name": driver_id, "phone": "", "home": "", "kind": "conducteur", "known": False}


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        abort(404)


def _month(text: str) -> date:
    try:
        return date.fromisoformat(f"{text}-01")
    except ValueError:
        abort(404)


def _number(value: float | None, decimals: int) -> str:
    return format_decimal(value, decimals) if value is not None else ""


def _time(ride: rides.Ride) -> str:
    from comobi.parsing import format_time

    return format_time(ride.time)


