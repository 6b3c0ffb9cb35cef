"""Rows acknowledged to people and then lost from the sheet (issue 18.3): the clerk is told
in /gestion and `sheet check`, puts them back in one click, or says she deleted them."""
import os
import re
import stat
from datetime import datetime, timedelta

import pytest

from comobi.schema import PLACES, REQUESTS, TRIPS
from comobi.storage.journal import Journal
from tests.fault_backends import backend  # noqa: F401 - fixture
from tests.gestion_support import PASSWORD, log_in
from tests.test_forms import OFFER, REQUEST


class Clock:
    def __init__(self):
        self.now = datetime(2026, 12, 4, 10, 0)

    def __call__(self):
        return self.now


# -- the journal on its own ----------------------------------------------------------------

def test_entries_are_kept_for_the_retention_period_only_and_private(tmp_path):
    clock = Clock()
    journal = Journal(tmp_path / "j" / "acknowledged.jsonl", retention_days=30, now=clock)
    journal.record("Trajets", {"id": "T1", "key": "k1", "first_name": "Paul"})
    clock.now += timedelta(days=20)
    journal.record("Demandes", {"id": "D1", "key": "k2"})
    assert [e.id for e in journal.entries()] == ["T1", "D1"]
    assert stat.S_IMODE(os.stat(journal.path).st_mode) == 0o600
    clock.now += timedelta(days=15)
    assert [e.id for e in journal.entries()] == ["D1"]
    assert "Paul" not in journal.path.read_text(encoding="utf-8")  # pruned from the file, not only hidden


def test_dismissed_and_waiting_rows_are_not_missing(tmp_path):
    journal = Journal(tmp_path / "acknowledged.jsonl")
    for n in range(4):
        journal.record("Trajets", {"id": f"T{n}", "key": f"k{n}"})
    journal.dismiss(["k1"])
    gone = journal.missing(lambda tab, entries: {"k0"}, waiting={"k2"})
    assert [e.id for e in gone] == ["T3"]


# -- through HTTP, on both storages ---------------------------------------------------------

def _app(backend, **config):  # noqa: F811
    return backend.make_app(**{"COMOBI_ADMIN_PASSWORD": PASSWORD, "sheet.cache_seconds": 0,
                               "outbox.retry_seconds": 0, **config})


def _post_some(client) -> list[str]:
    ids = []
    for n in range(3):
        page = client.post("/proposer", follow_redirects=True, data={**OFFER, "remarks": f"offre {n}"}).get_data(as_text=True)
        ids.append(page.split("<strong>")[1].split("</strong>")[0])
    page = client.post("/demander", follow_redirects=True, data=REQUEST).get_data(as_text=True)
    ids.append(re.search(r"\bD[0-9A-Z]{5}\b", page).group(0))
    return ids


def _stale_save(backend):  # noqa: F811
    """The clerk saves the copy she opened before the app wrote: its rows are gone."""
    backend.put_rows(TRIPS.title, [TRIPS.headers])
    backend.put_rows(REQUESTS.title, [REQUESTS.headers])


def _ids(backend, tab) -> list[str]:  # noqa: F811
    return [r["ID"] for r in backend.records(tab)]


def test_rows_lost_by_a_stale_save_are_shown_and_put_back_once(backend):
    app = _app(backend)
    client = app.test_client()
    ids = _post_some(client)
    log_in(client)
    assert "plus dans le tableur" not in client.get("/gestion/").get_data(as_text=True)
    _stale_save(backend)
    page = client.get("/gestion/").get_data(as_text=True)
    assert "4 lignes enregistrées par le site" in page and all(i in page for i in ids)
    check = app.test_cli_runner().invoke(args=["sheet", "check"]).output
    assert "4 ligne(s) enregistrée(s) par le site ne sont plus dans le tableur" in check
    assert all(i in check for i in ids)
    keys = re.findall(r'name="key" value="([0-9a-f]+)"', page)
    assert len(keys) == 8  # in both forms
    for _ in range(2):  # a double click puts them back once
        client.post("/gestion/lignes-manquantes/remettre", data={"key": keys[:4]})
    assert sorted(_ids(backend, TRIPS.title)) == sorted(ids[:3])
    assert _ids(backend, REQUESTS.title) == [ids[3]]
    assert [r["Remarques"] for r in backend.records(TRIPS.title)] == ["offre 0", "offre 1", "offre 2"]
    assert "plus dans le tableur" not in client.get("/gestion/").get_data(as_text=True)
    assert "ne sont plus dans le tableur" not in app.test_cli_runner().invoke(args=["sheet", "check"]).output


def test_rows_deleted_on_purpose_are_no_longer_reported(backend):
    app = _app(backend)
    client = app.test_client()
    _post_some(client)
    log_in(client)
    _stale_save(backend)
    keys = re.findall(r'name="key" value="([0-9a-f]+)"', client.get("/gestion/").get_data(as_text=True))
    response = client.post("/gestion/lignes-manquantes/ignorer", data={"key": keys[:4]}, follow_redirects=True)
    assert "ne seront plus signalées" in response.get_data(as_text=True)
    assert "plus dans le tableur" not in client.get("/gestion/").get_data(as_text=True)
    assert _ids(backend, TRIPS.title) == []  # nothing re-added behind her back


def test_rows_waiting_for_the_sheet_or_unreadable_are_not_called_missing(backend):
    app = _app(backend)
    client = app.test_client()
    _post_some(client)
    log_in(client)
    # The clerk types an unknown commune in one of the rows: unreadable, but still there.
    backend.set_cell(TRIPS.title, 2, TRIPS.headers.index("Départ") + 1, "Atlantide")
    backend.faults.fail(503, times=None, only="write")
    client.post("/proposer", follow_redirects=True, data=OFFER)  # kept in the outbox
    backend.recover()
    assert "plus dans le tableur" not in client.get("/gestion/").get_data(as_text=True)


def test_putting_back_needs_the_csrf_token(backend):
    app = _app(backend, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    client.application.config["WTF_CSRF_ENABLED"] = False
    _post_some(client)
    client.application.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/gestion/connexion").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', page).group(1)
    client.post("/gestion/connexion", data={"password": PASSWORD, "csrf_token": token})
    _stale_save(backend)
    keys = re.findall(r'name="key" value="([0-9a-f]+)"', client.get("/gestion/").get_data(as_text=True))
    assert keys
    response = client.post("/gestion/lignes-manquantes/remettre", data={"key": keys})
    assert response.status_code == 400 and _ids(backend, TRIPS.title) == []


@pytest.mark.parametrize("tab", [PLACES.title])
def test_a_sheet_without_journal_entries_says_nothing(backend, tab):
    app = _app(backend)
    client = app.test_client()
    log_in(client)
    assert "plus dans le tableur" not in client.get("/gestion/").get_data(as_text=True)
