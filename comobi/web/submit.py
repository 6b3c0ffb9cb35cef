"""The two forms that write to the spreadsheet: a driver's offer, a passenger's request.

Every public form (these two and ``/retrait``) follows ``public_form``: checks, at most one
row per display of the form, then a redirect to its confirmation page (so a refresh or the
back button never sends it again). ``accept`` is the one place where a submission succeeds.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from itsdangerous import BadSignature, URLSafeSerializer

from comobi import rows
from comobi.mail import outreach
from comobi.models import PENDING, PUBLISHED, REQUEST_NEW
from comobi.parsing import format_days, format_time, normalise_phone
from comobi.schema import REQUESTS, TRIPS, Tab
from comobi.storage.service import Submission
from comobi.web import antibot, limits
from comobi.web.forms import RequestForm, TripForm

bp = Blueprint("submit", __name__)


@bp.route("/proposer", methods=["GET", "POST"])
def offer():
    moderated = current_app.config["COMOBI"]["moderation.enabled"]
    return public_form(TripForm(), "offer.html", TRIPS, lambda form: trip_values(form, moderated), "submit.offer_done")


@bp.route("/demander", methods=["GET", "POST"])
def ask():
    return public_form(RequestForm(), "ask.html", REQUESTS, lambda form: request_values(form, channel="web"),
                       "submit.ask_done")


@bp.get("/proposer/merci")
def offer_done():
    sent = confirmed()
    moderated = current_app.config["COMOBI"]["moderation.enabled"]
    return render_template("offer_done.html", trip_id=sent.id, moderated=moderated, delivered=sent.delivered)


@bp.get("/demander/merci")
def ask_done():
    sent = confirmed()
    return render_template("ask_done.html", request_id=sent.id, delivered=sent.delivered)


def public_form(form, template: str, tab: Tab, values: Callable[..., dict[str, str]], done: str,
                prefix: str | None = None):
    """Show the form, or write one row for this display of it and redirect to ``done``."""
    if not form.validate_on_submit():
        return form_page(template, form)
    refused = antibot.refusal(form, count=False)
    if refused:
        return form_page(template, form, refused)
    stamp = antibot.read_stamp(form)
    prefix = prefix or ("T" if tab is TRIPS else "D")
    record_id = stamp.record_id(prefix) if stamp else None
    mailed = _mailed(form)
    if not antibot.first_use(stamp):  # sent again: the row is written (or being written) already
        return redirect(confirmation_url(done, Submission(record_id, False), stamp, mailed), 303)
    refused = antibot.rate_refusal()
    if refused:
        antibot.release(stamp)
        return form_page(template, form, refused)
    try:
        sent = accept(tab, values(form), prefix, record_id)
    except Exception:
        antibot.release(stamp)  # nothing kept: the same form may be sent again
        raise
    if stamp and sent.delivered:
        limits.counters().mark(f"delivered/{stamp.nonce}", antibot.STAMP_LIFETIME_S * 2)
    return redirect(confirmation_url(done, sent, stamp, mailed), 303)


def accept(tab: Tab, values: dict[str, str], prefix: str, record_id: str | None) -> Submission:
    """A public form's row is kept (in the sheet or the outbox): the submission has succeeded.

    ``outreach.submit`` saves the row, then queues the clerk's alert and the confirmation.
    """
    return outreach.submit(tab, {"id": record_id, **values} if record_id else values, prefix=prefix)


def _mailed(form) -> bool:
    """Whether the person gets a confirmation e-mail (the page says so)."""
    email = getattr(form, "email", None)
    return bool(current_app.config["COMOBI"].get("mail.host") and email is not None and (email.data or "").strip())


def confirmation_url(endpoint: str, sent: Submission, stamp: antibot.Stamp | None, mailed: bool) -> str:
    """The same address for every post of one form display (the page looks up what became of it)."""
    said = {"id": sent.id, "n": stamp.nonce} if stamp is not None else {"id": sent.id, "d": bool(sent.delivered)}
    return url_for(endpoint, envoi=_confirmations().dumps({**said, "m": mailed}))


def confirmed() -> Submission:
    """What the confirmation page's address says was sent (signed: no one can forge it)."""
    try:
        value = _confirmations().loads(request.args.get("envoi", ""))
    except BadSignature:
        abort(404)
    if not (isinstance(value, dict) and isinstance(value.get("id"), str)):
        abort(404)
    g.mailed = bool(value.get("m"))
    if isinstance(value.get("n"), str):
        return Submission(value["id"], delivered=limits.counters().marked(f"delivered/{value['n']}"))
    return Submission(value["id"], delivered=bool(value.get("d")))


def _confirmations() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="comobi-form-sent")


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
