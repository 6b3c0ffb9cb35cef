"""The apps as the browser tests serve them: workbooks of known trips and requests, CSRF on, loopback servers.

Four sites, each started once per session (see conftest.py):
- ``public``: the app as passengers and drivers see it;
- ``strict``: the same with the anti-bot fill time and the contact reveal limit on;
- ``gestion``: the clerk's area, with a password and open requests;
- ``frozen``: the public site frozen by ``flask freeze`` and served by a plain static server.
"""
from __future__ import annotations

import functools
import http.server
import threading
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

from comobi import create_app
from comobi.freeze import freeze_site
from tests.gestion_support import PASSWORD, gestion_workbook, request_row
from tests.workbooks import in_days, trip_row, trips_workbook

# The trips the browser sees. T1 (direct contact) passes near Lalbenque on its way to Cahors.
TRIPS = [
    trip_row(id="T1", origin="Limogne-en-Quercy", destination="Cahors", days="lundi, jeudi",
             outbound_time="8h30", return_time="12h", origin_detail="Place de la mairie",
             remarks="Je vais au marché puis à la pharmacie."),
    trip_row(id="T2", origin="Figeac", destination="Cahors", days="du lundi au vendredi", direct_contact="Non",
             first_name="Bernard", last_name="Delpech", phone="06 39 98 00 02"),
    trip_row(id="T3", origin="Souillac", destination="Gourdon", days="", date=in_days(10), outbound_time="14h",
             return_time="", preferred_contact="SMS", first_name="Jean-Pierre", last_name="Vidal"),
    trip_row(id="T4", origin="Saint-Cirq-Lapopie", destination="Saint-Michel-de-Bannières",
             days="tous les jours", outbound_time="7h45", return_time="18h", preferred_contact="E-mail",
             phone="", email="une.adresse.tres.longue.pour.voir@exemple-de-domaine.fr",
             destination_detail="Parking de la salle des fêtes, derrière l'école élémentaire"),
] + [  # enough trips for the list to need a second page
    trip_row(id=f"C{hour}", origin="Cajarc", destination="Figeac", days="samedi", outbound_time=f"{hour}h",
             return_time="", direct_contact="Non")
    for hour in range(6, 24)
]

# The clerk's open requests. D1 and D3 go the way of T1 (Limogne-en-Quercy -> Cahors, with
# an e-mail for the clerk's mailto: link); D2 names a commune the list does not know; D4 was
# served last month, for the bilan. D9 is the keyboard journey's, and only its.
REQUESTS = [
    request_row(id="D1", created=in_days(-2) + " 10:00", first_name="Jeanne", last_name="Teulières",
                origin="Varaire", destination="Cahors", days="jeudi", arrival_time="9h", reason="Médecin"),
    request_row(id="D2", created=in_days(-1) + " 09:30", first_name="Marcel", last_name="Bouscarel",
                origin="Atlantide", destination="Cahors", days="lundi", phone="06 39 98 50 02", channel="web"),
    request_row(id="D3", created=in_days(-1) + " 11:15", first_name="Simone", last_name="Delmas",
                origin="Lalbenque", destination="Cahors", days="", date=in_days(7), arrival_time="10h",
                reason="Marché", phone="06 39 98 50 03"),
    request_row(id="D4", created=in_days(-40) + " 15:00", first_name="Louis", last_name="Cayla",
                origin="Varaire", destination="Cahors", days="lundi", status="trouvée", proposed_trip="T1",
                phone="06 39 98 50 04"),
    request_row(id="D9", created=in_days(-3) + " 08:00", first_name="Yvette", last_name="Lacombe",
                origin="Varaire", destination="Cahors", days="lundi", arrival_time="9h", reason="Kiné",
                phone="06 39 98 50 09"),
]
GESTION_TRIPS = TRIPS[:4] + [trip_row(id="T5", first_name="Sylvie", last_name="Roques", phone="06 39 98 00 05",
                                      email="sylvie.roques@exemple.fr", origin="Lalbenque", destination="Cahors",
                                      days="tous les jours", outbound_time="8h15", direct_contact="Non")]

# Plain http on the loopback, one address for every test, a robot-fast keyboard: the
# cookie, rate-limit and fill-time defaults would get in the way (they have their own tests).
LOOPBACK_SETTINGS = {"SECRET_KEY": "browser-tests", "sheet.backend": "local", "moderation.enabled": False,
                     "security.secure_cookies": False, "security.min_fill_seconds": 0,
                     "security.form_rate_limit_per_hour": 0, "security.contact_rate_limit_per_hour": 0}
# The strict site: every form is sent "too fast", the second number shown in an hour is refused.
STRICT_SETTINGS = {"security.min_fill_seconds": 3600, "security.contact_rate_limit_per_hour": 1}


def live_app_on(folder: Path, **settings):
    """The app on a workbook of TRIPS written in ``folder``; ``settings`` as for create_app."""
    path = trips_workbook(folder / "covoiturage.xlsx", TRIPS)
    return create_app({**LOOPBACK_SETTINGS, "sheet.path": str(path), "outbox.path": str(folder / "outbox"),
                       **settings})


def gestion_app_on(folder: Path, **settings):
    """The app with the clerk's password, on a workbook of GESTION_TRIPS and REQUESTS in ``folder``."""
    path = gestion_workbook(folder / "covoiturage.xlsx", GESTION_TRIPS, REQUESTS)
    return create_app({**LOOPBACK_SETTINGS, "sheet.path": str(path), "outbox.path": str(folder / "outbox"),
                       "COMOBI_ADMIN_PASSWORD": PASSWORD, **settings})


@contextmanager
def serving(app):
    """The app served on 127.0.0.1 in a thread, for as long as the block lasts: yields its URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    with _running(server):
        yield f"http://127.0.0.1:{server.server_port}"


FROZEN_PATH = "/site/"


@contextmanager
def serving_frozen(folder: Path):
    """``flask freeze`` of the public app, served under /site/ by a plain static server: yields the site's URL.

    Unknown addresses get the site's 404.html with a 404 status, as GitHub Pages and most hosts do.
    """
    root = folder / "www"
    root.mkdir()
    handler = functools.partial(_StaticHost, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{server.server_port}{FROZEN_PATH}"
    freeze_site(live_app_on(folder), root / FROZEN_PATH.strip("/"), base_url=url)
    with _running(server):
        yield url


class _StaticHost(http.server.SimpleHTTPRequestHandler):
    def send_error(self, code, message=None, explain=None):
        not_found = Path(self.directory) / FROZEN_PATH.strip("/") / "404.html"
        if code != 404 or not not_found.exists():
            return super().send_error(code, message, explain)
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):  # quiet, like the app's servers under pytest
        pass


@contextmanager
def _running(server):
    # shutdown() waits for the loop to look again: every 50 ms rather than 0.5 s
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
