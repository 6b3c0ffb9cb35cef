"""What the clerk reads while following DEPLOY.md: plain French that names the fix."""
from __future__ import annotations

import pytest

from comobi import settings
from comobi.settings import SettingsError
from tests.workbooks import trip_row, trips_workbook, write_workbook


@pytest.mark.parametrize("content, message", [
    ('[service]\nname = "Covoit\n', "faute de frappe à la ligne 2, colonne"),
    ("[moderation]\nenabled = Oui\n", "faute de frappe à la ligne 2, colonne"),
    ('[scope]\ndepartements = "46"\n', 'il faut une liste entre crochets, par exemple ["46"]'),
    ('[sheet]\ncache_seconds = "60"\n', "il faut un nombre entier sans guillemets"),
    ("[moderation]\nenabled = 1\n", "il faut true ou false"),
])
def test_a_typo_says_where_and_what_is_expected(tmp_path, content, message):
    path = tmp_path / "instance.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SettingsError) as error:
        settings.load(path)
    assert message in str(error.value)
    assert " at line " not in str(error.value)


def test_check_names_a_misspelt_setting_instead_of_using_the_default(make_app):
    # « [sheets] » instead of « [sheet] »: the app would quietly run on the demo workbook.
    app = make_app(**{"sheets.backend": "google", "sheets.path": "x.xlsx", "branding.colour": "#123456"})
    output = app.test_cli_runner().invoke(args=["sheet", "check"]).output
    assert output.count("Attention : Section « [sheets] » inconnue, donc ignorée") == 1
    assert "Attention : Réglage « branding.colour » inconnu, donc ignoré" in output
    assert "Tout est en ordre." not in output


def test_check_is_quiet_about_known_settings(make_app):
    output = make_app().test_cli_runner().invoke(args=["sheet", "check"]).output
    assert "inconnu" not in output


def test_the_template_leaves_only_the_workbook_and_says_how_to_import_it(make_app, tmp_path):
    target = tmp_path / "modele.xlsx"
    result = make_app().test_cli_runner().invoke(args=["sheet", "template", str(target)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("modele")) == ["modele.xlsx"]
    assert "Fichier > Importer" in result.output and "Remplacer la feuille de calcul" in result.output


def test_a_missing_tab_names_the_whole_command(make_app, sheet_path):
    write_workbook(sheet_path, {"Trajets": [["ID"]], "Lieux": [["Noms", "Latitude", "Longitude"]]})
    output = make_app(sheet_path).test_cli_runner().invoke(args=["sheet", "check"]).output
    assert "« Demandes », onglet : onglet absent (flask --app app sheet init le crée)." in output


def test_an_unknown_destination_reads_as_french(make_app, sheet_path):
    trips_workbook(sheet_path, [trip_row(id="T1", destination="Atlantide"), trip_row(id="T2", origin="")])
    output = make_app(sheet_path).test_cli_runner().invoke(args=["sheet", "check"]).output
    assert "commune d'arrivée inconnue : « Atlantide »" in output
    assert "commune de départ manquante" in output
