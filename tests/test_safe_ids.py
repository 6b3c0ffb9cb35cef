"""IDs typed in the sheet never become paths (issue 18.6): only letters, digits, - and _."""
from __future__ import annotations

import pytest

from comobi import create_app, rows
from comobi.freeze import freeze_site
from comobi.schema import REQUESTS, TRIPS
from tests.gestion_support import request_row
from tests.workbooks import trip_row, trips_workbook

UNSAFE = ["..", "...", ".", "a/b", "../index", "%2e%2e", "T 1", "Té1", "T1?x", "T1#x", "a\\b", "x" * 41, "T1.html"]
SMALL = {"SECRET_KEY": "test", "TESTING": True, "sheet.backend": "local", "scope.departements": [],
         "scope.epci": ["200023737"]}


@pytest.mark.parametrize("text", UNSAFE)
def test_unsafe_ids_are_refused(text):
    assert not rows.is_safe_id(text)


@pytest.mark.parametrize("text", ["T0001", "t-josette", "D_12", "TK7QF2", "x" * 40])
def test_ordinary_ids_are_kept(text):
    assert rows.is_safe_id(text)


def _sheet(path):
    trips = [trip_row(id=text, first_name=f"Pirate{n}") for n, text in enumerate(UNSAFE)]
    trips.append(trip_row(id="T-ok_1", first_name="Josette"))
    requests = [request_row(id="../D1", first_name="Intrus"), request_row(id="D0001", first_name="Louis")]
    return trips_workbook(path, trips, extra_tabs={
        REQUESTS.title: [REQUESTS.headers] + [[r.get(h, "") for h in REQUESTS.headers] for r in requests]})


def test_rows_with_unsafe_ids_are_skipped_and_reported_with_their_row(tmp_path):
    app = create_app({**SMALL, "sheet.path": str(_sheet(tmp_path / "sheet.xlsx")),
                      "outbox.path": str(tmp_path / "outbox")})
    client = app.test_client()
    assert client.get("/trajets/T-ok_1").status_code == 200
    for path in ("/trajets/..", "/trajets/...", "/trajets/%2e%2e", "/trajets/T%201"):
        assert client.get(path).status_code in (404, 308, 301)
    trips = client.get("/trajets").get_data(as_text=True)
    assert "/trajets/T-ok_1" in trips and "Pirate" not in trips
    out = app.test_cli_runner().invoke(args=["sheet", "check"]).output
    for number in range(2, 2 + len(UNSAFE)):
        assert f"« Trajets », ligne {number} : identifiant" in out
    assert "« Demandes », ligne 2 : identifiant « ../D1 » refusé" in out


def test_the_frozen_site_stays_in_its_folder_and_keeps_its_home_page(tmp_path):
    app = create_app({**SMALL, "sheet.path": str(_sheet(tmp_path / "sheet.xlsx")),
                      "outbox.path": str(tmp_path / "outbox")})
    site = tmp_path / "deep" / "site"
    freeze_site(app, site)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Pirate" not in home and (site / "trajets" / "T-ok_1" / "index.html").exists()
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(site in p.parents or p.parent == tmp_path or "outbox" in p.parts for p in written)
    assert not any("Pirate" in p.read_text(encoding="utf-8", errors="ignore") for p in site.rglob("*.html"))
    assert sorted(p.name for p in (site / "trajets").iterdir() if p.is_dir()) == ["T-ok_1"]


def test_rows_sharing_an_id_are_reported(tmp_path):
    trips = [trip_row(id="T0001"), trip_row(id="T0002"), trip_row(id="t0001", first_name="Copie")]
    app = create_app({**SMALL, "sheet.path": str(trips_workbook(tmp_path / "sheet.xlsx", trips)),
                      "outbox.path": str(tmp_path / "outbox")})
    out = app.test_cli_runner().invoke(args=["sheet", "check"]).output
    assert "« Trajets », lignes 2, 4 : même identifiant « T0001 »" in out
    assert "T0002" not in out
