"""Which personal cells the retention period asks to clear, in every tab: pure, no I/O.

A row is past retention when its last use is older than ``legal.retention_days``: the
latest of its own dates (registration, trip or request date, last confirmation) and of
the rides (tab Courses) that name it. Its personal cells (names, phone, e-mail, precise
addresses, free-text notes) are cleared; what the figures need (communes, days, status,
channel, reason, km, amounts) stays. A row with no readable date is never cleared.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from comobi.parsing import normalise_key, parse_date
from comobi.schema import REQUESTS, RIDES, TRIPS, VOLUNTEERS, HeaderMap, Tab, is_blank

PERSONAL = {
    TRIPS.title: ("first_name", "last_name", "phone", "email", "origin_detail", "destination_detail", "remarks"),
    REQUESTS.title: ("first_name", "last_name", "phone", "email", "origin_detail", "destination_detail", "notes"),
    VOLUNTEERS.title: ("first_name", "last_name", "phone", "email", "remarks"),
    RIDES.title: ("notes",),
}
DATES = {TRIPS.title: ("created", "date"), REQUESTS.title: ("created", "date"),
         VOLUNTEERS.title: ("created",), RIDES.title: ("date",)}
EXTRA_DATE_HEADERS = ("confirmele",)  # "Confirmé le" (freshness of trips), read when present
PURGED_TABS = (TRIPS, REQUESTS, VOLUNTEERS, RIDES)


@dataclass(frozen=True)
class Clearing:
    tab: Tab
    row: int
    record_id: str
    fields: tuple[str, ...]  # the personal fields that hold something
    last_use: date


def plan(grids: dict[str, list[list[str]]], today: date, retention_days: int) -> list[Clearing]:
    """The clearings due: ``grids`` maps tab titles to their rows (header first), values read back."""
    limit = today - timedelta(days=retention_days)
    used = _ride_uses(grids.get(RIDES.title, []))
    clearings = []
    for tab in PURGED_TABS:
        grid = grids.get(tab.title) or []
        if not grid:
            continue
        header = HeaderMap(tab, grid[0])
        extra = [i for i, h in enumerate(grid[0]) if normalise_key(h) in EXTRA_DATE_HEADERS]
        for number, row in enumerate(grid[1:], start=2):
            if is_blank(row):
                continue
            record = header.record(row)
            dates = [_date_of(record.get(f, "")) for f in DATES[tab.title]]
            dates += [_date_of(row[i]) for i in extra if i < len(row)]
            dates.append(used.get(record.get("id", "").upper()))
            known = [d for d in dates if d]
            if not known or max(known) >= limit:
                continue
            filled = tuple(f for f in PERSONAL[tab.title] if record.get(f))
            if filled:
                clearings.append(Clearing(tab, number, record.get("id", ""), filled, max(known)))
    return clearings


def headers_of(clearing: Clearing) -> list[str]:
    by_field = {c.field: c.header for c in clearing.tab.columns}
    return [by_field[f] for f in clearing.fields]


def _ride_uses(grid: list[list[str]]) -> dict[str, date]:
    """The last ride date of each request and driver named in Courses."""
    if not grid:
        return {}
    header = HeaderMap(RIDES, grid[0])
    last: dict[str, date] = {}
    for row in grid[1:]:
        record = header.record(row)
        when = _date_of(record.get("date", ""))
        if when is None:
            continue
        for name in ("request", "driver"):
            key = record.get(name, "").upper()
            if key and (key not in last or last[key] < when):
                last[key] = when
    return last


def _date_of(text: str) -> date | None:
    first = (text or "").strip().split(" ")[0].split("T")[0]
    try:
        return parse_date(first)
    except ValueError:
        return None
