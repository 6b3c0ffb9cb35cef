"""The two forms that write to the spreadsheet: a driver's offer, a passenger's request."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template

from comobi import rows
from comobi.models import PENDING, PUBLISHED, REQUEST_NEW
from comobi.parsing import format_days, format_time, normalise_phone
from comobi.schema import REQUESTS, TRIPS
from comobi.storage import get_board, get_storage
from comobi.web.forms import RequestForm, TripForm

bp = Blueprint("submit", __name__)


@bp.route("/proposer", methods=["GET", "POST"])
def offer():
    form = TripForm()
    if not form.validate_on_submit():
        return _form_page("offer.html", form)
    moderated = current_app.config["COMOBI"]["moderation.enabled"]
    trip_id = get_storage().add_row(TRIPS, trip_values(form, moderated), prefix="T")
    return render_template("offer_done.html", trip_id=trip_id, moderated=moderated)


@bp.route("/demander", methods=["GET", "POST"])
def ask():
    form = RequestForm()
    if not form.validate_on_submit():
        return _form_page("ask.html", form)
    request_id = get_storage().add_row(REQUESTS, request_values(form, channel="web"), prefix="D")
    return render_template("ask_done.html", request_id=request_id)


def _form_page(template: str, form):
    status = 422 if form.errors else 200
    return render_template(template, form=form, places=get_board().places.in_scope()), status


def trip_values(form: TripForm, moderated: bool) -> dict[str, str]:
    return {
        "created": rows.timestamp(),
        **_person(form),
        "preferred_contact": form.preferred_contact.data,
        "direct_contact": "Oui" if form.direct_contact.data else "Non",
        "origin": form.origin.place.name,
        "origin_detail": form.origin_detail.data.strip(),
        "destination": form.destination.place.name,
        "destination_detail": form.destination_detail.data.strip(),
        **_when(form),
        "outbound_time": format_time(form.outbound_time.value),
        "return_time": format_time(form.return_time.value) if form.return_time.value else "",
        "seats": form.seats.data,
        "remarks": (form.remarks.data or "").strip(),
        "status": PENDING if moderated else PUBLISHED,
    }


def request_values(form: RequestForm, channel: str) -> dict[str, str]:
    return {
        "created": rows.timestamp(),
        **_person(form),
        "origin": form.origin.place.name,
        "origin_detail": form.origin_detail.data.strip(),
        "destination": form.destination.place.name,
        "destination_detail": form.destination_detail.data.strip(),
        **_when(form),
        "arrival_time": format_time(form.arrival_time.value) if form.arrival_time.value else "",
        "return_time": format_time(form.return_time.value) if form.return_time.value else "",
        "reason": form.reason.data.strip(),
        "channel": channel,
        "status": REQUEST_NEW,
    }


def _person(form) -> dict[str, str]:
    return {
        "first_name": form.first_name.data.strip(),
        "last_name": form.last_name.data.strip(),
        "phone": normalise_phone(form.phone.data),
        "email": (form.email.data or "").strip(),
    }


def _when(form) -> dict[str, str]:
    if form.date.value:
        return {"date": rows.date_text(form.date.value), "days": ""}
    return {"date": "", "days": format_days(form.days.days)}
