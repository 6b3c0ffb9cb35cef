"""The standard covoiturage API, read-only, under /api/v1/.

Register with ``app.register_blueprint(comobi.interop.api.blueprint)``.

Routes: GET driver_journeys, driver_regular_trips, status, and openapi.yaml (the
official spec). The other routes of the standard (passenger searches, bookings, messages)
are not offered: booking goes through the trip page (``webUrl``, deep link).

No authentication: the standard declares no security scheme and marks search routes as
"can be left opened to public"; what we publish is what the public trip pages show,
without contact details. A per-address rate limit answers 429 instead.

Where data and settings come from, looked up at request time:
- the trips: ``app.config["COMOBI_BOARD_PROVIDER"]`` (a no-argument callable returning a
  ``models.Board``) if set, else ``comobi.storage.get_board``;
- the clock: ``app.config["COMOBI_NOW"]`` (callable returning an aware datetime) if set;
- settings: ``app.config["COMOBI"]``, keys ``service.domain``, ``service.url``,
  ``tarif.*``, ``matching.detour_factor``, ``interop.rate_limit_per_minute`` (default 60, 0=off),
  counted per client by ``comobi.web.limits`` across workers.
"""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from flask import Blueprint, current_app, jsonify, request, send_file, url_for
from werkzeug.routing import BuildError

from comobi.interop import query as q
from comobi.interop import standard
from comobi.tariff import enabled_tariff
from comobi.web import limits

SPEC_FILE = Path(__file__).with_name("openapi.yaml")
BOARD_PROVIDER = "COMOBI_BOARD_PROVIDER"
CLOCK = "COMOBI_NOW"

blueprint = Blueprint("standard_api", __name__, url_prefix="/api/v1")


@blueprint.before_request
def _rate_limit():
    wait = limits.retry_after("api")
    if wait:
        response = _error(429, "Trop de requêtes : merci de ralentir.")
        response.headers["Retry-After"] = str(wait)
        return response
    return None


@blueprint.after_request
def _open_to_browsers(response):
    # Public read-only data without credentials: any web page may read it.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@blueprint.get("/driver_journeys")
def driver_journeys():
    return _search(q.journey_query, standard.driver_journeys)


@blueprint.get("/driver_regular_trips")
def driver_regular_trips():
    return _search(q.regular_trip_query, standard.driver_regular_trips)


def _search(parse, answer):
    """A search route: the query parsed (400 if bad), the trips read (503), the answer."""
    try:
        wanted = parse(request.args, standard.PARIS)
    except q.BadQuery as error:
        return _error(400, str(error))
    trips = _trips()
    if trips is None:
        return _unavailable()
    return jsonify(answer(trips, wanted, _publication(), _now()))


@blueprint.get("/status")
def status():
    if _trips() is None:
        return _unavailable()
    return jsonify({"status": "ok"})


@blueprint.get("/openapi.yaml")
def openapi_spec():
    return send_file(SPEC_FILE, mimetype="application/yaml")


def _trips():
    """Every trip of the sheet (filtering is the search's job), or None if unreadable."""
    from comobi import storage  # looked up late: tests and the app may swap it

    provider = current_app.config.get(BOARD_PROVIDER) or storage.get_board
    try:
        return list(provider().trips)
    except storage.StorageError as error:  # the sheet is unreachable: a line, not a traceback
        current_app.logger.warning("standard API: cannot read the trips: %s", error)
        return None
    except Exception:  # noqa: BLE001 - a bug: logged in full, answered in the standard's shape
        current_app.logger.exception("standard API: cannot read the trips")
        return None


def _publication() -> standard.Publication:
    settings = _settings()
    return standard.Publication(
        operator=settings["service.domain"] or request.host.split(":")[0],
        trip_url=_trip_url,
        tariff=enabled_tariff(settings),
        road_factor=settings["tarif.road_factor"],
        detour_factor=settings["matching.detour_factor"],
    )


def _trip_url(trip_id: str) -> str:
    base = _settings()["service.url"].rstrip("/")
    if base:
        return f"{base}/trajets/{quote(trip_id, safe='')}"
    try:
        return url_for("public.trip", trip_id=trip_id, _external=True)
    except BuildError:  # no public pages registered (e.g. an API-only app)
        return f"{request.url_root}trajets/{quote(trip_id, safe='')}"


def _settings() -> dict:
    return current_app.config["COMOBI"]


def _now() -> datetime:
    clock = current_app.config.get(CLOCK)
    return clock() if clock else datetime.now(UTC)


def _error(status_code: int, message: str):
    response = jsonify({"error": message})
    response.status_code = status_code
    return response


RETRY_AFTER_SECONDS = 60


def _unavailable():
    """503: the trips cannot be read now (the sheet does not answer and nothing is kept)."""
    response = _error(503, "Service momentanément indisponible : le tableur des trajets ne peut pas être lu. "
                           "Merci de réessayer plus tard.")
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
