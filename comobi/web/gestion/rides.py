"""/gestion: the ride log (tab Courses). A request served by a driver or a volunteer gets its
rows; the clerk marks them done or cancelled; her own edits in the sheet show up here."""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app, flash, redirect, render_template, request, url_for

from comobi import rides, volunteers
from comobi.models import REQUEST_FOUND, RideRequest
from comobi.schema import REQUESTS, RIDES
from comobi.storage import get_board, get_storage
from comobi.tariff import Tariff
from comobi.web.gestion.blueprint import bp
from comobi.web.gestion.notes import dated

RECENT_DAYS = 31


@bp.context_processor
def ride_helpers():
    return {"rides_of_request": lambda req: sorted((r for r in get_board().rides if r.request_id == req.id),
                                                   key=lambda r: r.date),
            "driver_name": driver_name, "ride_statuses": rides.STATUSES}


def driver_name(driver_id: str) -> str:
    """'Josette Lafon' for a trip's driver or a volunteer; the ID itself when unknown."""
    board = get_board()
    person = volunteers.by_id(board.volunteers, driver_id) or board.trip(driver_id)
    name = f"{person.first_name} {person.last_name}".strip() if person else ""
    return name or driver_id


@bp.route("/demandes/<request_id>/servie", methods=["POST"])
def serve_request(request_id: str):
    found = get_board().request(request_id)
    if found is None:
        flash(f"La demande {request_id} n'est plus dans le tableur : rien n'a été écrit.", "error")
        return redirect(url_for(".requests"))
    driver_id = (request.form.get("driver") or "").strip()
    board = get_board()
    volunteer = volunteers.by_id(board.volunteers, driver_id)
    if volunteer is None and board.trip(driver_id) is None:
        flash(f"Aucun conducteur ni bénévole « {driver_id} » dans le tableur : rien n'a été écrit.", "error")
        return redirect(url_for(".request_page", request_id=request_id))
    row = _mark_found(found, driver_id, volunteer is not None)
    if row is None:
        flash(f"La demande {request_id} n'est plus dans le tableur : rien n'a été écrit.", "error")
        return redirect(url_for(".requests"))
    logged = log_served(found, driver_id)
    flash(f"Demande {request_id} : statut « trouvée » avec {driver_name(driver_id)}. " + _logged_text(logged))
    return redirect(url_for(".request_page", request_id=request_id))


def log_served(found: RideRequest, driver_id: str) -> list[str]:
    """Append the Courses rows of a request served by ``driver_id`` (none if already there)."""
    if not driver_id or found.origin is None or found.destination is None:
        return []
    board = get_board()
    if any(r.request_id == found.id and r.driver_id.upper() == driver_id.upper() and r.status != rides.CANCELLED
           for r in board.rides):
        return []
    settings = current_app.config["COMOBI"]
    tariff = Tariff.from_settings(settings)
    volunteer = volunteers.by_id(board.volunteers, driver_id)
    if volunteer is not None:
        km = rides.volunteer_km(volunteer.home, found.origin, found.destination, tariff.road_factor)
    else:
        km = rides.ride_km(found.origin, found.destination, tariff.road_factor)
    cost = rides.costing(km, tariff)
    storage = get_storage()
    return [storage.add_row(RIDES, rides.ride_values(found, driver_id, when, cost), prefix="C")
            for when in rides.ride_dates(found, date.today(), settings["courses.weeks_ahead"])]


def _mark_found(found: RideRequest, driver_id: str, is_volunteer: bool) -> int | None:
    values = {"status": REQUEST_FOUND}
    if not is_volunteer:
        values["proposed_trip"] = driver_id
    note = f"servie par le bénévole {driver_name(driver_id)} ({driver_id})" if is_volunteer else ""
    return get_storage().update_by_id(REQUESTS, found.id, values, row_hint=found.row,
                                      append={"notes": dated(note)} if note else None)


def _logged_text(ids: list[str]) -> str:
    if not ids:
        return "Ses courses étaient déjà dans l'onglet Courses."
    return f"{len(ids)} course(s) inscrite(s) dans l'onglet Courses."


@bp.route("/courses")
def ride_list():
    board = get_board()
    today = date.today()
    since = today - timedelta(days=RECENT_DAYS)
    shown = sorted((r for r in board.rides if r.date >= since), key=lambda r: (r.date, r.time or r.date.min, r.id))
    problems = [p for p in board.problems if p.tab == RIDES.title]
    months = sorted({r.date.replace(day=1) for r in board.rides}, reverse=True)
    return render_template("gestion/rides.html", rides=shown, problems=problems, today=today, months=months)


@bp.route("/courses/planifier", methods=["POST"])
def plan_ahead():
    """Regular rides (every Tuesday...): add the rows of the coming weeks, same driver and costs."""
    board = get_board()
    settings = current_app.config["COMOBI"]
    storage = get_storage()
    added = 0
    for (request_id, driver_id), logged in _regular_series(board).items():
        found = board.request(request_id)
        last = max(logged, key=lambda r: r.date)
        cost = rides.Costing(last.km or 0.0, last.indemnity or 0.0, last.tickets or 0)
        for when in rides.dates_to_add(found, [r.date for r in logged], date.today(), settings["courses.weeks_ahead"]):
            storage.add_row(RIDES, rides.ride_values(found, driver_id, when, cost), prefix="C")
            added += 1
    flash(f"{added} course(s) régulière(s) ajoutée(s) pour les {settings['courses.weeks_ahead']} semaines à venir."
          if added else "Les courses régulières des semaines à venir sont déjà inscrites.")
    return redirect(url_for(".ride_list"))


def _regular_series(board) -> dict[tuple[str, str], list]:
    """Rides of regular requests still served ("trouvée"), by request and driver (cancelled ones too:
    a cancelled date is not logged again)."""
    series: dict[tuple[str, str], list] = {}
    for ride in board.rides:
        found = board.request(ride.request_id) if ride.request_id else None
        if found and found.days and not found.date and found.status == REQUEST_FOUND and ride.driver_id:
            series.setdefault((found.id, ride.driver_id), []).append(ride)
    return series


@bp.route("/courses/<ride_id>/statut", methods=["POST"])
def ride_status(ride_id: str):
    status = request.form.get("status", "")
    back = request.form.get("suite", "")
    back = back if back.startswith("/gestion/") and "\n" not in back and "\r" not in back else url_for(".ride_list")
    if status not in rides.STATUSES:
        flash("Statut inconnu : rien n'a été écrit.", "error")
        return redirect(back)
    found = next((r for r in get_board().rides if r.id == ride_id), None)
    row = get_storage().update_by_id(RIDES, ride_id, {"status": status}, row_hint=found.row if found else None)
    if row is None:
        flash(f"La course {ride_id} n'est plus dans le tableur : rien n'a été écrit.", "error")
    else:
        flash(f"Course {ride_id} : statut « {status} » enregistré dans le tableur (ligne {row}).")
    return redirect(back)
