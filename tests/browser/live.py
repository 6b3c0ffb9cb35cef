"""The app as the browser tests serve it: a workbook of known trips, CSRF on, a loopback server."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

from comobi import create_app
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



def live_app_on(folder: Path, **settings):
    """The app on a workbook of TRIPS written in ``folder``; ``settings`` as for create_app."""
    path = trips_workbook(folder / "covoiturage.xlsx", TRIPS)
    # Plain http on the loopback, one address for every test, a robot-fast keyboard: the
    # cookie, rate-limit and fill-time defaults would get in the way (they have their own tests).
    return create_app({"SECRET_KEY": "browser-tests", "sheet.backend": "local", "sheet.path": str(path),
                       "moderation.enabled": False, "outbox.path": str(folder / "outbox"),
                       "security.secure_cookies": False, "security.min_fill_seconds": 0,
                       "security.form_rate_limit_per_hour": 0, "security.contact_rate_limit_per_hour": 0,
                       **settings})


@contextmanager
def serving(app):
    """The app served on 127.0.0.1 in a thread, for as long as the block lasts: yields its URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
