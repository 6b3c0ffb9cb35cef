"""One display of a public form writes at most one row; the confirmation is reached by a redirect."""
import re

import pytest

from comobi.web import antibot
from tests.test_forms import OFFER, REQUEST
from tests.test_volunteer_forms import SIGN_UP
from tests.workbooks import read_tab

FORMS = {"/proposer": ("Trajets", OFFER), "/demander": ("Demandes", REQUEST),
         "/retrait": ("Demandes", {"reference": "T7K2QF", "phone": "06 39 98 50 99"}),
         "/benevole": ("Bénévoles", SIGN_UP)}


def stamp_of(page: str) -> str:
    return re.search(r'id="started" name="started" type="hidden" value="([^"]+)"', page).group(1)


@pytest.fixture
def clocked(monkeypatch):
    clock = [1_000_000.0]
    monkeypatch.setattr(antibot, "now", lambda: clock[0])
    return clock


@pytest.mark.parametrize("url", sorted(FORMS))
def test_a_stamp_replayed_eight_times_makes_one_row(make_app, tmp_path, clocked, url):
    client = make_app(**{"security.min_fill_seconds": 3}).test_client()
    tab, data = FORMS[url]
    stamp = stamp_of(client.get(url).get_data(as_text=True))
    before = len(read_tab(tmp_path / "covoiturage.xlsx", tab))
    clocked[0] += 10
    answers = [client.post(url, data={**data, "started": stamp}) for _ in range(8)]
    assert {a.status_code for a in answers} == {303}
    assert len({a.headers["Location"] for a in answers}) == 1
    assert len(read_tab(tmp_path / "covoiturage.xlsx", tab)) == before + 1
    confirmation = client.get(answers[-1].headers["Location"])
    assert confirmation.status_code == 200 and "Son numéro" in confirmation.get_data(as_text=True)


def test_the_confirmation_names_the_row_written(make_app, tmp_path, clocked):
    client = make_app(**{"security.min_fill_seconds": 3}).test_client()
    stamp = stamp_of(client.get("/proposer").get_data(as_text=True))
    clocked[0] += 10
    first = client.post("/proposer", data={**OFFER, "started": stamp}, follow_redirects=True).get_data(as_text=True)
    again = client.post("/proposer", data={**OFFER, "started": stamp}, follow_redirects=True).get_data(as_text=True)
    trip_id = re.search(r"Son numéro\W*<strong>(T\w+)</strong>", first).group(1)
    assert f"<strong>{trip_id}</strong>" in again
    ids = [row[0] for row in read_tab(tmp_path / "covoiturage.xlsx", "Trajets")]
    assert ids.count(trip_id) == 1


def test_a_form_shown_again_gets_a_fresh_stamp_once_its_own_was_used(make_app, clocked):
    client = make_app(**{"security.min_fill_seconds": 3}).test_client()
    stamp = stamp_of(client.get("/proposer").get_data(as_text=True))
    clocked[0] += 10
    client.post("/proposer", data={**OFFER, "started": stamp})
    refused = client.post("/proposer", data={**OFFER, "started": stamp, "phone": "12"})  # invalid: shown again
    assert refused.status_code == 422 and stamp_of(refused.get_data(as_text=True)) != stamp


def test_a_post_refused_by_the_hourly_limit_can_be_sent_again_later(make_app, tmp_path, clocked):
    client = make_app(**{"security.min_fill_seconds": 3, "security.form_rate_limit_per_hour": 1}).test_client()
    first = stamp_of(client.get("/demander").get_data(as_text=True))
    stamp = stamp_of(client.get("/proposer").get_data(as_text=True))
    clocked[0] += 10
    sent = client.post("/demander", data={**REQUEST, "started": first}, environ_base={"REMOTE_ADDR": "192.0.2.9"})
    assert sent.status_code == 303  # the hour's one post
    refused = client.post("/proposer", data={**OFFER, "started": stamp}, environ_base={"REMOTE_ADDR": "192.0.2.9"})
    assert refused.status_code == 429 and stamp_of(refused.get_data(as_text=True)) == stamp
    later = client.post("/proposer", data={**OFFER, "started": stamp}, environ_base={"REMOTE_ADDR": "192.0.2.10"})
    assert later.status_code == 303 and len(read_tab(tmp_path / "covoiturage.xlsx", "Trajets")) == 1 + 25 + 1


def test_a_stamp_from_a_week_ago_is_refused_and_replaced(make_app, clocked):
    client = make_app(**{"security.min_fill_seconds": 3}).test_client()
    stamp = stamp_of(client.get("/proposer").get_data(as_text=True))
    clocked[0] += antibot.STAMP_LIFETIME_S + 1
    response = client.post("/proposer", data={**OFFER, "started": stamp})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "plusieurs jours" in page and stamp_of(page) != stamp


def test_a_forged_confirmation_address_is_a_404(client):
    assert client.get("/proposer/merci?envoi=eyJpZCI6IlQxIn0.forged").status_code == 404
    assert client.get("/demander/merci").status_code == 404


def test_a_post_that_could_not_be_kept_can_be_sent_again(make_app, tmp_path, clocked):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    client = make_app(**{"security.min_fill_seconds": 3, "outbox.path": str(blocker / "outbox"),
                         "security.rate_limit_storage": f"sqlite:///{tmp_path / 'counts.sqlite3'}"}).test_client()
    stamp = stamp_of(client.get("/proposer").get_data(as_text=True))
    clocked[0] += 10
    assert client.post("/proposer", data={**OFFER, "started": stamp}).status_code == 503
    blocker.unlink()
    assert client.post("/proposer", data={**OFFER, "started": stamp}).status_code == 303
    assert len(read_tab(tmp_path / "covoiturage.xlsx", "Trajets")) == 1 + 25 + 1
