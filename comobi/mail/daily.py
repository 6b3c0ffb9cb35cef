"""``flask notify``'s work: reminders, trips past their grace, alerts, the digest, waiting mail.

Who gets what is decided by ``comobi/notify.py``; here the sheet is read and written and
the messages are queued. Every message has an event key, so a second run the same day
sends nothing new.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from flask import current_app

from comobi import notify, rows
from comobi.mail import outreach, tokens
from comobi.mail.mailer import get_mailer
from comobi.mail.message import render
from comobi.models import EXPIRED
from comobi.schema import REQUESTS, TRIPS
from comobi.storage import get_storage


@dataclass
class Report:
    reminders: int = 0
    alerts: int = 0
    digest: int = 0
    sent: int = 0
    expired: list = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def run(today: date) -> Report:
    settings = current_app.config["COMOBI"]
    mailer, storage = get_mailer(), get_storage()
    storage.invalidate()
    board = storage.board()
    report = Report(expired=[t for t in board.trips if t.status == EXPIRED])
    due = notify.reminders_due(board.trips, today, settings["freshness.confirm_days"])
    for trip in due:
        report.reminders += _remind(trip, report)
    by_alert: dict[str, tuple] = {}
    for alert, trip in notify.alert_matches(notify.live_alerts(board.requests), board.trips, today,
                                            settings["matching.detour_factor"], settings["matching.near_km"]):
        if not mailer.outbox.seen(notify.alert_event(alert, trip)):
            by_alert.setdefault(alert.id, (alert, []))[1].append(trip)
    for alert, trips in by_alert.values():
        report.alerts += _alert(alert, trips, report)
    if settings["mail.digest"]:
        report.digest = _digest(board, today)
    report.sent = mailer.deliver(force=True)
    for trip in due:
        _note_reminded(trip, today)
    return report


def _remind(trip, report: Report) -> int:
    mailer = get_mailer()
    if mailer.outbox.seen(notify.reminder_event(trip)):
        return 0
    token = tokens.new_token()
    written = get_storage().update_by_id(TRIPS, trip.id, {"token": tokens.hashed(token)}, row_hint=trip.row)
    if written is None:
        report.problems.append(f"Trajet {trip.id} introuvable au moment du rappel.")
        return 0
    page = outreach.link("private.trip_page", token=token)
    mail = render("reminder", notify.reminder_event(trip), trip.email, "rappel « toujours d'actualité ? »",
                  trip=trip, page=page, grace_days=current_app.config["COMOBI"]["freshness.grace_days"])
    return int(mailer.queue(mail))


def _note_reminded(trip, today: date) -> None:
    """« Rappel envoyé le » once the reminder has left (the grace period counts from it): a
    reminder still waiting for the mail server never hides a trip its driver has not seen.
    A reminder sent between two runs is noted by the next one, a day late at most."""
    if get_mailer().outbox.delivered(notify.reminder_event(trip)):
        get_storage().update_by_id(TRIPS, trip.id, {"reminded": rows.date_text(today)}, row_hint=trip.row)


def _alert(alert, trips: list, report: Report) -> int:
    mailer = get_mailer()
    page = outreach.private_link(REQUESTS, alert)
    if not page:
        report.problems.append(f"Alerte {alert.id} introuvable au moment de l'envoi.")
        return 0
    first = notify.alert_event(alert, trips[0])
    queued = mailer.queue(render("alert", first, alert.email, "alerte « un trajet passe par là »", alert=alert,
                                 trips=trips, page=page,
                                 trip_link=lambda t: outreach.link("public.trip", trip_id=t.id)))
    for trip in trips[1:]:
        mailer.outbox.mark(notify.alert_event(alert, trip))
    return int(queued)


def _digest(board, today: date) -> int:
    mailer = get_mailer()
    trips, requests = notify.digest_items(board.trips, board.requests, today, mailer.outbox.seen)
    if not trips and not requests:
        return 0
    ids = ",".join(sorted(r.id for r in [*trips, *requests]))
    event = f"digest-mail:{today}:{hashlib.sha256(ids.encode()).hexdigest()[:16]}"
    mail = render("digest", event, mailer.clerk_address, "récapitulatif du jour", trips=trips, requests=requests,
                  today=today, page=outreach.link("gestion.requests"),
                  request_link=lambda r: outreach.link("gestion.request_page", request_id=r.id))
    if not mailer.queue(mail):
        return 0
    for record in [*trips, *requests]:
        mailer.outbox.mark(notify.digest_event(record.id))
    return len(trips) + len(requests)
