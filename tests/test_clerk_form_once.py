"""One display of a clerk's phone form (or of /alerte) writes at most one row, whatever the clicks."""
from __future__ import annotations

import pytest

from tests.fault_backends import backend  # noqa: F401 - fixture
from tests.gestion_support import PASSWORD
from tests.smtp_support import smtp  # noqa: F401 - fixture
from tests.solidarity_support import gestion_client
from tests.test_form_once import stamp_of
from tests.test_forms import OFFER
from tests.test_gestion import PHONE_REQUEST
from tests.test_volunteer_forms import SIGN_UP

PHONE_TRIP = {**OFFER, "last_name": ""}
FORMS = {"/gestion/demande-telephone": ("Demandes", PHONE_REQUEST, "enregistrée. Voici"),
         "/gestion/trajet-telephone": ("Trajets", PHONE_TRIP, "enregistré et publié"),
         "/gestion/benevole-telephone": ("Bénévoles", {**SIGN_UP, "last_name": ""}, "enregistré(e)")}


@pytest.mark.parametrize("url", sorted(FORMS))
def test_a_clerk_form_sent_five_times_makes_one_row(backend, url):  # noqa: F811
    tab, data, flashed = FORMS[url]
    client = gestion_client(backend.make_app(COMOBI_ADMIN_PASSWORD=PASSWORD))
    stamp = stamp_of(client.get(url).get_data(as_text=True))
    answers = [client.post(url, data={**data, "started": stamp}) for _ in range(5)]
    assert {a.status_code for a in answers} == {302}
    assert len({a.headers["Location"] for a in answers}) == 1
    (row,) = backend.records(tab)
    assert row["ID"] in answers[0].headers["Location"] or tab == "Bénévoles"
    page = client.get(answers[0].headers["Location"]).get_data(as_text=True)
    assert page.count(flashed) == 1  # one "enregistré" message, for the one row written


@pytest.mark.parametrize("url", sorted(FORMS))
def test_each_display_of_a_clerk_form_writes_its_own_row(backend, url):  # noqa: F811
    tab, data, _ = FORMS[url]
    client = gestion_client(backend.make_app(COMOBI_ADMIN_PASSWORD=PASSWORD))
    for _ in range(2):
        stamp = stamp_of(client.get(url).get_data(as_text=True))
        assert client.post(url, data={**data, "started": stamp}).status_code == 302
    assert len({row["ID"] for row in backend.records(tab)}) == 2


def test_an_alert_sent_three_times_is_recorded_once(backend, smtp, tmp_path):  # noqa: F811
    app = backend.make_app(**smtp.settings(), **{"mail.path": str(tmp_path / "mail")})
    client = app.test_client()
    stamp = stamp_of(client.get("/alerte?depart=Lalbenque&arrivee=Cahors").get_data(as_text=True))
    data = {"depart": "Lalbenque", "arrivee": "Cahors", "email": "passager@example.fr", "started": stamp}
    answers = [client.post("/alerte", data=data) for _ in range(3)]
    assert {a.status_code for a in answers} == {200}
    assert all("Lalbenque" in a.get_data(as_text=True) for a in answers)
    (row,) = backend.records("Demandes")
    assert row["Canal"] == "alerte"
