"""Other operators' answers, read defensively into what our search page shows (no I/O).

Their data is untrusted: anything malformed is skipped, texts are cut short, and only
http(s) links are kept (the template escapes everything it prints).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any
from urllib.parse import urlsplit

from comobi.french_dates import WEEKDAYS, day_month
from comobi.interop.query import DAY_CODES
from comobi.parsing import format_decimal

MAX_TEXT = 120
MAX_URL = 2000
_TIME_OF_DAY = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)")


@dataclass(frozen=True)
class ExternalJourney:
    """A trip found on another platform; booked there, through ``web_url``."""

    operator: str
    driver_alias: str
    departure: str
    arrival: str
    when: str  # in French: "mardi 8 janvier à 8h10", "lundi, jeudi à 7h45"
    price: str  # "Gratuit", "6,02 €" or "" when not given
    web_url: str
    order: tuple = ()  # sort key: dated journeys by time first, then regular trips


def parse_journeys(payload: Any, operator: str, fallback: tuple[str, str],
                   tz: tzinfo) -> list[ExternalJourney]:
    """A /driver_journeys answer: a list of DriverJourney."""
    found = []
    for item in _items(payload):
        pickup = _number(item.get("passengerPickupDate"))
        when = _date_text(pickup, tz) if pickup is not None else None
        journey = when and _journey(item, operator, fallback, when, (0, pickup))
        if journey:
            found.append(journey)
    return found


def parse_regular_trips(payload: Any, operator: str, fallback: tuple[str, str],
                        tz: tzinfo) -> list[ExternalJourney]:
    """A /driver_regular_trips answer: DriverTrips with schedules."""
    found = []
    for item in _items(payload):
        when = _schedules_text(item.get("schedules"))
        journey = when and _journey(item, operator, fallback, when, (1, 0))
        if journey:
            found.append(journey)
    return found


def _items(payload: Any) -> list[dict]:
    return [item for item in payload if isinstance(item, dict)] if isinstance(payload, list) else []


def _journey(item: dict, operator: str, fallback: tuple[str, str], when: str,
             order: tuple) -> ExternalJourney | None:
    url = safe_url(item.get("webUrl"))
    if not url:
        return None  # nothing the passenger could do with it
    driver = item.get("driver") if isinstance(item.get("driver"), dict) else {}
    return ExternalJourney(
        operator=operator,
        driver_alias=_text(driver.get("alias")) or "Conducteur",
        # Without a pick-up address the pick-up is near the searched place (the
        # standard's radius), which says more to the passenger than the driver's start.
        departure=_text(item.get("passengerPickupAddress")) or fallback[0],
        arrival=_text(item.get("passengerDropAddress")) or fallback[1],
        when=when,
        price=price_text(item.get("price")),
        web_url=url,
        order=order,
    )


def safe_url(value: Any) -> str | None:
    """The URL if it is a plain absolute http(s) link, else None."""
    if not isinstance(value, str) or len(value) > MAX_URL:
        return None
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return value


def price_text(price: Any) -> str:
    if not isinstance(price, dict):
        return ""
    if price.get("type") == "FREE":
        return "Gratuit"
    amount = _number(price.get("amount"))
    if price.get("type") != "PAYING" or amount is None or amount < 0 or amount > 10_000:
        return ""
    currency = price.get("currency") if isinstance(price.get("currency"), str) else "EUR"
    figure = format_decimal(amount, 2)
    return f"{figure} €" if currency.upper() in ("EUR", "") else f"{figure} {_text(currency)[:3]}"


def _date_text(timestamp: float, tz: tzinfo) -> str | None:
    try:
        moment = datetime.fromtimestamp(timestamp, UTC).astimezone(tz)
    except (OverflowError, OSError, ValueError):
        return None
    return f"{day_month(moment)} à {_clock(moment.hour, moment.minute)}"


def _schedules_text(schedules: Any) -> str | None:
    """"lundi, jeudi à 7h45" or "lundi à 7h45, jeudi à 8h00", in weekday order."""
    if not isinstance(schedules, list):
        return None
    by_day: dict[int, str] = {}
    for schedule in schedules:
        if not isinstance(schedule, dict) or schedule.get("passengerPickupDay") not in DAY_CODES:
            continue
        match = _TIME_OF_DAY.match(str(schedule.get("passengerPickupTimeOfDay", "")))
        if match:
            day = DAY_CODES.index(schedule["passengerPickupDay"])
            by_day.setdefault(day, _clock(int(match.group(1)), int(match.group(2))))
    if not by_day:
        return None
    days = sorted(by_day)
    if len(set(by_day.values())) == 1:
        return f"{', '.join(WEEKDAYS[d] for d in days)} à {by_day[days[0]]}"
    return ", ".join(f"{WEEKDAYS[d]} à {by_day[d]}" for d in days)


def _clock(hour: int, minute: int) -> str:
    return f"{hour}h{minute:02d}"


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _text(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(value.split())[:MAX_TEXT]
