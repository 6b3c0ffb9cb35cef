"""The clerk's pages: open requests with their drivers, one request, follow-up, phone intake."""
from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, url_for

from comobi import dispatch
from comobi.models import REQUEST_FOUND
from comobi.schema import REQUESTS, TRIPS
from comobi.storage import StorageError, find_request, get_board, get_storage
from comobi.storage.writer import WriteConflict, WriteUnsure
from comobi.tariff import enabled_tariff, euros, number_fr
from comobi.web.derived import trip_index
from comobi.web.gestion import links, rides
from comobi.web.gestion.blueprint import bp
from comobi.web.gestion.follow_up import planned_write, summary
from comobi.web.gestion.forms import FollowUpForm, PhoneRequestForm, PhoneTripForm
from comobi.web.gestion.intake import intake, write_typed
from comobi.web.gestion.notes import dated
from comobi.web.helpers import service_settings
from comobi.web.submit import request_values, trip_values

SHOWN_IN_LIST = 3  # drivers shown per request on the list; all of them on the request's page
PHONE_CHANNEL = "téléphone"

bp.add_app_template_filter(euros, "euros")
bp.add_app_template_filter(number_fr, "nombre")


@bp.context_processor
def helpers():
    return {"driver_links": driver_links, "shown_in_list": SHOWN_IN_LIST,
            "return_candidates_for": return_candidates_for}


def driver_links(request, trip) -> dict[str, str]:
    """tel:, sms: and mailto: links for one driver about one request ('' when not reachable)."""
    texts = links.driver_messages(request, trip, service_settings())
    return {
        "tel": links.tel_href(trip.phone) if trip.phone else "",
        "sms": links.sms_href(trip.phone, texts["sms"]) if trip.phone else "",
        "mail": links.mailto_href(trip.email, texts["subject"], texts["body"]) if trip.email else "",
    }


@bp.route("/")
def requests():
    board = get_board()
    waiting = dispatch.open_requests(board.requests, date.today())
    by_request = {r.id: candidates_for(r) for r in waiting}
    grouped = [(g, dispatch.shared_trips(g, by_request)) for g in dispatch.groups(waiting)]
    problems = [p for p in board.problems if p.tab == REQUESTS.title]
    return render_template("gestion/requests.html", groups=grouped, by_request=by_request, problems=problems,
                           count=len(waiting))


@bp.route("/demandes/<request_id>")
def request_page(request_id: str):
    found = find_request(request_id) or abort(404)
    form = FollowUpForm(row=str(found.row), status=found.status, proposed_trip=found.proposed_trip,
                        shown_status=found.status, shown_trip=found.proposed_trip)
    return _request_page(found, form)


@bp.route("/demandes/<request_id>/suivi", methods=["POST"])
def follow_up(request_id: str):
    found = get_board().request(request_id)
    if found is None:
        return _gone(request_id)
    form = FollowUpForm()
    if not form.validate_on_submit():
        return _request_page(found, form, status=422)
    note = (form.note.data or "").strip()
    # A form from an older page does not say what it showed: the app's last read stands in.
    shown = form.shown() or {"status": found.status, "proposed_trip": found.proposed_trip}
    values, expected = planned_write(form.status.data, form.trip_id, shown)
    if not values and not note:
        flash(f"Rien n'a changé pour la demande {request_id} : rien n'a été écrit.")
        return redirect(url_for(".request_page", request_id=request_id))
    try:
        row = get_storage().update_by_id(REQUESTS, request_id, values, row_hint=form.row_hint,
                                         append={"notes": dated(note)} if note else None, expected=expected)
    except WriteConflict as conflict:
        return _conflict_page(request_id, found, form, conflict)
    except WriteUnsure as error:
        return _request_page(found, form, status=409, problem=str(error))
    except StorageError as error:
        problem = (f"Le tableur ne répond pas : rien n'a été écrit ({error}). Réessayez dans quelques minutes ; "
                   "ce que vous avez saisi est gardé ci-dessous.")
        return _request_page(found, form, status=503, problem=problem)
    if row is None:
        return _gone(request_id)
    if form.status.data == REQUEST_FOUND and form.trip_id:
        rides.log_served(found, form.trip_id)  # the ride log (tab Courses), once per request and driver
    flash(summary(request_id, values, note, row, form.row_hint))
    return redirect(url_for(".request_page", request_id=request_id))


def _conflict_page(request_id: str, found, form: FollowUpForm, conflict: WriteConflict):
    """The clerk changed the row meanwhile: show her what, keep what she typed; sending
    again writes over the sheet's new values, knowingly (the form now says it showed them)."""
    storage = get_storage()
    storage.invalidate()
    shown = form.shown() or {"status": found.status, "proposed_trip": found.proposed_trip}
    shown.update({change.field: change.now for change in conflict.changes})
    form.shown_status.data, form.shown_trip.data = shown["status"], shown["proposed_trip"]
    return _request_page(found, form, status=409, conflict=conflict)


@bp.route("/demande-telephone", methods=["GET", "POST"])
@intake(PhoneRequestForm, "gestion/phone_request.html")
def phone_request(form: PhoneRequestForm):
    values = request_values(form, channel=PHONE_CHANNEL)
    note = (form.notes.data or "").strip()
    if note:
        values["notes"] = dated(note)
    request_id = write_typed(form, REQUESTS, values, "D",
                             "Demande {id} enregistrée. Voici les conducteurs qui peuvent convenir.")
    return redirect(url_for(".request_page", request_id=request_id))


@bp.route("/trajet-telephone", methods=["GET", "POST"])
@intake(PhoneTripForm, "gestion/phone_trip.html")
def phone_trip(form: PhoneTripForm):
    values = trip_values(form, moderated=False)
    trip_id = write_typed(form, TRIPS, values, "T", "Trajet {id} enregistré et publié.")
    return redirect(url_for(".phone_trip", nouveau=trip_id))


def _gone(request_id: str):
    flash(f"La demande {request_id} n'est plus dans le tableur (ligne supprimée ?) : rien n'a été écrit.", "error")
    return redirect(url_for(".requests"))


def candidates_for(request, journey: str = dispatch.OUTBOUND) -> list[dispatch.Candidate]:
    """Drivers for the request's way there, or for its way back (`return_candidates_for`),
    from the board's trip index (built with the instance's matching settings)."""
    settings = current_app.config["COMOBI"]
    return dispatch.candidates(request, trip_index(), date.today(), tariff=enabled_tariff(settings),
                               journey=journey)


def return_candidates_for(request) -> list[dispatch.Candidate]:
    return candidates_for(request, dispatch.RETURN)


def _request_page(found, form: FollowUpForm, status: int = 200, conflict: WriteConflict | None = None,
                  problem: str = ""):
    board = get_board()
    proposed = board.trip(found.proposed_trip) if found.proposed_trip else None
    return render_template("gestion/request.html", req=found, form=form, candidates=candidates_for(found),
                           proposed=proposed, conflict=conflict, problem=problem), status


