"""Rows <-> domain objects: what a record of text cells means, and back.

A row that cannot be understood raises ``RowError`` with a reason in plain French;
the caller skips it and reports it to the clerk.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import date, datetime

from comobi import parsing
from comobi.models import (
    ARCHIVED,
    PAUSED,
    PENDING,
    PUBLISHED,
    REMOVAL_REASON,
    REQUEST_NEW,
    REQUEST_STATUSES,
    RideRequest,
    Trip,
)
from comobi.parsing import normalise_key
from comobi.places import Places
from comobi.schema import REQUESTS, Tab


class RowError(ValueError):
    """The row cannot be used; the message says why, in French."""


def status_keys(statuses, aliases: dict[str, str]) -> dict[str, str]:
    """A status column's words by key (case, accents, spaces ignored), and the aliases typed by hand."""
    return {**{normalise_key(s): s for s in statuses}, **aliases}


def read_number(text: str, pattern: re.Pattern, default, what: str, example: str):
    """A number typed by hand (« 12,5 », « 20 km »: ``pattern``'s first group, spaces of
    thousands ignored); a blank cell is ``default``."""
    if not text.strip():
        return default
    found = pattern.match(text.replace("\u202f", "").replace("\u00a0", ""))
    if not found:
        raise RowError(f"{what} illisible : « {text} » (exemple : {example}).")
    return float(found[1].replace(",", "."))


def read_status(text: str, keys: dict[str, str], default: str, listed: str) -> str:
    """The status a cell typed by hand means; a blank one is ``default``."""
    if not text.strip():
        return default
    status = keys.get(normalise_key(text))
    if status is None:
        raise RowError(f"statut inconnu : « {text} » ({listed}).")
    return status


_TRIP_STATUSES = status_keys((PUBLISHED, PENDING, ARCHIVED, PAUSED), {
    "publie": PUBLISHED, "valide": PUBLISHED, "attente": PENDING, "archive": ARCHIVED, "pause": PAUSED})
_REQUEST_STATUSES = status_keys(REQUEST_STATUSES, {})


# IDs end up in URLs and in the frozen site's paths: "..", "a/b" or "%2e" must never do.
SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")


def is_safe_id(text: str) -> bool:
    return SAFE_ID.fullmatch(text) is not None


def checked_id(text: str) -> str:
    if not is_safe_id(text):
        raise RowError(f"identifiant « {text[:40]} » refusé : seulement des lettres sans accent, des chiffres, "
                       "« - » et « _ » (40 au plus). Corrigez-le dans la colonne ID.")
    return text


def duplicate_ids(items) -> dict[str, list[int]]:
    """IDs held by several rows (a row copied and pasted), with their row numbers: a
    write-back would go to the first of them."""
    rows_of: dict[str, list[int]] = {}
    for item in items:
        rows_of.setdefault(item.id.casefold(), []).append(item.row)
    return {next(i.id for i in items if i.id.casefold() == key): numbers
            for key, numbers in rows_of.items() if len(numbers) > 1}


def same_cell(tab: Tab, field: str, shown: str, now: str) -> bool:
    """Whether a cell still means what the page showed: statuses by their meaning (a blank
    request status is « nouvelle »), other cells ignoring case and spaces around."""
    if field == "status" and tab.title == REQUESTS.title:
        return _request_status(shown) == _request_status(now)
    if field == "status":
        return normalise_key(shown) == normalise_key(now) or _TRIP_STATUSES.get(normalise_key(shown), shown) == \
            _TRIP_STATUSES.get(normalise_key(now), now)
    return " ".join(shown.split()).casefold() == " ".join(now.split()).casefold()


def _request_status(text: str) -> str:
    return _REQUEST_STATUSES.get(normalise_key(text), REQUEST_NEW)


def new_id(prefix: str) -> str:
    """A short identifier a clerk can read out on the phone: T7K2QF."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
    return prefix + "".join(secrets.choice(alphabet) for _ in range(5))


def derived_id(prefix: str, record: dict[str, str], row: int) -> str:
    """The ID given to a row typed without one: the same at every read until it is saved."""
    seed = "|".join([str(row)] + [record.get(k, "") for k in ("created", "first_name", "origin", "destination")])
    return prefix + hashlib.sha1(seed.encode()).hexdigest()[:6].upper()


def trip_from_record(record: dict[str, str], row: int, places: Places, moderation: bool) -> Trip:
    origin = _place(record.get("origin", ""), places, "de départ")
    destination = _place(record.get("destination", ""), places, "d'arrivée")
    days = _parsed(parsing.parse_days, record.get("days", ""))
    when = _parsed(parsing.parse_date, record.get("date", ""))
    if not days and when is None:
        raise RowError("ni jours réguliers ni date : quand ce trajet a-t-il lieu ?")
    return Trip(
        id=checked_id(record["id"]),
        row=row,
        origin=origin,
        destination=destination,
        **person_values(record),
        preferred_contact=record.get("preferred_contact", ""),
        direct_contact=parsing.parse_yes(record.get("direct_contact", "")),
        origin_detail=record.get("origin_detail", ""),
        destination_detail=record.get("destination_detail", ""),
        days=days if when is None else frozenset(),
        date=when,
        outbound_time=_parsed(parsing.parse_time, record.get("outbound_time", "")),
        return_time=_parsed(parsing.parse_time, record.get("return_time", "")),
        seats=_parsed(parsing.parse_seats, record.get("seats", "")),
        remarks=record.get("remarks", ""),
        status=_trip_status(record.get("status", ""), moderation),
        created=record.get("created", ""),
        confirmed=_lenient(parsing.parse_date, record.get("confirmed", "")),
        reminded=_lenient(parsing.parse_date, record.get("reminded", "")),
        token=record.get("token", ""),
    )


def request_from_record(record: dict[str, str], row: int, places: Places) -> RideRequest:
    origin_name, destination_name = record.get("origin", ""), record.get("destination", "")
    is_removal = normalise_key(record.get("reason", "")) == normalise_key(REMOVAL_REASON)
    if not origin_name and not destination_name and not is_removal:
        raise RowError("ni départ ni arrivée.")
    status = _request_status(record.get("status", ""))
    return RideRequest(
        id=checked_id(record["id"]),
        row=row,
        origin=places.find(origin_name) if origin_name else None,
        destination=places.find(destination_name) if destination_name else None,
        origin_name=origin_name,
        destination_name=destination_name,
        **person_values(record),
        origin_detail=record.get("origin_detail", ""),
        destination_detail=record.get("destination_detail", ""),
        date=_lenient(parsing.parse_date, record.get("date", "")),
        days=_lenient(parsing.parse_days, record.get("days", "")) or frozenset(),
        arrival_time=_lenient(parsing.parse_time, record.get("arrival_time", "")),
        return_time=_lenient(parsing.parse_time, record.get("return_time", "")),
        reason=record.get("reason", ""),
        channel=record.get("channel", ""),
        status=status,
        proposed_trip=record.get("proposed_trip", ""),
        notes=record.get("notes", ""),
        created=record.get("created", ""),
        token=record.get("token", ""),
    )


def place_from_record(record: dict[str, str]) -> tuple[list[str], float, float]:
    names = [n.strip() for n in record.get("names", "").split(",") if n.strip()]
    if not names:
        raise RowError("aucun nom de lieu.")
    try:
        latitude = float(record.get("latitude", "").replace(",", "."))
        longitude = float(record.get("longitude", "").replace(",", "."))
    except ValueError as error:
        raise RowError("latitude ou longitude illisible (exemple : 44.4475 et 1.4406).") from error
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise RowError("latitude ou longitude hors limites.")
    return names, latitude, longitude


def timestamp(now: datetime | None = None) -> str:
    return (now or datetime.now()).strftime("%d/%m/%Y %H:%M")


def date_text(value: date | None) -> str:
    # Not strftime: its %Y writes the year 1 as "1", which no reader takes for a year.
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}" if value else ""


def _place(text: str, places: Places, which: str):
    if not text:
        raise RowError(f"commune {which} manquante.")
    place = places.find(text)
    if place is None:
        raise RowError(f"commune {which} inconnue : « {text} ».")
    return place


def person_values(record: dict[str, str]) -> dict[str, str]:
    """A row's ``Person`` cells: names and e-mail as typed, the phone number normalised."""
    return {"first_name": record.get("first_name", ""), "last_name": record.get("last_name", ""),
            "phone": parsing.normalise_phone(record.get("phone", "")), "email": record.get("email", "")}


def _trip_status(text: str, moderation: bool) -> str:
    return read_status(text, _TRIP_STATUSES, PENDING if moderation else PUBLISHED,
                       "publié, en attente, en pause ou archivé")


def _parsed(parse, text: str):
    try:
        return parse(text)
    except ValueError as error:
        raise RowError(str(error)) from error


def _lenient(parse, text: str):
    """Requests are typed in a hurry on the phone: keep the row, drop the odd value."""
    try:
        return parse(text)
    except ValueError:
        return None
