"""The outbox on its own, and pages while the sheet is down."""
import json
from datetime import datetime, timedelta

from comobi.storage.outbox import Outbox
from comobi.web.freshness import stale_note
from comobi.models import Board
from tests.fault_backends import backend  # noqa: F401 - fixture
from tests.test_forms import OFFER


def test_entries_come_back_in_order_and_leave_no_temporary_file(tmp_path):
    outbox = Outbox(tmp_path / "outbox")
    for n in range(5):
        outbox.put("Trajets", {"id": f"T{n}", "key": f"k{n}", "remarks": "é"})
    assert [e.id for e in outbox.entries()] == ["T0", "T1", "T2", "T3", "T4"]
    assert sorted(p.suffix for p in (tmp_path / "outbox").iterdir() if p.name != ".lock") == [".json"] * 5
    first = outbox.entries()[0]
    outbox.done(first)
    assert not outbox.contains("k0") and outbox.contains("k1")


def test_an_unreadable_entry_is_left_aside_not_fatal(tmp_path, caplog):
    outbox = Outbox(tmp_path)
    outbox.put("Trajets", {"id": "T1", "key": "k1"})
    (tmp_path / "0-broken.json").write_text("{not json")
    assert [e.id for e in outbox.entries()] == ["T1"]
    assert "illisible" in caplog.text


def test_the_submission_is_on_disk_before_the_thanks(backend, tmp_path):
    client = backend.make_app().test_client()
    backend.faults.fail(503, times=None, only="write")
    page = client.post("/proposer", follow_redirects=True, data={**OFFER, "remarks": "gardé"}).get_data(as_text=True)
    trip_id = page.split("<strong>")[1].split("</strong>")[0]
    [saved] = (tmp_path / "outbox").glob("*.json")
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["tab"] == "Trajets" and data["values"]["id"] == trip_id
    assert data["values"]["remarks"] == "gardé" and len(data["values"]["key"]) == 16
    assert f"/trajets/{trip_id}" not in page  # not published yet: no link to a page that would 404


def test_an_unwritable_outbox_is_an_honest_french_error(make_app, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    client = make_app(**{"outbox.path": str(blocker / "outbox")}).test_client()
    response = client.post("/proposer", follow_redirects=True, data=OFFER)
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and "Réessayez" in page and "Traceback" not in page


def test_pages_serve_the_last_good_data_with_its_age(backend):
    client = backend.make_app(**{"sheet.cache_seconds": 0}).test_client()
    client.post("/proposer", follow_redirects=True, data=OFFER)
    assert "Lalbenque → Cahors" in client.get("/trajets").get_data(as_text=True)
    storage = client.application.extensions["comobi.storage"]
    storage.invalidate()
    backend.faults.fail(503, times=None)
    for url in ("/", "/trajets", "/communes/cahors", "/trajets.json", "/proposer"):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get("/trajets").get_data(as_text=True)
    assert "Lalbenque → Cahors" in page and "Liste mise à jour il y a moins d&#39;une minute" in page


def test_no_data_at_all_is_a_french_page_and_json_error(make_app, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    client = make_app(bad).test_client()
    page = client.get("/trajets")
    assert page.status_code == 503 and "Réessayez dans quelques minutes" in page.get_data(as_text=True)
    assert str(bad) not in page.get_data(as_text=True)  # server paths are for the clerk only
    data = client.get("/trajets.json")
    assert data.status_code == 503 and data.is_json and "indisponible" in data.get_json()["error"]
    # The forms still take submissions: the bundled communes are enough to check them.
    response = client.post("/proposer", follow_redirects=True, data=OFFER)
    assert response.status_code == 200 and "apparaîtra dans quelques minutes" in response.get_data(as_text=True)


def test_stale_note_wording():
    now = datetime(2026, 3, 1, 12, 0)
    board = Board(read_at=now - timedelta(minutes=12), stale_reason="panne")
    assert stale_note(board, now) == "Liste mise à jour il y a 12 minutes."
    assert stale_note(Board(read_at=now - timedelta(hours=3), stale_reason="x"), now).endswith("il y a 3 heures.")
    assert stale_note(Board(read_at=now, stale_reason=""), now) == ""
    assert stale_note(None, now) == ""
