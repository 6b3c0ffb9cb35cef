"""Other platforms' trips: our client against fake operators on the loopback."""
from __future__ import annotations

import threading
import time as clock
from datetime import time
from pathlib import Path

import pytest
from flask import Flask, render_template_string, request
from jinja2 import FileSystemLoader

from comobi.interop import operators
from comobi.interop.external import ExternalJourney, parse_journeys, price_text, safe_url
from comobi.interop.standard import PARIS
from comobi.settings import SETTINGS
from comobi.tariff import Tariff
from tests.interop_support import CAHORS, LALBENQUE, MONDAY, NOW, make_app, timestamp
from tests.live_server import serving

MONDAY_8 = dict(weekday=0, at=time(8, 0), now=NOW)


@pytest.fixture(autouse=True)
def fresh_cache():
    operators.clear_cache()
    yield
    operators.clear_cache()




def settings(*entries, timeout=2.0):
    return {**{s.key: s.default for s in SETTINGS},
            "interop.operators": [{"name": name, "url": url, **extra} for name, url, extra in entries],
            "interop.timeout_seconds": timeout}


def fake(answer):
    """An operator answering every route with ``answer()``; counts calls and headers."""
    app = Flask("fake")
    app.calls = []

    @app.route("/api/v1/<route>")
    def any_route(route):
        app.calls.append((route, dict(request.headers)))
        return answer()

    return app


def test_our_own_api_read_back_as_an_operator():
    with serving(make_app(service={"domain": "autre-covoit.fr", "url": ""})) as root:
        found = operators.external_journeys(
            settings(("Autre Covoit", f"{root}/api/v1", {})), LALBENQUE, CAHORS, **MONDAY_8)
    [journey] = found  # the regular trip came twice (journey + regular trip): kept once
    assert journey == ExternalJourney(
        operator="Autre Covoit", driver_alias="Jean D.", departure="Lalbenque",
        arrival="Cahors, Gare SNCF", when="lundi 7 janvier à 8h10",
        price=f"{Tariff().price(19.098):.2f} €".replace(".", ","),
        web_url=f"{root}/trajets/T1", order=journey.order)


def test_regular_trips_are_described_by_their_days():
    app = make_app(service={"domain": "autre-covoit.fr", "url": ""})
    evening = NOW.replace(hour=20)  # Monday evening: today's journey is gone, not the trip
    app.config["COMOBI_NOW"] = lambda: evening
    with serving(app) as root:
        [journey] = operators.external_journeys(
            settings(("Autre", f"{root}/api/v1", {})), LALBENQUE, CAHORS, at=time(8, 0), now=evening)
    assert journey.when == "lundi, mardi, mercredi, jeudi, vendredi à 8h10"
    assert journey.price == ""  # the standard gives regular trips no price


def test_slow_failing_and_garbage_operators_give_nothing_and_never_raise():
    release = threading.Event()

    def slow_answer():
        release.wait(5)
        return []

    slow, broken = fake(slow_answer), fake(lambda: ("Erreur", 500))
    garbage = fake(lambda: ("<html>pas du JSON</html>", 200, {"Content-Type": "application/json"}))
    weird = fake(lambda: {"not": "a list"})
    good = make_app(service={"domain": "autre-covoit.fr", "url": ""})
    try:
        with serving(good) as g, serving(slow) as s, serving(broken) as b, serving(garbage) as x, \
                serving(weird) as w:
            config = settings(("Lent", f"{s}/api/v1", {}), ("Cassé", f"{b}/api/v1", {}),
                              ("Bavard", f"{x}/api/v1", {}), ("Bizarre", f"{w}/api/v1", {}),
                              ("Bon", f"{g}/api/v1", {}), timeout=0.5)
            started = clock.monotonic()
            found = operators.external_journeys(config, LALBENQUE, CAHORS, **MONDAY_8)
            elapsed = clock.monotonic() - started
            release.set()  # the slow operator's answer ends now: its server then stops at once
    finally:
        release.set()
    assert elapsed < 1.2
    assert [journey.operator for journey in found] == ["Bon"]
    assert slow.calls and broken.calls and garbage.calls and weird.calls


def test_answers_are_cached_per_search_and_the_api_key_is_sent():
    counting = fake(lambda: [])
    with serving(counting) as root:
        config = settings(("Clé", f"{root}/api/v1", {"api_key_header": "X-API-Key",
                                                      "api_key": "secret"}))
        operators.external_journeys(config, LALBENQUE, CAHORS, **MONDAY_8)
        operators.external_journeys(config, LALBENQUE, CAHORS, **MONDAY_8)
        operators.external_journeys(config, CAHORS, LALBENQUE, **MONDAY_8)
    assert sorted(route for route, _ in counting.calls) == [
        "driver_journeys", "driver_journeys", "driver_regular_trips", "driver_regular_trips"]
    assert all(headers.get("X-Api-Key") == "secret" for _, headers in counting.calls)


def test_the_standard_parameters_are_asked():
    counting = fake(lambda: [])
    with serving(counting) as root:
        operators.external_journeys(settings(("Op", f"{root}/api/v1", {})), LALBENQUE, CAHORS,
                                    **MONDAY_8)
    requests = operators.build_requests(operators.configured_operators(
        [{"name": "Op", "url": "https://op.example/api/v1/"}]), LALBENQUE, CAHORS, 0, time(8, 0),
        None, 5.0, NOW)
    journeys, regular = (r.url for r in requests)
    assert journeys.startswith("https://op.example/api/v1/driver_journeys?departureLat=44.3394")
    assert f"departureDate={timestamp(MONDAY, 8)}" in journeys and "timeDelta=3600" in journeys
    assert "departureTimeOfDay=08%3A00%3A00" in regular and "departureWeekdays=MON" in regular


def test_misconfigured_operators_are_ignored():
    entries = [{"name": "Fichier", "url": "file:///etc/passwd"}, {"url": "https://x.example"},
               "n'importe quoi", {"name": "Ok", "url": "https://ok.example/api/v1/"}]
    assert operators.configured_operators(entries) == [
        operators.Operator("Ok", "https://ok.example/api/v1")]
    assert operators.external_journeys(settings(*[]) | {"interop.operators": entries[:3]}, LALBENQUE, CAHORS) == []


@pytest.mark.parametrize("url, ok", [
    ("https://op.example/trajet/1", True), ("http://op.example", True),
    ("javascript:alert(1)", False), ("data:text/html,x", False), ("ftp://op.example", False),
    ("//op.example/x", False), ("http://", False), ("https://op.example/a b", False), (42, False),
])
def test_only_http_links_are_kept(url, ok):
    assert (safe_url(url) == url) is ok


@pytest.mark.parametrize("price, text", [
    ({"type": "FREE"}, "Gratuit"), ({"type": "PAYING", "amount": 6, "currency": "EUR"}, "6,00 €"),
    ({"type": "PAYING", "amount": 2.5, "currency": "CHF"}, "2,50 CHF"),
    ({"type": "UNKNOWN"}, ""), ({"type": "PAYING", "amount": -1}, ""), ("gratuit", ""), (None, ""),
])
def test_price_text(price, text):
    assert price_text(price) == text


def test_malformed_items_are_skipped():
    good = {"webUrl": "https://op.example/t/1", "passengerPickupDate": timestamp(MONDAY, 8),
            "driver": {"alias": "  Zoé   B. "}, "price": {"type": "PAYING", "amount": 4.5}}
    payload = [1, "x", None, {"webUrl": "javascript:alert(1)", "passengerPickupDate": 1},
               {"webUrl": "https://op.example/t/2", "passengerPickupDate": "bientôt"},
               {"webUrl": "https://op.example/t/3", "passengerPickupDate": 1e300},
               {**good, "driver": "pas un objet", "price": {"type": "PAYING", "amount": True}},
               good]
    found = parse_journeys(payload, "Op", ("Lalbenque", "Cahors"), PARIS)
    assert [(j.web_url, j.driver_alias, j.price) for j in found] == [
        ("https://op.example/t/1", "Conducteur", ""), ("https://op.example/t/1", "Zoé B.", "4,50 €")]
    assert found[1].when == "lundi 7 janvier à 8h00"


def test_partial_escapes_everything_and_marks_links():
    app = Flask("render")
    app.jinja_loader = FileSystemLoader(Path(__file__).resolve().parent.parent / "templates")
    journey = ExternalJourney(operator="Op <b>", driver_alias="<script>alert(1)</script>",
                              departure="A & B", arrival="C", when="lundi à 8h00", price="Gratuit",
                              web_url="https://op.example/t?a=1&b=2")
    with app.test_request_context():
        html = render_template_string('{% include "_external_trips.html" %}', external=[journey])
        empty = render_template_string('{% include "_external_trips.html" %}', external=[])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="https://op.example/t?a=1&amp;b=2"' in html
    assert 'rel="noopener nofollow"' in html and "A &amp; B" in html
    assert "autres plateformes" in html and empty.strip() == ""
