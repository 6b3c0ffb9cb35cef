"""Who must get what today: freshness reminders, trips past their grace, alerts, digests.

Pure functions on the Board's objects, no I/O; ``comobi/mail/daily.py`` sends the mails.
Every message has an event key; the mail outbox never sends one event twice, so running
``flask notify`` twice a day sends nothing new the second time.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Callable, Iterable

from comobi import matching
from comobi.models import (ALERT_CHANNEL, EXPIRED, PUBLISHED, REQUEST_IN_PROGRESS, REQUEST_NEW, RideRequest,
                           Trip)
from comobi.parsing import parse_date

DIGEST_LOOKBACK_DAYS = 7


def created_on(text: str) -> date | None:
    """The day of a « Date d'inscription » cell: '04/12/2026 14:03' -> 4 December 2026."""
    first = (text or "").strip().split(" ")[0]
    try:
        return parse_date(first) if first else None
    except ValueError:
        return None


def last_confirmed(trip: Trip) -> date | None:
    """When the driver last said the trip holds: « Confirmé le », else the day it was posted."""
    return trip.confirmed or created_on(trip.created)


def reminder_event(trip: Trip) -> str:
    return f"reminder:{trip.id}:{last_confirmed(trip)}"


def reminders_due(trips: Iterable[Trip], today: date, confirm_days: int) -> list[Trip]:
    """Published trips with an e-mail, unconfirmed for ``confirm_days``, not yet reminded since."""
    due = []
    for trip in trips:
        since = last_confirmed(trip)
        if trip.status != PUBLISHED or not trip.email or since is None:
            continue
        if today - since >= timedelta(days=confirm_days) and not _reminded_since(trip, since):
            due.append(trip)
    return due


def is_expired(trip: Trip, today: date, grace_days: int) -> bool:
    """Reminded, not confirmed since, and ``grace_days`` have passed: no longer listed."""
    since = last_confirmed(trip)
    return (trip.status == PUBLISHED and since is not None and _reminded_since(trip, since)
            and today - trip.reminded >= timedelta(days=grace_days))


def mark_expired(trips: Iterable[Trip], today: date, grace_days: int) -> list[Trip]:
    """Give expired trips the in-memory status « non confirmé » (never written to the sheet)."""
    expired = [trip for trip in trips if is_expired(trip, today, grace_days)]
    for trip in expired:
        trip.status = EXPIRED
    return expired


def _reminded_since(trip: Trip, since: date) -> bool:
    """Strictly after: a confirmation on the reminder's own day answers it."""
    return trip.reminded is not None and trip.reminded > since


def is_alert(request: RideRequest) -> bool:
    return request.channel.strip().lower() == ALERT_CHANNEL


def live_alerts(requests: Iterable[RideRequest]) -> list[RideRequest]:
    return [r for r in requests if is_alert(r) and r.email and r.origin and r.destination
            and r.status in (REQUEST_NEW, REQUEST_IN_PROGRESS)]


def alert_event(alert: RideRequest, trip: Trip) -> str:
    return f"alert:{alert.id}:{trip.id}"


def alert_matches(alerts: Iterable[RideRequest], trips: list[Trip], today: date, detour_factor: float,
                  near_km: float) -> list[tuple[RideRequest, Trip]]:
    """Each (alert, trip) where a listed trip suits the alert's route, best trips first."""
    found = []
    for alert in alerts:
        matches = matching.match_trips(trips, alert.origin, alert.destination, today=today,
                                       detour_factor=detour_factor, near_km=near_km)
        found.extend((alert, m.trip) for m in matches)
    return found


def digest_event(record_id: str) -> str:
    return f"digest:{record_id}"


def digest_items(trips: Iterable[Trip], requests: Iterable[RideRequest], today: date,
                 seen: Callable[[str], bool]) -> tuple[list[Trip], list[RideRequest]]:
    """Web offers and requests of the last days that no digest has listed yet."""
    since = today - timedelta(days=DIGEST_LOOKBACK_DAYS)

    def fresh(record) -> bool:
        day = created_on(record.created)
        return day is not None and day >= since and not seen(digest_event(record.id))

    new_trips = [t for t in trips if fresh(t)]
    new_requests = [r for r in requests if r.channel.strip().lower() in ("web", ALERT_CHANNEL) and fresh(r)]
    return new_trips, new_requests
