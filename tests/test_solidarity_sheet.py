"""The solidarity tabs in the clerk's commands: init, template, check, purge (both storages)."""
from __future__ import annotations

from datetime import date, timedelta

import openpyxl

from tests.fault_backends import backend  # noqa: F401  (fixture)
from tests.gestion_support import PASSWORD, request_row
from tests.solidarity_support import ride_row, seed, volunteer_row
from tests.workbooks import trip_row


def _ago(days: int, time: str = "") -> str:
    return (date.today() - timedelta(days=days)).strftime("%d/%m/%Y") + (f" {time}" if time else "")


def test_init_creates_the_tabs_and_a_sheet_without_them_is_in_order(backend):  # noqa: F811
    app = backend.make_app()
    runner = app.test_cli_runner()
    before = runner.invoke(args=["sheet", "check"])
    assert "À corriger" not in before.output and "Bénévoles" not in before.output
    result = runner.invoke(args=["sheet", "init"])
    assert "Onglet « Bénévoles » créé." in result.output and "Onglet « Courses » créé." in result.output
    assert backend.grid("Bénévoles")[0][:11] == [
        "ID", "Date d'inscription", "Prénom", "Nom", "Téléphone", "E-mail", "Commune", "Rayon (km)", "Disponibilités",
        "Remarques", "Statut"]
    assert backend.grid("Courses")[0][:12] == ["ID", "Demande", "Conducteur", "Date", "Heure", "Départ", "Arrivée",
                                               "Km", "Indemnité", "Tickets", "Statut", "Notes"]
    after = runner.invoke(args=["sheet", "check"])
    assert "0 bénévole(s) et 0 course(s) lus." in after.output and "À corriger" not in after.output


def test_check_reports_bad_volunteer_and_ride_rows_with_their_row(backend):  # noqa: F811
    app = backend.make_app()
    seed(app, "Bénévoles", [volunteer_row(id="B1"), volunteer_row(id="B2", availability="quand il fait beau"),
                            volunteer_row(id="B3", home="Atlantide"), volunteer_row(id="B4", radius_km="loin"),
                            volunteer_row(id="B5", status="viré")])
    seed(app, "Courses", [ride_row(id="C1", date="03/02/2026", driver="B1"), ride_row(id="C2", date=""),
                          ride_row(id="C3", date="03/02/2026", km="beaucoup"), ride_row(id="C4", date="03/02/2026",
                                                                                       status="peut-être")])
    output = app.test_cli_runner().invoke(args=["sheet", "check"]).output
    assert "1 bénévole(s) et 1 course(s) lus." in output
    assert "« Bénévoles », ligne 3 : disponibilités illisibles : « quand il fait beau »" in output
    assert "« Bénévoles », ligne 4 : commune inconnue : « Atlantide »" in output
    assert "« Bénévoles », ligne 5 : rayon illisible" in output
    assert "« Bénévoles », ligne 6 : statut inconnu" in output
    assert "« Courses », ligne 3 : date de la course manquante" in output
    assert "« Courses », ligne 4 : km illisible" in output and "« Courses », ligne 5 : statut inconnu" in output
    assert "« Courses », ligne 2" not in output  # B1 is a volunteer


def test_check_reports_a_ride_whose_driver_is_unknown(backend):  # noqa: F811
    app = backend.make_app()
    seed(app, "Courses", [ride_row(id="C1", date="03/02/2026", driver="B404")])
    output = app.test_cli_runner().invoke(args=["sheet", "check"]).output
    assert "0 bénévole(s) et 1 course(s) lus." in output
    assert "« Courses », ligne 2 : conducteur inconnu : « B404 »" in output


def test_template_has_every_tab(make_app, tmp_path):
    path = tmp_path / "modele.xlsx"
    result = make_app().test_cli_runner().invoke(args=["sheet", "template", str(path)])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(path).sheetnames == ["Trajets", "Demandes", "Lieux", "Bénévoles", "Courses"]


def test_purge_is_a_dry_run_then_clears_exactly_the_rows_past_retention(backend):  # noqa: F811
    app = backend.make_app(COMOBI_ADMIN_PASSWORD=PASSWORD, **{"legal.retention_days": 365})
    storage = app.extensions["comobi.storage"]
    from comobi.schema import REQUESTS, TRIPS

    storage.spreadsheet.append_rows("Trajets", [[t.get(h, "") for h in TRIPS.headers] for t in [
        trip_row(id="T1", **{"Date d'inscription": _ago(500), "Remarques": "Voiture rouge"}),
        trip_row(id="T2", **{"Date d'inscription": _ago(30)}),
    ]])
    storage.spreadsheet.append_rows("Demandes", [[r.get(h, "") for h in REQUESTS.headers] for r in [
        request_row(id="D1", created=_ago(400, "10:00"), notes="Fauteuil"),  # old, and its ride too
        request_row(id="D2", created=_ago(400, "10:00")),  # old request, but a recent ride
        request_row(id="D3", created=_ago(10, "10:00")),
        request_row(id="D4", created="pas de date"),
    ]])
    seed(app, "Bénévoles", [volunteer_row(id="B1", created=_ago(800)), volunteer_row(id="B2", created=_ago(800)),
                            volunteer_row(id="B3", created=_ago(5))])
    seed(app, "Courses", [ride_row(id="C1", request="D1", driver="B1", date=_ago(390), notes="Attendre devant"),
                          ride_row(id="C2", request="D2", driver="B2", date=_ago(20), notes="Sonner")])
    runner = app.test_cli_runner()
    before = {tab: backend.grid(tab) for tab in ("Trajets", "Demandes", "Bénévoles", "Courses")}
    dry = runner.invoke(args=["sheet", "purge"])
    assert dry.exit_code == 0, dry.output
    assert "4 ligne(s) à effacer" in dry.output and "relancez avec --apply" in dry.output
    assert "« Trajets », ligne 2 (T1" in dry.output and "« Demandes », ligne 2 (D1" in dry.output
    assert "« Bénévoles », ligne 2 (B1" in dry.output and "« Courses », ligne 2 (C1" in dry.output
    assert {tab: backend.grid(tab) for tab in before} == before  # nothing changed

    applied = runner.invoke(args=["sheet", "purge", "--apply"])
    assert "4 ligne(s) effacée(s)." in applied.output, applied.output
    trips, requests = backend.records("Trajets"), backend.records("Demandes")
    volunteers, rides = backend.records("Bénévoles"), backend.records("Courses")
    assert (trips[0]["Prénom"], trips[0]["Téléphone"], trips[0]["Remarques"]) == ("", "", "")
    assert trips[0]["Départ"] == "Limogne-en-Quercy"  # what the figures need stays
    assert trips[1]["Téléphone"] == "06 39 98 00 01"
    assert (requests[0]["Nom"], requests[0]["Téléphone"], requests[0]["Notes"]) == ("", "", "")
    assert requests[0]["Motif"] == "Médecin" and requests[0]["Statut"] == "nouvelle"
    assert [r["Téléphone"] for r in requests[1:]] == ["06 39 98 50 99"] * 3
    assert [v["Téléphone"] for v in volunteers] == ["", "06 39 98 70 01", "06 39 98 70 01"]
    assert [r["Notes"] for r in rides] == ["", "Sonner"] and rides[0]["Km"] == rides[0]["Km"]
    assert "Rien à effacer." in runner.invoke(args=["sheet", "purge"]).output
