"""Pages reached only through links sent by mail, « J'ai perdu mon lien », the alert form,
and the clerk's « Demander par e-mail ».

A link's token finds its row through the hash kept in « Jeton »; writes then go to that
row by its ID (``Storage.update_by_id``), so they land right even after the clerk sorted
the sheet, and only the cells the page changed are written. Links never change anything
on a GET (mail scanners open them): every change is a POST from the page.
"""
from __future__ import annotations

import logging
import re
from datetime import date

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, request, url_for

from comobi import notify, rows
from comobi.mail import outreach, tokens
from comobi.mail.forms import ActionForm, AlertForm, LostLinkForm, TripEditForm
from comobi.mail.mailer import get_mailer
from comobi.models import (
    ALERT_CHANNEL,
    ARCHIVED,
    EXPIRED,
    PAUSED,
    PUBLISHED,
    REQUEST_CANCELLED,
    REQUEST_FOUND,
    REQUEST_NEW,
)
from comobi.parsing import format_days, format_time, normalise_phone
from comobi.schema import REQUESTS, TRIPS
from comobi.storage import get_board, get_places, get_storage
from comobi.web import antibot
from comobi.web.gestion import auth
from comobi.web.submit import form_page

bp = Blueprint("private", __name__)
clerk = Blueprint("mail_gestion", __name__, url_prefix="/gestion")
clerk.before_request(auth.guard)  # the clerk's password, as on every /gestion page
clerk.after_request(auth.private)
log = logging.getLogger(__name__)

_TOKEN_IN_PATH = re.compile(r"(/prive/[a-z]+/)[^/?\s\"]+")
TRIP_ACTIONS = {"confirmer", "pause", "reprendre", "retirer"}
EDITABLE = ("days", "date", "outbound_time", "return_time", "seats", "remarks")


def init_app(app: Flask) -> None:
    app.register_blueprint(clerk)
    for name in ("werkzeug", "gunicorn.access"):
        if _hide_tokens not in logging.getLogger(name).filters:
            logging.getLogger(name).addFilter(_hide_tokens)
    app.context_processor(_gestion_context)


def _hide_tokens(record: logging.LogRecord) -> bool:
    """Private links never reach the access log (Flask's server, gunicorn's access log)."""
    if isinstance(record.args, dict):  # gunicorn: a dict of atoms, changed in place (its own class)
        for key, value in list(record.args.items()):
            if isinstance(value, str):
                record.args[key] = _TOKEN_IN_PATH.sub(r"\1…", value)
    elif record.args:
        record.args = tuple(_TOKEN_IN_PATH.sub(r"\1…", a) if isinstance(a, str) else a for a in record.args)
    record.msg = _TOKEN_IN_PATH.sub(r"\1…", str(record.msg))
    return True


@bp.after_request
def _private(response):
    if request.path.startswith("/prive/"):
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


def today() -> date:
    return current_app.extensions.get("comobi.today", date.today)()


def _bad_link(token: str = ""):
    """Unknown token; or a row still waiting for the sheet (it was down when it was posted)."""
    if token and any(tokens.holds(e.values.get("token", ""), token) for e in get_storage().outbox.entries()):
        return render_template("private/bad_link.html", pending=True), 503
    return render_template("private/bad_link.html"), 404


def _gone():
    return render_template("private/bad_link.html", gone=True), 410


# -- a driver's own trip --------------------------------------------------------------
@bp.route("/prive/trajet/<token>", methods=["GET", "POST"])
def trip_page(token: str):
    trip = tokens.find(get_board().trips, token)
    if trip is None:
        return _bad_link(token)
    edit = TripEditForm(prefix="m") if request.method == "POST" else _edit_form(trip)
    if request.method == "POST":
        action = request.form.get("action", "")
        if action == "modifier":
            return _edit(trip, token, edit)
        if action in TRIP_ACTIONS and ActionForm().validate_on_submit():
            return _act(trip, token, action)
        abort(400)
    return render_template("private/trip.html", trip=trip, token=token, form=edit, action=ActionForm(),
                           suggested=request.args.get("action", ""), shown=_values(trip), editable=EDITABLE)


def _values(trip) -> dict[str, str]:
    """The editable cells as the page shows them."""
    return {
        "days": format_days(trip.days) if trip.is_regular else "",
        "date": rows.date_text(trip.date), "outbound_time": format_time(trip.outbound_time),
        "return_time": format_time(trip.return_time) if trip.return_time else "",
        "seats": str(trip.seats) if trip.seats is not None else "", "remarks": trip.remarks,
    }


def _edit_form(trip) -> TripEditForm:
    return TripEditForm(prefix="m", formdata=None, data=_values(trip))


def _edit(trip, token: str, form: TripEditForm):
    valid = form.validate_on_submit()
    if valid and trip.is_regular and not form.days.value:
        form.days.errors = list(form.days.errors) + ["Indiquez au moins un jour (par exemple : lundi, jeudi)."]
        valid = False
    if valid and not trip.is_regular and not form.date.value:
        form.date.errors = list(form.date.errors) + ["Indiquez la date du trajet (par exemple : 25/12/2026)."]
        valid = False
    if not valid:
        shown = {f: request.form.get(f"was-{f}", "") for f in EDITABLE}
        return render_template("private/trip.html", trip=trip, token=token, form=form, action=ActionForm(),
                               shown=shown, editable=EDITABLE), 422
    current = _values(trip)
    # What the page showed (hidden « was- » fields): a cell the person left alone is not
    # written, even if the clerk changed it meanwhile.
    shown = {f: request.form.get(f"was-{f}", current[f]) for f in EDITABLE}
    wanted = {
        "days": format_days(form.days.value) if trip.is_regular else None,
        "date": rows.date_text(form.date.value) if not trip.is_regular else None,
        "outbound_time": format_time(form.outbound_time.value),
        "return_time": format_time(form.return_time.value) if form.return_time.value else "",
        "seats": str(form.seats.value), "remarks": (form.remarks.data or "").strip(),
    }
    changed = {f: v for f, v in wanted.items() if v is not None and v != shown[f]}
    if not changed:
        flash("Rien n'a changé : votre trajet est tel quel.")
        return redirect(url_for(".trip_page", token=token))
    changed["confirmed"] = rows.date_text(today())
    if get_storage().update_by_id(TRIPS, trip.id, changed, row_hint=trip.row) is None:
        return _gone()
    flash("Vos changements sont enregistrés.")
    return redirect(url_for(".trip_page", token=token))


_ACTION_VALUES = {
    "confirmer": ({}, "Merci : votre trajet reste affiché."),
    "pause": ({"status": PAUSED}, "Votre trajet est en pause : il n'est plus affiché. Vous pouvez le reprendre ici."),
    "reprendre": ({"status": PUBLISHED}, "Votre trajet est de nouveau affiché."),
    "retirer": ({"status": ARCHIVED}, "Votre trajet est retiré. Merci d'avoir participé !"),
}


def _act(trip, token: str, action: str):
    values, message = _ACTION_VALUES[action]
    values = dict(values)
    if action != "retirer":
        values["confirmed"] = rows.date_text(today())
    if action == "reprendre" and trip.status not in (PAUSED, EXPIRED):
        values.pop("status")  # published, pending moderation or archived: the clerk decides
    if action == "confirmer" and trip.status == EXPIRED:
        message = "Merci : votre trajet est de nouveau affiché."
    if get_storage().update_by_id(TRIPS, trip.id, values, row_hint=trip.row) is None:
        return _gone()
    flash(message)
    return redirect(url_for(".trip_page", token=token))


# -- a passenger's request or alert ---------------------------------------------------------
@bp.route("/prive/demande/<token>", methods=["GET", "POST"])
def request_page(token: str):
    found = tokens.find(get_board().requests, token)
    if found is None:
        return _bad_link(token)
    form = ActionForm()
    if request.method == "POST":
        if not form.validate_on_submit() or request.form.get("action") != "annuler":
            abort(400)
        if found.status != REQUEST_CANCELLED:
            row = get_storage().update_by_id(REQUESTS, found.id, {"status": REQUEST_CANCELLED}, row_hint=found.row,
                                             append={"notes": f"{rows.timestamp()} : annulée par la personne (lien "
                                                              "reçu par e-mail)."})
            if row is None:
                return _gone()
        flash("C'est noté : vous ne serez plus prévenu." if notify.is_alert(found)
              else "Votre demande est annulée. Merci de nous avoir prévenus.")
        return redirect(url_for(".request_page", token=token))
    return render_template("private/request.html", req=found, token=token, action=form,
                           is_alert=notify.is_alert(found))


# -- a driver's answer ------------------------------------------------------------------
@bp.route("/prive/reponse/<token>", methods=["GET", "POST"])
def answer(token: str):
    settings = current_app.config["COMOBI"]
    said = tokens.read_answer(current_app.config["SECRET_KEY"], token)
    if said is None:
        return _bad_link()
    if said.expired(today(), settings["mail.answer_days"]):
        return render_template("private/bad_link.html", expired=True), 410
    board = get_board()
    found, trip = board.request(said.request_id), board.trip(said.trip_id)
    if found is None or trip is None:
        return _gone()
    taken = found.status == REQUEST_FOUND and found.proposed_trip != trip.id
    form = ActionForm()
    if request.method == "GET" or taken:
        return render_template("private/answer.html", said=said, req=found, trip=trip, token=token, action=form,
                               taken=taken)
    if not form.validate_on_submit():
        abort(400)
    event = f"answer:{said.nonce}:{'oui' if said.yes else 'non'}"
    if get_mailer().outbox.seen(event):
        return render_template("private/answer.html", said=said, req=found, trip=trip, done=True, again=True)
    who = outreach.alias(trip.first_name, trip.last_name)
    if said.yes:
        values = {"status": REQUEST_FOUND, "proposed_trip": trip.id}
        note = f"{rows.timestamp()} : {who} (trajet {trip.id}) a répondu OUI par e-mail : à rappeler."
    else:
        values, note = {}, f"{rows.timestamp()} : {who} (trajet {trip.id}) a répondu non par e-mail."
    if get_storage().update_by_id(REQUESTS, found.id, values, row_hint=found.row, append={"notes": note}) is None:
        return _gone()
    get_mailer().outbox.mark(event)
    if said.yes:
        outreach.tell_clerk_yes(found, trip)
    return render_template("private/answer.html", said=said, req=found, trip=trip, done=True)


# -- « J'ai perdu mon lien » ------------------------------------------------------------------
@bp.route("/lien-perdu", methods=["GET", "POST"])
def lost_link():
    form = LostLinkForm()
    if not form.validate_on_submit():
        return form_page("private/lost_link.html", form)
    refused = antibot.refusal(form)
    if refused:
        return form_page("private/lost_link.html", form, refused)
    try:
        outreach.send_links(form.email.data)
    except Exception:  # noqa: BLE001 - the answer must not tell whether the address is known
        log.exception("Liens personnels non envoyés")
    return render_template("private/lost_link_done.html")


# -- alerts ---------------------------------------------------------------------------
@bp.route("/alerte", methods=["GET", "POST"])
def alert():
    form = AlertForm()
    if not get_mailer().enabled:  # nobody would ever be told: the request form is the way
        return render_template("private/alert.html", form=form, unavailable=True), 404
    places = get_places()
    if request.method == "GET":
        form.depart.data, form.arrivee.data = request.args.get("depart", ""), request.args.get("arrivee", "")
    origin, destination = places.find(form.depart.data or ""), places.find(form.arrivee.data or "")
    if origin is None or destination is None:
        return render_template("private/alert.html", form=form, missing=True), 200 if request.method == "GET" else 422
    if not form.validate_on_submit():
        return form_page("private/alert.html", form)
    refused = antibot.refusal(form)
    if refused:
        return form_page("private/alert.html", form, refused)
    values = {
        "created": rows.timestamp(), "email": form.email.data.strip(), "phone": normalise_phone(form.phone.data),
        "origin": origin.name, "destination": destination.name, "channel": ALERT_CHANNEL, "status": REQUEST_NEW,
    }
    alert_id, written = antibot.write_once(
        form, "D", lambda fixed: outreach.submit(REQUESTS, {**values, **fixed}, prefix="D").id)
    if written:
        _skip_present_trips(alert_id, origin, destination)
    return render_template("private/alert_done.html", origin=origin, destination=destination)


def _skip_present_trips(alert_id: str, origin, destination) -> None:
    """The trips listed today were already shown to the person: only new ones are mailed."""
    settings = current_app.config["COMOBI"]
    from comobi.models import RideRequest

    stand_in = RideRequest(id=alert_id, row=0, origin=origin, destination=destination, channel=ALERT_CHANNEL,
                           email="-")
    for _, trip in notify.alert_matches([stand_in], get_board().trips, today(), settings["matching.detour_factor"],
                                        settings["matching.near_km"]):
        get_mailer().outbox.mark(notify.alert_event(stand_in, trip))


# -- the clerk's « Demander par e-mail » ----------------------------------------------------------
@clerk.route("/demandes/<request_id>/demander/<trip_id>", methods=["POST"])
def ask_driver(request_id: str, trip_id: str):
    board = get_board()
    found, trip = board.request(request_id), board.trip(trip_id)
    if found is None or trip is None or not ActionForm().validate_on_submit():
        abort(404)
    if not get_mailer().enabled:
        flash("Aucun serveur d'envoi d'e-mails n'est configuré (mail.host) : rien n'a été envoyé.", "error")
    elif outreach.ask_driver(found, trip, today()):
        flash(f"E-mail envoyé à {trip.first_name} {trip.last_name} (trajet {trip.id}) ; c'est noté dans les notes "
              "de la demande. Sa réponse y sera ajoutée.")
    else:
        flash(f"{trip.first_name} {trip.last_name} a déjà reçu cette demande aujourd'hui.", "error")
    return redirect(url_for("gestion.request_page", request_id=request_id) + "#conducteurs")


def _gestion_context() -> dict:
    """The mail status and the trips no longer listed, for the clerk's pages only."""
    if request.blueprint != "gestion" or request.endpoint != "gestion.requests":
        return {"mail_enabled": request.blueprint == "gestion" and get_mailer().enabled}
    try:
        expired = [t for t in get_board().trips if t.status == EXPIRED]
    except Exception:  # noqa: BLE001 - the page shows the storage error itself
        expired = []
    return {"mail_enabled": get_mailer().enabled, "mail_status": get_mailer().status_lines(),
            "expired_trips": expired}
