"""Other carpooling platforms' trips for our search page, through the standard covoiturage.

``external_journeys(settings, origin, destination, weekday=None, at=None, on=None)`` asks
every operator of ``settings["interop.operators"]`` (entries ``{name, url, api_key_header,
api_key}``, ``url`` being the base of their standard API, e.g. ``https://x.fr/api/v1``)
for driver journeys and regular trips, all at once, and gives up on whatever has not
answered within ``settings["interop.timeout_seconds"]`` seconds (2 by default) in total. A slow,
failing or babbling operator yields nothing; this never raises. Answers are cached
per search for a few minutes, in memory.
"""
from __future__ import annotations

import json
import threading
import time as clock
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from comobi.interop.external import ExternalJourney, parse_journeys, parse_regular_trips, safe_url
from comobi.interop.query import DAY_CODES
from comobi.interop.standard import PARIS
from comobi.models import Place

DEFAULT_TIMEOUT_S = 2.0
DEFAULT_RADIUS_KM = 5.0
TIME_DELTA_S = 3600  # around the passenger's hour
WHOLE_DAY = (time(12, 0), 12 * 3600)  # no hour given: noon +/- 12 h
RESULTS_PER_OPERATOR = 10
MAX_BODY_BYTES = 1_000_000
CACHE_TTL_S = 300
CACHE_SIZE = 256


@dataclass(frozen=True)
class Operator:
    name: str
    url: str
    api_key_header: str = ""
    api_key: str = ""


@dataclass(frozen=True)
class Request:
    """One call to one operator, with the parser for its answer."""

    operator: Operator
    url: str
    parse: Callable[[Any, str, tuple[str, str], Any], list[ExternalJourney]]


def external_journeys(settings: dict, origin: Place, destination: Place,
                      weekday: int | None = None, at: time | None = None,
                      on: date | None = None, now: datetime | None = None) -> list[ExternalJourney]:
    """Trips from the configured operators; ``settings`` is ``app.config["COMOBI"]``."""
    operators = configured_operators(settings["interop.operators"])
    if not operators:
        return []
    timeout = _positive(settings["interop.timeout_seconds"], DEFAULT_TIMEOUT_S)
    radius = _positive(settings["matching.near_km"], DEFAULT_RADIUS_KM)
    now = now or datetime.now(UTC)
    requests = build_requests(operators, origin, destination, weekday, at, on, radius, now)
    key = tuple(request.url for request in requests)
    cached = _cache.get(key)
    if cached is None:
        cached = fetch_all(requests, (origin.name, destination.name), timeout)
        _cache.put(key, cached)
    return cached


def configured_operators(entries: Any) -> list[Operator]:
    """The well-formed entries of ``settings["interop.operators"]``; others are ignored."""
    operators = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        name, url = str(entry.get("name") or "").strip(), safe_url(entry.get("url"))
        if name and url:
            operators.append(Operator(name, url.rstrip("/"), str(entry.get("api_key_header") or ""),
                                      str(entry.get("api_key") or "")))
    return operators


def build_requests(operators: list[Operator], origin: Place, destination: Place,
                   weekday: int | None, at: time | None, on: date | None, radius: float,
                   now: datetime) -> list[Request]:
    """Both searches of the standard for every operator (pure)."""
    day = on or _next(weekday, now.astimezone(PARIS).date())
    hour, delta = (at, TIME_DELTA_S) if at else WHOLE_DAY
    departure = datetime.combine(day, hour, tzinfo=PARIS)
    common = {"departureLat": origin.latitude, "departureLng": origin.longitude,
              "arrivalLat": destination.latitude, "arrivalLng": destination.longitude,
              "departureRadius": radius, "arrivalRadius": radius, "timeDelta": delta,
              "count": RESULTS_PER_OPERATOR}
    journeys = {**common, "departureDate": int(departure.timestamp())}
    regular = {**common, "departureTimeOfDay": hour.strftime("%H:%M:%S")}
    if on or weekday is not None:
        regular["departureWeekdays"] = DAY_CODES[day.weekday()]
    return [
        request
        for operator in operators
        for request in (
            Request(operator, f"{operator.url}/driver_journeys?{urlencode(journeys)}", parse_journeys),
            Request(operator, f"{operator.url}/driver_regular_trips?{urlencode(regular)}",
                    parse_regular_trips),
        )
    ]


def fetch_all(requests: list[Request], fallback: tuple[str, str],
              timeout: float) -> list[ExternalJourney]:
    """Run every request concurrently; keep what arrived within ``timeout`` seconds."""
    if not requests:
        return []
    pool = ThreadPoolExecutor(max_workers=min(8, len(requests)))
    futures = [pool.submit(_fetch_one, request, fallback, timeout) for request in requests]
    done, _ = wait(futures, timeout=timeout)
    # Stragglers are abandoned, not awaited; their own socket timeout ends them.
    pool.shutdown(wait=False, cancel_futures=True)
    found = [journey for future in futures if future in done for journey in future.result()]
    return _deduplicated(sorted(found, key=lambda journey: journey.order))


def _fetch_one(request: Request, fallback: tuple[str, str], timeout: float) -> list[ExternalJourney]:
    try:
        payload = _get_json(request, timeout)
        return request.parse(payload, request.operator.name, fallback, PARIS)
    except Exception:  # whatever an operator sends, our search page must not break
        return []


def _get_json(request: Request, timeout: float) -> Any:
    headers = {"Accept": "application/json", "User-Agent": "comobi (covoiturage solidaire)"}
    operator = request.operator
    if operator.api_key_header and operator.api_key:
        headers[operator.api_key_header] = operator.api_key
    with urllib.request.urlopen(urllib.request.Request(request.url, headers=headers),
                                timeout=timeout) as response:
        body = response.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        return None
    return json.loads(body)


def _deduplicated(journeys: list[ExternalJourney]) -> list[ExternalJourney]:
    """One entry per trip page: a regular trip also comes back as a dated journey."""
    seen, kept = set(), []
    for journey in journeys:
        if (journey.operator, journey.web_url) not in seen:
            seen.add((journey.operator, journey.web_url))
            kept.append(journey)
    return kept


def _next(weekday: int | None, today: date) -> date:
    if weekday is None:
        return today
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def _positive(value: Any, default: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


class ResultCache:
    """A small time-bounded, size-bounded, thread-safe memo."""

    def __init__(self, ttl: float = CACHE_TTL_S, size: int = CACHE_SIZE,
                 now: Callable[[], float] = clock.monotonic):
        self.ttl, self.size, self._now = ttl, size, now
        self._entries: dict[Any, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if entry and self._now() - entry[0] < self.ttl:
                return entry[1]
            self._entries.pop(key, None)
            return None

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            if len(self._entries) >= self.size:
                oldest = min(self._entries, key=lambda k: self._entries[k][0])
                del self._entries[oldest]
            self._entries[key] = (self._now(), value)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_cache = ResultCache()


def clear_cache() -> None:
    _cache.clear()
