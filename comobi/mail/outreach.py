"""What the service sends, and when: the messages of each event, queued in the mail outbox.

Runs inside a request (or ``test_request_context`` for ``flask notify``): links are made
with ``url_for``, on ``service.url`` when it is set.
"""
from __future__ import annotations

import logging
import secrets
from datetime import date

from flask import current_app, url_for

from comobi import rows
from comobi.mail import tokens
from comobi.mail.mailer import get_mailer
from comobi.mail.message import render
from comobi.models import ARCHIVED, REQUEST_CANCELLED, RideRequest, Trip
from comobi.schema import REQUESTS, TRIPS, VOLUNTEERS, Tab
from comobi.storage import get_board, get_storage
from comobi.storage.service import Submission

log = logging.getLogger(__name__)


def settings() -> dict:
    return current_app.config["COMOBI"]


def link(endpoint: str, **values) -> str:
    """An absolute address for a mail: on service.url when known, else the current host."""
    base = settings()["service.url"].strip().rstrip("/")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def alias(first_name: str, last_name: str) -> str:
    """First name and initial: all a mail says of someone's name."""
    initial = f" {last_name.strip()[0].upper()}." if last_name.strip() else ""
    return f"{first_name.strip()}{initial}".strip()


# -- a web offer or request ----------------------------------------------------
def submit(tab: Tab, values: dict[str, str], prefix: str, typed_by_clerk: bool = False) -> Submission:
    """Save the row (storage outbox), then queue the clerk's alert and the confirmation.

    With an e-mail, the row carries the hash of a new private token; the token itself
    only goes into the confirmation. A row the clerk typed herself gets no alert to her.
    """
    token = ""
    private_pages = tab.title in (TRIPS.title, REQUESTS.title)  # volunteers have none: the clerk calls them
    if get_mailer().enabled and values.get("email") and private_pages:
        token = tokens.new_token()
        values = {**values, "token": tokens.hashed(token)}
    sent = get_storage().submit(tab, values, prefix)
    try:
        submitted(tab, values, sent.id, token, alert_clerk=not typed_by_clerk)
    except Exception:  # noqa: BLE001 - the row is safe: the person is thanked all the same
        log.exception("E-mails de l'envoi %s non préparés", sent.id)
    return sent


def submitted(tab: Tab, values: dict[str, str], record_id: str, token: str, alert_clerk: bool = True) -> None:
    mailer = get_mailer()
    if not mailer.enabled:
        return
    is_trip = tab.title == TRIPS.title
    is_alert = values.get("channel") == "alerte"
    context = {"values": values, "id": record_id}
    if alert_clerk and not is_alert:
        _alert_clerk(tab, record_id, context)
    if token:
        endpoint = "private.trip_page" if is_trip else "private.request_page"
        kind = "confirm_trip" if is_trip else ("confirm_alert" if is_alert else "confirm_request")
        mailer.queue(render(kind, f"confirm:{record_id}", values["email"], "confirmation",
                            private=link(endpoint, token=token), **context))
    mailer.deliver()


def _alert_clerk(tab: Tab, record_id: str, context: dict) -> None:
    mailer = get_mailer()
    if tab.title == VOLUNTEERS.title:
        mailer.queue(render("clerk_volunteer", f"clerk:{record_id}", mailer.clerk_address, "alerte au référent",
                            page=link("gestion.volunteer_list"), **context))
    elif not settings()["mail.digest"]:
        is_trip = tab.title == TRIPS.title
        where = link("gestion.requests") if is_trip else link("gestion.request_page", request_id=record_id)
        mailer.queue(render("clerk_trip" if is_trip else "clerk_request", f"clerk:{record_id}",
                            mailer.clerk_address, "alerte au référent", page=where, **context))


# -- « J'ai perdu mon lien » ------------------------------------------------------
def send_links(email: str) -> int:
    """New private links for every live row with this address, in one mail; how many rows."""
    mailer = get_mailer()
    wanted = email.strip().lower()
    if not mailer.enabled or not wanted:
        return 0
    board = get_board()
    found = []
    for trip in board.trips:
        if trip.email.strip().lower() == wanted and trip.status != ARCHIVED:
            found.append(("trip", trip, _new_token(TRIPS, trip)))
    for request in board.requests:
        if request.email.strip().lower() == wanted and request.status != REQUEST_CANCELLED:
            found.append(("request", request, _new_token(REQUESTS, request)))
    links = [(kind, record, link(f"private.{kind}_page", token=token)) for kind, record, token in found if token]
    if links:
        on_file = links[0][1].email.strip()  # the address as the sheet holds it, not as typed
        mailer.queue(render("links", f"links:{secrets.token_hex(8)}", on_file, "liens personnels",
                            links=links))
        mailer.deliver()
    return len(links)


def _new_token(tab: Tab, record) -> str:
    """A new token for this row, its hash written in « Jeton » ('' if the row is gone)."""
    token = tokens.new_token()
    row = get_storage().update_by_id(tab, record.id, {"token": tokens.hashed(token)}, row_hint=record.row)
    return token if row else ""


def private_link(tab: Tab, record) -> str:
    """An address for a row's own page, made anew (its old link stops working)."""
    token = _new_token(tab, record)
    endpoint = "private.trip_page" if tab.title == TRIPS.title else "private.request_page"
    return link(endpoint, token=token) if token else ""


# -- asking a driver ---------------------------------------------------------------
def ask_driver(request: RideRequest, trip: Trip, today: date) -> bool:
    """Mail the driver the request with « Oui » / « Non » links; note it in Notes."""
    mailer = get_mailer()
    if not mailer.enabled or not trip.email:
        return False
    yes, no = tokens.answer_tokens(current_app.config["SECRET_KEY"], request.id, trip.id, today)
    mail = render("ask_driver", f"ask:{request.id}:{trip.id}:{today}", trip.email, "question à un conducteur",
                  req=request, trip=trip, yes=link("private.answer", token=yes),
                  no=link("private.answer", token=no), answer_days=settings()["mail.answer_days"])
    if not mailer.queue(mail):
        return False
    note = f"{rows.timestamp()} : demandé par e-mail à {alias(trip.first_name, trip.last_name)} (trajet {trip.id})."
    get_storage().update_by_id(REQUESTS, request.id, {}, row_hint=request.row, append={"notes": note})
    mailer.deliver()
    return True


def tell_clerk_yes(request: RideRequest, trip: Trip) -> None:
    mailer = get_mailer()
    mailer.queue(render("clerk_yes", f"yes:{request.id}:{trip.id}", mailer.clerk_address, "réponse d'un conducteur",
                        req=request, trip=trip, page=link("gestion.request_page", request_id=request.id)))
    mailer.deliver()
