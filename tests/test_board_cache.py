"""Reads never wait on the network: one refresh at a time, the others served the last board.

The sheet here is the real local adapter behind a gate that holds reads (or writes) until
the test opens it, so "answered while the refresh is held" is shown without timing.
"""
from __future__ import annotations

import threading
import urllib.parse
import urllib.request

from comobi.storage.board_cache import SLOW
from comobi.storage.service import Storage
from tests.fault_backends import backend  # noqa: F401 - fixture
from tests.live_server import serving
from tests.test_forms import OFFER

WAIT = 30  # a guard against a hung test, never a measure


class GatedSpreadsheet:
    """The inner adapter, whose reads (and writes, if asked) wait for ``open()``."""

    def __init__(self, inner, versionless: bool = True):
        self.inner, self.versionless = inner, versionless
        self.reads = 0
        self.read_gate, self.write_gate = threading.Event(), threading.Event()
        self.read_gate.set()
        self.write_gate.set()
        self.held = threading.Event()  # set when a call is waiting at a closed gate

    def version(self):
        return None if self.versionless else self.inner.version()

    def read_tabs(self, titles):
        self.reads += 1
        self._pass(self.read_gate)
        return self.inner.read_tabs(titles)

    def append_rows(self, title, rows):
        self._pass(self.write_gate)
        return self.inner.append_rows(title, rows)

    def _pass(self, gate: threading.Event) -> None:
        if not gate.is_set():
            self.held.set()
            assert gate.wait(WAIT), "gate never opened"

    def __getattr__(self, name):
        return getattr(self.inner, name)


def gated_app(make_app, **config):
    app = make_app(**{"sheet.cache_seconds": 3600, **config})
    storage: Storage = app.extensions["comobi.storage"]
    storage.spreadsheet = GatedSpreadsheet(storage.spreadsheet)
    return app, storage, storage.spreadsheet


def fetch(url: str, data: bytes | None = None) -> tuple[int, str]:
    with urllib.request.urlopen(url, data=data, timeout=WAIT) as response:
        return response.status, response.read().decode()


def in_thread(target, *args) -> tuple[threading.Thread, list]:
    result: list = []
    thread = threading.Thread(target=lambda: result.append(target(*args)), daemon=True)
    thread.start()
    return thread, result


def test_a_page_is_answered_while_another_request_refreshes_the_board(backend):
    app, storage, sheet = gated_app(backend.make_app)
    with serving(app) as base:
        body = urllib.parse.urlencode(OFFER, doseq=True).encode()
        trip_id = fetch(f"{base}/proposer", body)[1].split("<strong>")[1].split("</strong>")[0]
        assert fetch(f"{base}/trajets/{trip_id}")[0] == 200
        sheet.read_gate.clear()
        storage.invalidate()
        refreshing, first = in_thread(fetch, f"{base}/trajets")  # starts the refresh, waits for it
        assert sheet.held.wait(WAIT)
        status, page = fetch(f"{base}/trajets/{trip_id}")
        assert status == 200 and "Lalbenque" in page
        assert refreshing.is_alive()  # the refresh is still held: this page did not wait for it
        sheet.read_gate.set()
        refreshing.join(WAIT)
    assert first[0][0] == 200


def test_a_post_being_written_does_not_hold_the_pages(backend):
    app, _, sheet = gated_app(backend.make_app)
    with serving(app) as base:
        fetch(f"{base}/trajets")
        sheet.write_gate.clear()
        body = urllib.parse.urlencode(OFFER, doseq=True).encode()
        posting, posted = in_thread(fetch, f"{base}/proposer", body)
        assert sheet.held.wait(WAIT)  # the write holds the write and outbox locks
        for url in ("/trajets", "/", "/proposer", "/api/v1/status"):
            assert fetch(f"{base}{url}")[0] == 200, url
        assert posting.is_alive()
        sheet.write_gate.set()
        posting.join(WAIT)
    assert posted[0][0] == 200 and "Merci" in posted[0][1]


def test_the_request_that_refreshes_waits_its_budget_then_serves_the_last_board(make_app):
    _, storage, sheet = gated_app(make_app, **{"sheet.read_wait_seconds": 0.05})
    before = storage.board()
    sheet.read_gate.clear()
    storage.invalidate()
    served = storage.board()
    assert served is before and served.stale_reason == SLOW
    sheet.read_gate.set()
    assert storage.read_now() is before and not before.stale_reason  # same cells: same board


def test_one_refresh_at_a_time_and_nothing_rebuilt_when_the_cells_did_not_change(make_app):
    _, storage, sheet = gated_app(make_app)
    before = storage.board()
    builds = []
    build = storage.cache._build
    storage.cache._build = lambda grids, live: builds.append(live) or build(grids, live)
    reads = sheet.reads
    sheet.read_gate.clear()
    storage.invalidate()
    threads = [in_thread(storage.board) for _ in range(8)]
    assert sheet.held.wait(WAIT)
    sheet.read_gate.set()
    for thread, _ in threads:
        thread.join(WAIT)
    assert sheet.reads == reads + 1
    assert all(result == [before] for _, result in threads)
    assert builds == []  # the same cells as before: the board in hand is kept


def test_a_changed_sheet_is_built_once(make_app):
    app, storage, _ = gated_app(make_app)
    before = storage.board()
    client = app.test_client()
    assert client.post("/proposer", follow_redirects=True, data=OFFER).status_code == 200  # writes, then invalidates
    after = storage.board()
    assert after is not before and len(after.trips) == len(before.trips) + 1
