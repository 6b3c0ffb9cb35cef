"""Submissions while the sheet fails in every way: none lost, none doubled, no traceback.

Runs on every backend of ``tests.fault_backends`` (local workbook behind a faulty
wrapper; Google adapter + Sheets stand-in once merged).
"""
import threading
import urllib.parse
import urllib.request
from collections import Counter

import pytest

from comobi.storage import wait_for_delivery
from tests.fault_backends import backend  # noqa: F401 - fixture
from tests.live_server import serving
from tests.sheets_standin import Rule
from tests.test_forms import OFFER, REQUEST

FAULTS = {
    "http 429": lambda f: f.fail(429, times=None, only="write"),
    "http 500": lambda f: f.fail(500, times=None, only="write"),
    "http 503 on everything": lambda f: f.fail(503, times=None),
    "connection reset": lambda f: f.reset(times=None, only="write"),
    "timeout": lambda f: f.delay(1.0, times=None, only="write"),
    "written, then 503": lambda f: f.after_write(status=503, times=None),
    "written, then reset": lambda f: f.after_write(reset=True, times=None),
    "written, then timeout": lambda f: f.after_write(delay=1.0, times=None),
}


def offer(n: int) -> dict:
    return {**OFFER, "remarks": f"offre {n:03d}"}


def remarks(backend) -> list[str]:
    return [r["Remarques"] for r in backend.records("Trajets")]


def later_request(client, url="/"):
    """A request after the sheet recovered, and the delivery it starts in the background
    (after one started earlier, while the sheet was failing, is over)."""
    storage = client.application.extensions["comobi.storage"]
    wait_for_delivery(storage)
    response = client.get(url)
    wait_for_delivery(storage)
    return response


def no_traceback(response) -> str:
    page = response.get_data(as_text=True)
    assert response.status_code < 500, page
    assert "Traceback" not in page and 'File "' not in page
    return page


@pytest.mark.parametrize("fault", FAULTS)
def test_submissions_survive_the_fault_and_arrive_once_in_order(backend, fault):
    client = backend.make_app(**{"outbox.retry_seconds": 0}).test_client()
    no_traceback(client.get("/trajets"))  # the last good data, kept for the outage
    FAULTS[fault](backend.faults)
    for n in range(3):
        page = no_traceback(client.post("/proposer", follow_redirects=True, data=offer(n)))
        assert "Merci" in page and "apparaîtra dans quelques minutes" in page
    no_traceback(client.get("/trajets"))
    backend.recover()
    no_traceback(later_request(client))  # any later request delivers what waits
    assert remarks(backend) == ["offre 000", "offre 001", "offre 002"]


def test_a_slow_sheet_is_waited_for(backend):
    client = backend.make_app().test_client()
    backend.faults.delay(0.01, times=None)
    page = no_traceback(client.post("/proposer", follow_redirects=True, data=offer(1)))
    assert "votre trajet est enregistré" in page
    assert remarks(backend) == ["offre 001"]


def test_requests_and_removals_are_queued_too(backend):
    client = backend.make_app(**{"outbox.retry_seconds": 0}).test_client()
    backend.faults.fail(503, times=None, only="write")
    assert "quelques minutes" in no_traceback(client.post("/demander", follow_redirects=True, data=REQUEST))
    page = no_traceback(client.post("/retrait", follow_redirects=True, data={"reference": "T7K2QF", "phone": "06 39 98 50 99"}))
    assert "bien reçue" in page
    backend.recover()
    later_request(client)
    reasons = [r["Motif"] for r in backend.records("Demandes")]
    assert reasons == ["Médecin", "Demande de retrait"]


def test_retries_wait_for_the_retry_period_then_flush_sends_everything(backend):
    app = backend.make_app(**{"outbox.retry_seconds": 3600})
    client = app.test_client()
    rule = backend.faults.fail(503, times=None, only="write")
    client.post("/proposer", follow_redirects=True, data=offer(1))
    client.post("/proposer", follow_redirects=True, data=offer(2))
    client.get("/trajets")
    assert rule.hits == 1  # one failed attempt, then no hammering of a sheet that is down
    runner = app.test_cli_runner()
    check = runner.invoke(args=["sheet", "check"])
    assert "2 envoi(s) en attente" in check.output and "Trajets" in check.output
    backend.recover()
    result = runner.invoke(args=["sheet", "flush"])
    assert result.exit_code == 0 and "2 envoi(s) écrit(s)" in result.output
    assert remarks(backend) == ["offre 001", "offre 002"]
    assert "Aucun envoi en attente" in runner.invoke(args=["sheet", "flush"]).output


def test_200_offers_with_one_request_in_three_failing(backend):
    """The acceptance scenario: every offer ends in the sheet exactly once, in order.

    200 on the stand-in; 60 on the local workbook, whose every write reloads and saves
    the whole file (200 there pass too, in about 80 s).
    """
    count = 200 if backend.name == "google" else 60
    client = backend.make_app(**{"outbox.retry_seconds": 0}).test_client()
    no_traceback(client.get("/trajets"))
    for rule in (Rule(status=503, after_apply=True, only="write", times=None, ratio=0.1, seed=1),
                 Rule(reset=True, times=None, ratio=0.1, seed=2),
                 Rule(status=429, times=None, ratio=0.15, seed=3)):
        backend.faults.add(rule)
    for n in range(count):
        assert "Merci" in no_traceback(client.post("/proposer", follow_redirects=True, data=offer(n)))
        if n % 20 == 0:
            no_traceback(client.get("/trajets"))
    backend.recover()
    later_request(client)
    assert remarks(backend) == [f"offre {n:03d}" for n in range(count)]


def test_50_simultaneous_submissions_through_a_live_server(backend):
    app = backend.make_app(**{"outbox.retry_seconds": 0})
    statuses, start = [], threading.Barrier(50)
    with serving(app) as base:
        urllib.request.urlopen(f"{base}/trajets").read()
        backend.faults.add(Rule(status=503, times=None, ratio=0.3, seed=5))

        def post(n):
            body = urllib.parse.urlencode({**offer(n), "days": "0"}).encode()
            start.wait()
            with urllib.request.urlopen(f"{base}/proposer", data=body) as response:
                statuses.append(response.status)

        threads = [threading.Thread(target=post, args=(n,)) for n in range(50)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        backend.recover()
        wait_for_delivery(app.extensions["comobi.storage"])
        urllib.request.urlopen(f"{base}/").read()
        wait_for_delivery(app.extensions["comobi.storage"])
    assert statuses == [200] * 50
    counts = Counter(remarks(backend))
    assert counts == Counter(f"offre {n:03d}" for n in range(50))
