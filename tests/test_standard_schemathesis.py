"""Property-based conformance of our API to the official standard covoiturage spec.

Schemathesis reads the spec the app serves (/api/v1/openapi.yaml, the unmodified official
file), generates requests for the three routes we offer and checks status codes, content
types, headers and response bodies against the spec. Deterministic and kept small.

Two runs: everything generated (mostly errors and empty results, since random points are
far from the Lot), and one with the places pinned to Lalbenque -> Cahors on a Monday
morning so that real journeys and regular trips are validated too.
"""
from __future__ import annotations

import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.interop_support import CAHORS, LALBENQUE, MONDAY, make_app, timestamp

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
ROUTES = ["/driver_journeys", "/driver_regular_trips", "/status"]


def _schema(parameters: dict | None = None, mode: str = "all"):
    config = schemathesis.Config.from_dict({
        "seed": 20300107,
        "base-url": "http://localhost/api/v1",
        "parameters": parameters or {},
        "generation": {"mode": mode, "max-examples": 40, "deterministic": True,
                       "database": "none"},
    })
    loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.yaml", make_app(), config=config)
    return loaded.include(path=ROUTES, method="GET")


generated = _schema()
near_our_trips = _schema({
    "query.departureLat": LALBENQUE.latitude, "query.departureLng": LALBENQUE.longitude,
    "query.arrivalLat": CAHORS.latitude, "query.arrivalLng": CAHORS.longitude,
    "query.departureDate": timestamp(MONDAY, 8), "query.departureTimeOfDay": "08:00:00",
}, mode="positive")


@generated.parametrize()
def test_api_conforms_to_the_standard(case):
    case.call_and_validate(checks=CHECKS)


@near_our_trips.parametrize()
def test_api_conforms_with_real_results(case):
    case.call_and_validate(checks=CHECKS)
