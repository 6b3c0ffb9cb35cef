"""A real browser (Debian's Chromium, driven by Playwright) against the app on the loopback.

The app runs once per test session in a thread (werkzeug's make_server), on a workbook
built here, with CSRF on as in production. Tests get pages from ``open_page``. Without
Chromium the tests are skipped on a developer's machine, but fail in CI (``CI`` set).
"""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from comobi import create_app
from tests.browser.support import SCREENSHOTS
from tests.workbooks import in_days, trip_row, trips_workbook

CHROMIUM = os.environ.get("COMOBI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

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
]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _unavailable(reason: str):
    if in_ci():
        pytest.fail(f"Browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    path = trips_workbook(folder / "covoiturage.xlsx", TRIPS)
    return create_app({"SECRET_KEY": "browser-tests", "sheet.backend": "local", "sheet.path": str(path),
                       "moderation.enabled": False})


@pytest.fixture(scope="session")
def base_url(live_app):
    """The app served on 127.0.0.1; it also reads its own standard API as another platform."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    live_app.config["COMOBI"]["interop.operators"] = [{"name": "Covoit'Voisins", "url": f"{url}/api/v1"}]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    thread.join()


@pytest.fixture
def open_page(browser, base_url):
    """open_page(width=360, height=640, scale=1) -> a fresh page in its own browser context."""
    contexts = []

    def open_(width=360, height=640, scale=1):
        context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale,
                                      locale="fr-FR", base_url=base_url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="session", autouse=True)
def screenshot_folder():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
