"""Limits and single-use form stamps hold across 4 real gunicorn workers (one SQLite counts file)."""
import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest

from tests.gunicorn_server import Browser, gunicorn, instance_file, location
from tests.test_forms import OFFER
from tests.workbooks import read_tab, trip_row, trips_workbook


@contextmanager
def four_workers(folder, form_limit: int):
    """The app on a one-trip workbook under 4 gunicorn workers: yields (port, workbook)."""
    sheet = trips_workbook(folder / "classeur.xlsx", [trip_row(id="T0001")])
    instance = instance_file(folder, {
        "sheet": {"backend": "local", "path": str(sheet), "snapshot_path": str(folder / "lecture.json")},
        "outbox": {"path": str(folder / "outbox")},
        "security": {"form_rate_limit_per_hour": form_limit, "min_fill_seconds": 0, "secure_cookies": False},
    })
    with gunicorn(instance, workers=4) as port:
        yield port, sheet


@pytest.fixture
def served(tmp_path):
    with four_workers(tmp_path, form_limit=10) as served:
        yield served


def test_a_form_limit_of_10_per_hour_holds_at_10_across_4_workers(served):
    port, sheet = served
    statuses = []
    for n in range(14):  # each from a fresh form display and browser, like separate visits
        browser = Browser(port)
        fields = browser.form_fields("/proposer")
        status, _, _ = browser.request("POST", "/proposer", {**OFFER, **fields, "first_name": f"Paul{n}"})
        statuses.append(status)
    assert statuses.count(303) == 10 and statuses.count(429) == 4, statuses
    assert len(read_tab(sheet, "Trajets")) == 1 + 1 + 10  # headers, T0001, ten offers


def test_one_form_display_sent_five_times_makes_one_row_and_one_confirmation(served):
    port, sheet = served
    browser = Browser(port)
    fields = browser.form_fields("/proposer")
    answers = [browser.request("POST", "/proposer", {**OFFER, **fields}) for _ in range(5)]
    assert {status for status, _, _ in answers} == {303}
    assert len({headers["Location"] for _, headers, _ in answers}) == 1
    confirmation = location(answers[0][1])
    assert confirmation.startswith("/proposer/merci?")
    status, _, page = browser.request("GET", confirmation)
    assert status == 200 and "Son numéro" in page
    assert len(read_tab(sheet, "Trajets")) == 1 + 1 + 1


def test_the_same_form_sent_at_once_to_every_worker_makes_one_row(served):
    port, sheet = served
    browser = Browser(port)
    fields = browser.form_fields("/demander")
    data = {"origin": "Aujols", "destination": "Cahors", "days": ["1"], "first_name": "Jeanne",
            "last_name": "Teulières", "phone": "06 39 98 50 99", "data_consent": "y", **fields}

    def send(_):
        clone = Browser(port)
        clone.cookies = dict(browser.cookies)
        return clone.request("POST", "/demander", data)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(send, range(8)))
    assert {status for status, _, _ in answers} == {303}
    assert len({location(headers) for _, headers, _ in answers}) == 1
    assert len(read_tab(sheet, "Demandes")) == 1 + 1


@pytest.fixture
def unlimited(tmp_path):
    with four_workers(tmp_path, form_limit=0) as (port, sheet):
        yield port, sheet, tmp_path / "outbox"


@pytest.mark.slow
def test_a_hundred_offers_at_once_over_four_workers_land_once_each_with_a_worker_killed(unlimited):
    port, sheet, outbox = unlimited
    visits = []
    for n in range(100):
        browser = Browser(port)
        visits.append((browser, {**OFFER, **browser.form_fields("/proposer"), "first_name": f"Paul{n:03}"}))

    def send(visit):
        browser, data = visit
        try:
            return browser.request("POST", "/proposer", data)[0]
        except ConnectionError:  # in the killed worker's hands: never acknowledged
            return None

    with ThreadPoolExecutor(16) as pool:
        answers = pool.map(send, visits[:50])
        workers = [int(p) for p in os.popen(f"pgrep -f 'gunicorn.*127.0.0.1:0' -P {os.getpid()}").read().split()]
        children = [int(p) for w in workers for p in os.popen(f"pgrep -P {w}").read().split()]
        assert len(children) == 4, (workers, children)
        os.kill(children[0], signal.SIGKILL)  # a worker dies mid-way; gunicorn starts another
        statuses = list(answers) + list(pool.map(send, visits[50:]))
    acknowledged = [data["first_name"] for (_, data), status in zip(visits, statuses, strict=True) if status == 303]
    assert len(acknowledged) >= 90, statuses  # those in the killed worker's hands may get no answer
    assert set(statuses) <= {303, None}, statuses
    Browser(port).request("GET", "/")  # a later request delivers what waits
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and any(outbox.glob("*.json")):
        time.sleep(0.5)
        Browser(port).request("GET", "/")
    header, *rows = read_tab(sheet, "Trajets")
    names = [row[header.index("Prénom")] for row in rows]
    ids = [row[header.index("ID")] for row in rows]
    assert len(ids) == len(set(ids)), "an ID written twice"
    assert sorted(n for n in names if n in acknowledged) == sorted(acknowledged), "an acknowledged offer is missing"
    assert len(names) == len(set(names)), "an offer written twice"
