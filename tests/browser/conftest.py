"""A real browser (Debian's Chromium, driven by Playwright) against the app on the loopback.

The apps run once per test session in threads (werkzeug's make_server, and a plain static
server for the frozen site), on workbooks built here, with CSRF on as in production. Tests get
pages from ``open_page``, or a State's page from ``reached`` (one page per State for every
check); ``sites`` maps each State's ``site`` to its URL. Without Chromium the tests are
skipped on a developer's machine, but fail in CI (``CI`` set).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.browser.live import STRICT_SETTINGS, gestion_app_on, live_app_on, serving, serving_frozen
from tests.browser.reached import Reached, group_by_state
from tests.browser.support import SCREENSHOTS

CHROMIUM = os.environ.get("COMOBI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


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
    return live_app_on(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="session")
def base_url(live_app):
    """The app on the loopback; it also reads its own standard API as another platform's."""
    with serving(live_app) as url:
        live_app.config["COMOBI"]["interop.operators"] = [{"name": "Covoit'Voisins", "url": f"{url}/api/v1"}]
        yield url


@pytest.fixture(scope="session")
def sites(base_url, tmp_path_factory):
    """The URL of every site a State may be on (see tests/browser/live.py), started once per session."""
    with serving(live_app_on(tmp_path_factory.mktemp("strict"), **STRICT_SETTINGS)) as strict, \
            serving(gestion_app_on(tmp_path_factory.mktemp("gestion"))) as gestion, \
            serving_frozen(tmp_path_factory.mktemp("frozen")) as frozen:
        yield {"public": base_url, "strict": strict, "gestion": gestion, "frozen": frozen}


@pytest.fixture(scope="session")
def reached(browser, sites):
    """reached(state) -> the State's page, reached once for every check on it (tests/browser/reached.py)."""
    pages = Reached(browser, sites)
    yield pages
    pages.close()


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups (--dist loadgroup)
def pytest_collection_modifyitems(config, items):
    group_by_state(items)


@pytest.fixture
def open_page(browser, base_url):
    """open_page(width=360, height=640, scale=1, url=base_url, bypass_csp=True) -> a fresh page in its own context."""
    contexts = []

    def open_(width=360, height=640, scale=1, url=base_url, bypass_csp=True):
        # bypass_csp: for a <style> added by a test (test_contrast.py); axe-core needs no bypass
        # (tests/browser/test_csp.py checks the pages without it).
        context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale,
                                      locale="fr-FR", base_url=url, bypass_csp=bypass_csp)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="session", autouse=True)
def screenshot_folder():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
