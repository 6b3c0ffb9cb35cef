"""static/search.js on a frozen site, run by node against a tiny stand-in for the DOM."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from comobi import create_app
from comobi.freeze import freeze_site
from comobi.settings import PROJECT_ROOT
from tests.workbooks import trip_row, trips_workbook

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
RUNNER = Path(__file__).parent / "js" / "run_search.js"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("js")
    sheet = trips_workbook(folder / "s.xlsx", [
        trip_row(id="T1", Départ="Limogne-en-Quercy", Arrivée="Cahors", Jours="lundi, jeudi"),
        trip_row(id="T2", Départ="Figeac", Arrivée="Gramat", Jours="mardi", **{"Heure retour": ""}),
    ])
    app = create_app({"SECRET_KEY": "t", "sheet.backend": "local", "sheet.path": str(sheet),
                      "scope.departements": [], "scope.epci": ["200023737"]})
    freeze_site(app, folder / "site")
    return folder / "site"


def search(site, depart="", arrivee="", jour=""):
    result = subprocess.run(["node", str(RUNNER), str(site / "recherche.js"), str(PROJECT_ROOT / "static/search.js"),
                             depart, arrivee, jour], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_finds_the_trip_from_a_commune_to_another(site):
    found = search(site, "limogne en quercy", "CAHORS")
    assert found["shown"] and found["prevented"] and found["options"] > 0
    assert found["links"] == ["../trajets/T1/index.html Limogne-en-Quercy → Cahors"]
    assert (site / "trajets/T1/index.html").is_file()


def test_filters_by_day(site):
    assert search(site, "Limogne-en-Quercy", "Cahors", "0")["links"]  # lundi
    assert search(site, "Limogne-en-Quercy", "Cahors", "1")["links"] == []  # mardi
    assert "Aucun trajet ne correspond" in search(site, "Limogne-en-Quercy", "Cahors", "1")["text"]


def test_an_unknown_commune_points_to_the_list(site):
    found = search(site, "Paris")
    assert "Aucun trajet connu pour « Paris »" in found["text"]
    assert found["links"] == ["communes/index.html Voir la liste des communes."]
