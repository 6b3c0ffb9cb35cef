"""The two forms that write to the spreadsheet: a driver's offer, a passenger's request."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template

from comobi import rows
from comobi.models import PENDING, PUBLISHED, REQUEST_NEW
from comobi.parsing import format_days, format_time, normalise_phone
from comobi.schema import REQUESTS, TRIPS
from comobi.mail import outreach
from comobi.web import antibot
from comobi.web.forms import RequestForm, TripForm

bp = Blueprint("submit", __name__)


@bp.route("/proposer", methods=["GET", "POST"])
def offer():
    form = TripForm()
    if not form.validate_on_submit():
        return form_page("offer.html", form)
    refused = antibot.refusal(form)
    if refused:
        return form_page("offer.html", form, refused)
    moderated = current_app.config["COMOBI"]["moderation.enabled"]
    sent = outreach.submit(TRIPS, trip_values(form, moderated), prefix="T")  # row, then clerk alert + confirmation
    return render_template("offer_done.html", trip_id=sent.id, moderated=moderated, delivered=sent.delivered)


@bp.route("/demander", methods=["GET", "POST"])
def ask():
    form = RequestForm()
    if not form.validate_on_submit():
        return form_page("ask.html", form)
    refused = antibot.refusal(form)
    if refused:
        return form_page("ask.html", form, refused)
    sent = outreach.submit(REQUESTS, request_values(form, channel="web"), prefix="D")
    return render_template("ask_done.html", request_id=sent.id, delivered=sent.delivered)


def form_page(template: str, form, refused: antibot.Refusal | None = None):
    """The form, filled with what was posted, its errors and any refusal message."""
    antibot.prepare(form)
    status = refused.status if refused else 422 if form.errors else 200
    return render_template(template, form=form, notice=refused.message if refused else ""), status


def trip_values(form: TripForm, moderated: bool) -> dict[str, str]:
    return {
        "created": rows.timestamp(),
        **_person(form),
        "preferred_contact": form.preferred_contact.data,
        "direct_contact": "Oui" if form.direct_contact.data else "Non",
        "origin": form.origin.place.name,
        "origin_detail": _text(form.origin_detail),
        "destination": form.destination.place.name,
        "destination_detail": _text(form.destination_detail),
        **_when(form),
        "outbound_time": format_time(form.outbound_time.value),
        "return_time": format_time(form.return_time.value) if form.return_time.value else "",
        "seats": form.seats.data,
        "remarks": _text(form.remarks),
        "status": PENDING if moderated else PUBLISHED,
    }


def request_values(form: RequestForm, channel: str) -> dict[str, str]:
    return {
        "created": rows.timestamp(),
        **_person(form),
        "origin": form.origin.place.name,
        "origin_detail": _text(form.origin_detail),
        "destination": form.destination.place.name,
        "destination_detail": _text(form.destination_detail),
        **_when(form),
        "arrival_time": format_time(form.arrival_time.value) if form.arrival_time.value else "",
        "return_time": format_time(form.return_time.value) if form.return_time.value else "",
        "reason": _text(form.reason),
        "channel": channel,
        "status": REQUEST_NEW,
    }


def _person(form) -> dict[str, str]:
    return {
        "first_name": _text(form.first_name),
        "last_name": _text(form.last_name),
        "phone": normalise_phone(form.phone.data),
        "email": _text(form.email),
    }


def _text(field) -> str:
    return (field.data or "").strip()


def _when(form) -> dict[str, str]:
    if form.date.value:
        return {"date": rows.date_text(form.date.value), "days": ""}
    return {"date": "", "days": format_days(form.days.days)}
