"""Option A's publication: a broken sheet stops it, the schedule keeps itself alive, every
frozen page says when it was built, and every asset loads from a sub-path and from disk."""
from __future__ import annotations

import functools
import http.server
import threading
import urllib.error
import urllib.request
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from comobi import create_app
from comobi.freeze import freeze_site
from comobi.settings import PROJECT_ROOT
from comobi.web.pages import built_note
from tests import sitecheck
from tests.workbooks import TRIP_HEADERS, trip_row, trips_workbook

WORKFLOW = PROJECT_ROOT / "deploy/github-pages.yml"
SMALL = {"SECRET_KEY": "test", "TESTING": True, "sheet.backend": "local", "scope.departements": [],
         "scope.epci": ["200023737"], "legal.controller": "CC du Causse, 46240 Labastide-Murat"}


def workflow_steps():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    return workflow, {name: job for name, job in workflow["jobs"].items()}


# --- flask sheet check --strict --------------------------------------------------------

def check(tmp_path, trips, strict=True, headers=None, **settings):
    sheet = trips_workbook(tmp_path / "s.xlsx", trips, headers=headers)
    app = create_app({**SMALL, "sheet.path": str(sheet), "outbox.path": str(tmp_path / "outbox"), **settings})
    return app.test_cli_runner().invoke(args=["sheet", "check", *(["--strict"] if strict else [])])


def test_strict_check_passes_a_clean_sheet(tmp_path):
    result = check(tmp_path, [trip_row(id="T1")])
    assert result.exit_code == 0 and "Tout est en ordre." in result.output


@pytest.mark.parametrize("case", ["warning", "unreadable row", "missing column"])
def test_strict_check_fails_where_the_plain_check_only_tells(tmp_path, case):
    trips, headers, settings = [trip_row(id="T1")], None, {}
    if case == "warning":
        settings = {"branding.logo": "/static/absent.png"}  # a logo nobody copied into static/
    elif case == "unreadable row":
        trips.append(trip_row(id="T2", origin="Atlantide"))
    else:
        headers = [h for h in TRIP_HEADERS if h != "Places"]
    plain = check(tmp_path, trips, strict=False, headers=headers, **settings)
    assert plain.exit_code == 0 and "Tout est en ordre." not in plain.output
    strict = check(tmp_path, trips, headers=headers, **settings)
    assert strict.exit_code == 1, strict.output
    assert "ERREUR : vérification stricte : 1 point(s) à corriger" in strict.output


def test_the_workflow_publishes_only_after_the_strict_check():
    _, jobs = workflow_steps()
    runs = [step.get("run", "") for step in jobs["build"]["steps"]]
    check_at = runs.index("flask --app app sheet check --strict")
    freeze_at = next(i for i, run in enumerate(runs) if run.startswith("flask --app app freeze"))
    assert check_at < freeze_at


def test_the_workflow_keeps_its_schedule_alive():
    workflow, jobs = workflow_steps()
    keepalive = jobs["keepalive"]
    assert keepalive["permissions"] == {"actions": "write"}  # only this job may touch Actions
    script = keepalive["steps"][0]["run"]
    assert "gh api --method PUT" in script and "/enable" in script and "${GITHUB_WORKFLOW_REF%@*}" in script
    assert "::warning::" in script  # a failure shows on the run's page instead of passing silently
    assert keepalive["steps"][0]["env"]["GH_TOKEN"] == "${{ github.token }}"
    assert workflow["permissions"].get("actions") is None  # the build job keeps read-only rights
    assert "60 jours" in (PROJECT_ROOT / "DEPLOY.md").read_text()


# --- when a frozen page was built ------------------------------------------------------

@pytest.mark.parametrize("utc, said", [
    (datetime(2026, 12, 4, 14, 43, tzinfo=UTC), "le vendredi 4 décembre 2026 à 15h43"),  # UTC+1
    (datetime(2026, 7, 4, 5, 17, tzinfo=UTC), "le samedi 4 juillet 2026 à 7h17"),  # UTC+2
])
def test_built_note_is_in_french_time(utc, said):
    assert built_note(utc) == f"Liste mise à jour {said}."


@pytest.fixture(scope="module")
def frozen(tmp_path_factory):
    """A small site with a logo and a partner's logo, frozen once: (folder, summary)."""
    folder = tmp_path_factory.mktemp("publish")
    sheet = trips_workbook(folder / "s.xlsx", [trip_row(id="T1"), trip_row(id="T2", origin="Cahors",
                                                                          destination="Lalbenque")])
    app = create_app({**SMALL, "sheet.path": str(sheet), "branding.logo": "/static/favicon.svg",
                      "branding.partners": [{"name": "Partenaire", "logo": "favicon.svg", "url": "https://p.example"}]})
    site = folder / "www" / "covoit"
    before = datetime.now()
    result = freeze_site(app, site, base_url="")
    return site, result, before


def test_frozen_pages_say_when_they_were_built(frozen):
    site, _, before = frozen
    for page in ("index.html", "trajets/index.html", "trajets/T1/index.html", "communes/cahors/index.html"):
        html = (site / page).read_text()
        assert '<p class="built">Liste mise à jour le ' in html, page
        assert str(before.year) in html.split('class="built"')[1][:80]
    live = create_app({**SMALL}).test_client().get("/").get_data(as_text=True)
    assert 'class="built"' not in live  # the live site is always current


class _Assets(HTMLParser):
    """Every file a browser loads to show the page: stylesheets, icons, images, scripts."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("href"):
            self.found.append(attrs["href"])
        elif tag in ("img", "script") and attrs.get("src"):
            self.found.append(attrs["src"])


def assets_of(page: Path) -> list[str]:
    parser = _Assets()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.found


def test_every_asset_loads_from_disk(frozen):
    site, _, _ = frozen
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        relative = page.relative_to(site).as_posix()
        if relative == "404.html":
            continue
        found = assets_of(page)
        assert any("favicon.svg" in a for a in found) and any(a.endswith(".css") for a in found), relative
        for asset in found:
            assert not urlsplit(asset).scheme and not asset.startswith("/"), (relative, asset)
            assert sitecheck.resolve_on_disk(site, relative, asset) is not None, (relative, asset)


def test_every_asset_loads_from_a_sub_path_over_http(frozen):
    """The site served under /covoit/ as GitHub Pages serves user.github.io/repo/: the logo too."""
    site, _, _ = frozen
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site.parent))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    # shutdown() waits for the loop to look again: every 50 ms rather than 0.5 s
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    root = f"http://127.0.0.1:{server.server_port}/covoit/"
    try:
        checked = set()
        for page in ("", "trajets/", "trajets/T1/", "communes/cahors/", "communes/cahors/imprimer/", "contact/"):
            page_url = root + page
            with urllib.request.urlopen(page_url, timeout=10) as response:
                html = response.read().decode()
            parser = _Assets()
            parser.feed(html)
            logos = [a for a in parser.found if "favicon.svg" in a]
            assert logos, page
            for asset in parser.found:
                url = urljoin(page_url, asset)
                assert url.startswith(root), (page, asset)
                if url not in checked:
                    with urllib.request.urlopen(url, timeout=10) as response:
                        assert response.status == 200 and response.read(), url
                    checked.add(url)
        assert any(u.endswith("brand.css") for u in checked) and any("favicon.svg" in u for u in checked)
    except urllib.error.HTTPError as error:
        pytest.fail(f"{error.url}: {error.code}")
    finally:
        server.shutdown()
        server.server_close()
