"""Public pages kept rendered in memory: shared only when every visitor would see the same."""
import re
from contextlib import contextmanager

import pytest
from flask import template_rendered

from comobi.storage import get_storage
from tests.workbooks import trip_row, trips_workbook


@contextmanager
def renders(app):
    """The templates rendered (names) while the block runs."""
    names = []

    def record(sender, template, context, **extra):
        names.append(template.name)

    template_rendered.connect(record, app)
    try:
        yield names
    finally:
        template_rendered.disconnect(record, app)


@pytest.fixture
def app(make_app, sheet_path):
    trips_workbook(sheet_path, [trip_row(id="T1", **{"Départ": "Figeac", "Arrivée": "Cahors"}),
                                trip_row(id="T5", **{"Départ": "Gramat", "Arrivée": "Figeac",
                                                     "Contact direct": "Non"})])
    return make_app(sheet_path)


# T5's driver did not agree to direct contact: its page has no reveal button, hence no form token.
@pytest.mark.parametrize("url", ["/", "/trajets", "/trajets?depart=Figeac", "/trajets/T5", "/trajets.json"])
def test_a_public_page_is_rendered_once_for_anonymous_visitors(app, url):
    first = app.test_client().get(url)
    with renders(app) as rendered:
        again = app.test_client().get(url)
    assert again.status_code == 200 and again.data == first.data
    assert rendered == []
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert again.headers["Content-Type"] == first.headers["Content-Type"]


def test_another_address_is_another_page(app):
    app.test_client().get("/trajets?depart=Figeac")
    answer = app.test_client().get("/trajets?depart=Cahors")
    assert "Cahors" in answer.get_data(as_text=True)
    with renders(app) as rendered:
        app.test_client().get("/trajets?depart=Cahors&page=1")
    assert rendered  # another query string: rendered


def test_a_visitor_with_a_session_cookie_always_gets_a_fresh_page(app):
    app.test_client().get("/trajets")
    client = app.test_client()
    client.set_cookie("session", "a clerk's, a flash message, a form's token")
    with renders(app) as rendered:
        client.get("/trajets")
    assert "trips.html" in rendered


def test_forms_and_errors_are_never_kept(app):
    for url in ["/proposer", "/trajets/T404"]:
        app.test_client().get(url)
        with renders(app) as rendered:
            app.test_client().get(url)
        assert rendered, url


def test_a_new_read_of_the_sheet_drops_the_kept_pages(app, sheet_path):
    assert "/trajets/T2" not in app.test_client().get("/trajets").get_data(as_text=True)
    trips_workbook(sheet_path, [trip_row(id="T1", **{"Départ": "Figeac", "Arrivée": "Cahors"}),
                                trip_row(id="T2", **{"Départ": "Gramat", "Arrivée": "Cahors"})])
    with app.app_context():
        get_storage().invalidate()
    assert "/trajets/T2" in app.test_client().get("/trajets").get_data(as_text=True)


def test_pages_of_a_stale_board_are_not_kept(app):
    app.test_client().get("/trajets")
    with app.app_context():
        get_storage().board().stale_reason = "le tableur ne répond pas"
    for _ in range(2):
        with renders(app) as rendered:
            page = app.test_client().get("/trajets").get_data(as_text=True)
        assert rendered and "Liste mise à jour" in page


def test_a_page_holding_a_form_token_is_never_shared(make_app):
    """The trip page's reveal button carries a CSRF token: each visitor must get their own."""
    app = make_app(WTF_CSRF_ENABLED=True)
    first, second = app.test_client(), app.test_client()
    assert first.get("/trajets/T0001").status_code == 200
    page = second.get("/trajets/T0001")
    assert "Set-Cookie" in page.headers  # rendered for this visitor, with a session of their own
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    revealed = second.post("/trajets/T0001/contact", data={"csrf_token": token})
    assert revealed.status_code == 200 and "06 39 98 00 01" in revealed.get_data(as_text=True)


def test_searches_showing_other_operators_are_not_kept(make_app, sheet_path):
    trips_workbook(sheet_path, [trip_row(id="T1", **{"Départ": "Figeac", "Arrivée": "Cahors",
                                                     "Contact direct": "Non"})])
    app = make_app(sheet_path, **{"interop.operators": [{"name": "Autre", "url": "https://autre.example"}]})
    for url in ("/trajets", "/trajets/T1"):
        app.test_client().get(url)
    with renders(app) as rendered:
        app.test_client().get("/trajets")
        app.test_client().get("/trajets/T1")
    assert rendered.count("trips.html") == 1  # the list, rendered again
    assert "trip.html" not in rendered  # a trip page, still kept
