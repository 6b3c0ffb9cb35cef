"""A clerk's real workbook (formulas, picture, chart, drop-down, comments, formatting, named
range, filter, widths, panes, tabs of her own) after the app writes into it: all still there.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from bench.clerk_workbook import inventory, lost, write_clerk_workbook
from comobi.schema import REQUESTS, TRIPS
from comobi.settings import SETTINGS
from comobi.storage.local import LocalSpreadsheet
from comobi.storage.port import StorageError
from comobi.storage.service import Storage
from tests.gestion_support import PASSWORD, log_in
from tests.test_forms import OFFER, REQUEST

DEFAULTS = {s.key: s.default for s in SETTINGS}
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice absent (apt-get install libreoffice-calc-nogui)")


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def sheet_part(path: Path, title: str) -> str:
    book = openpyxl.load_workbook(path, read_only=True)
    return f"xl/worksheets/sheet{book.sheetnames.index(title) + 1}.xml"


def values(path: Path) -> dict[str, object]:
    book = openpyxl.load_workbook(path, data_only=True)
    return {f"{s.title}!{c.coordinate}": c.value for s in book.worksheets for row in s.iter_rows() for c in row
            if c.value is not None}


def test_appending_and_updating_keep_every_feature_and_every_other_part(tmp_path):
    path = write_clerk_workbook(tmp_path / "classeur.xlsx")
    before, parts = inventory(path), members(path)
    store = Storage(LocalSpreadsheet(path), DEFAULTS)
    new_id = store.add_row(TRIPS, {"origin": "Gramat", "destination": "Figeac", "days": "mardi",
                                   "outbound_time": "9h", "first_name": "Paul"}, "T")
    store.update_by_id(REQUESTS, "D0001", {"status": "en cours"})
    assert lost(before, inventory(path)) == {}
    assert inventory(path)["filters"]["Trajets"] == "A1:T5"  # the filter covers the new row too
    after = members(path)
    changed = {name for name in parts if after.get(name) != parts[name]}
    # workbook.xml: only the filter's hidden name, which follows the filter over the new row
    assert changed == {sheet_part(path, "Trajets"), sheet_part(path, "Demandes"), "xl/workbook.xml"}
    assert after["xl/workbook.xml"] == parts["xl/workbook.xml"].replace(b"$A$1:$T$4", b"$A$1:$T$5")
    assert set(after) == set(parts)
    trips = {t.id: t for t in store.board().trips}
    assert trips["T0001"].origin.name == "Figeac"  # Départ is a formula: read as its result
    assert trips[new_id].origin.name == "Gramat"


def test_a_picture_survives_the_first_write(tmp_path):
    path = write_clerk_workbook(tmp_path / "classeur.xlsx")
    image = members(path)["xl/media/image1.png"]
    Storage(LocalSpreadsheet(path), DEFAULTS).add_row(TRIPS, {"origin": "Gramat", "destination": "Figeac",
                                                              "days": "mardi"}, "T")
    assert members(path)["xl/media/image1.png"] == image
    book = openpyxl.load_workbook(path)
    assert len(book["Bilan"]._images) == 1 and len(book["Bilan"]._charts) == 1


def test_a_new_tab_in_an_existing_file_keeps_the_rest(tmp_path):
    path = write_clerk_workbook(tmp_path / "classeur.xlsx")
    book = openpyxl.load_workbook(path)
    del book["Lieux"]
    book.save(path)  # (openpyxl drops results: this file is the "before" of this test only)
    before, parts = inventory(path), members(path)
    done = Storage(LocalSpreadsheet(path), DEFAULTS).init_tabs()
    new_tabs = ["Lieux", "Bénévoles", "Courses"]
    assert done == [f"Onglet « {title} » créé." for title in new_tabs]
    after = inventory(path)
    assert lost(before, after) == {} and after["tabs"][-3:] == new_tabs
    assert LocalSpreadsheet(path).read_tab("Lieux") == [["Noms", "Latitude", "Longitude"]]
    changed = {name for name, data in parts.items() if members(path).get(name) != data}
    assert changed == {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"}


def test_a_formula_without_result_is_reported_with_its_tab_and_row(make_app, tmp_path):
    path = tmp_path / "classeur.xlsx"
    book = openpyxl.Workbook()
    trips = book.active
    trips.title = "Trajets"
    trips.append(TRIPS.headers)
    trips.append(["T0001", "", "Josette", "", "06 39 98 00 01", "", "", "Oui", "=Notes!A1", "", "Cahors", "",
                  "lundi", "", "8h", "", "3", "", "publié", ""])
    book.create_sheet("Demandes").append(REQUESTS.headers)
    book.create_sheet("Notes").append(["Figeac"])
    book.save(path)  # openpyxl computes nothing: the formula has no result
    assert LocalSpreadsheet(path).formulas_without_result() == [("Trajets", 2, "I2")]
    app = make_app(path)
    result = app.test_cli_runner().invoke(args=["sheet", "check"])
    assert "« Trajets », ligne 2 : la formule de la cellule I2 n'a pas de résultat enregistré" in result.output
    assert "Tout est en ordre" not in result.output


@pytest.mark.parametrize("saved_by", ["openpyxl", pytest.param("LibreOffice", marks=needs_libreoffice)])
def test_twenty_offers_five_requests_five_follow_ups_through_http(make_app, tmp_path, saved_by):
    path = write_clerk_workbook(tmp_path / "origine" / "classeur.xlsx")
    if saved_by == "LibreOffice":
        path = _libreoffice(path, tmp_path / "lo")  # shared strings, its own dialect, the filter's name
    before = inventory(path)
    cells_before = values(path)
    client = make_app(path, COMOBI_ADMIN_PASSWORD=PASSWORD).test_client()
    assert client.get("/trajets/T0001").status_code == 200  # its Départ is a formula
    towns = ["Lalbenque", "Gramat", "Figeac", "Souillac", "Gourdon"]
    for n in range(20):
        response = client.post("/proposer", follow_redirects=True, data={**OFFER, "origin": towns[n % 5], "first_name": f"Conducteur{n}"})
        assert response.status_code == 200, n
    for n in range(5):
        response = client.post("/demander", follow_redirects=True, data={**REQUEST, "first_name": f"Passagère{n}"})
        assert "demande est enregistrée" in response.get_data(as_text=True)
    assert log_in(client).status_code == 302
    requests = LocalSpreadsheet(path).read_tab("Demandes")
    posted = [(row[0], number) for number, row in enumerate(requests[1:], start=2) if row[2].startswith("Passagère")]
    assert len(posted) == 5
    for request_id, row in posted:
        response = client.post(f"/gestion/demandes/{request_id}/suivi",
                               data={"row": str(row), "status": "en cours", "note": f"Appel {request_id}"})
        assert response.status_code == 302, request_id

    assert lost(before, inventory(path)) == {}
    grid = LocalSpreadsheet(path).read_tab("Trajets")
    assert sorted(r[2] for r in grid[4:]) == sorted(f"Conducteur{n}" for n in range(20))
    assert inventory(path)["filters"]["Trajets"] == f"A1:T{len(grid)}"
    statuses = {row[0]: row[16] for row in LocalSpreadsheet(path).read_tab("Demandes")[1:]}
    assert all(statuses[request_id] == "en cours" for request_id, _ in posted)
    now = values(path)
    assert {cell: now.get(cell) for cell in cells_before} == cells_before  # formulas show their results still
    assert client.get("/trajets/T0001").status_code == 200
    if saved_by == "LibreOffice":
        seen = values(_libreoffice(path, tmp_path / "relu"))
        assert {cell: seen.get(cell) for cell in cells_before} == cells_before
        assert sorted(seen[f"Trajets!C{row}"] for row in range(5, 25)) == sorted(f"Conducteur{n}" for n in range(20))


def _libreoffice(source: Path, folder: Path) -> Path:
    """``source`` opened and saved again by LibreOffice, headless (as a clerk's save would be)."""
    folder.mkdir(parents=True, exist_ok=True)
    profile = (folder / "profil").as_uri()
    subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile}",
                    "--convert-to", "xlsx", "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=120)
    return folder / source.name


@needs_libreoffice
def test_a_workbook_saved_by_libreoffice_keeps_its_values_after_the_apps_writes(tmp_path):
    path = _libreoffice(write_clerk_workbook(tmp_path / "origine" / "classeur.xlsx"), tmp_path / "lo")
    assert "_xlnm._FilterDatabase" in members(path)["xl/workbook.xml"].decode()
    before, cells_before = inventory(path), values(path)
    store = Storage(LocalSpreadsheet(path), DEFAULTS)
    ids = [store.add_row(TRIPS, {"origin": "Gramat", "destination": "Figeac", "days": "mardi",
                                 "first_name": f"P{n}"}, "T") for n in range(3)]
    store.update_by_id(REQUESTS, "D0001", {"status": "en cours"})
    assert lost(before, inventory(path)) == {}
    workbook_xml = members(path)["xl/workbook.xml"].decode()
    assert re.search(r"_xlnm\._FilterDatabase[^>]*>Trajets!\$A\$1:\$T\$7<", workbook_xml)  # follows the filter
    reopened = _libreoffice(path, tmp_path / "relu")
    seen = values(reopened)
    for cell, value in cells_before.items():
        if cell != "Demandes!Q2":
            assert seen.get(cell) == value, cell
    assert seen["Demandes!Q2"] == "en cours"
    assert [seen[f"Trajets!A{row}"] for row in (5, 6, 7)] == ids


def test_a_table_covering_the_data_grows_over_appended_rows(tmp_path):
    from openpyxl.worksheet.table import Table

    path = write_clerk_workbook(tmp_path / "classeur.xlsx")
    book = openpyxl.load_workbook(path)
    book["Trajets"].auto_filter.ref = None
    book["Trajets"].add_table(Table(displayName="Trajets_tableau", ref="A1:T4"))
    book["Demandes"].add_table(Table(displayName="Demandes_haut", ref="A1:T1"))  # over part of the data only
    book.save(path)
    Storage(LocalSpreadsheet(path), DEFAULTS).add_row(TRIPS, {"origin": "Gramat", "destination": "Figeac",
                                                              "days": "mardi"}, "T")
    Storage(LocalSpreadsheet(path), DEFAULTS).add_row(REQUESTS, {"origin": "Gramat", "first_name": "Lou"}, "D")
    tables = {t.displayName: t.ref for sheet in openpyxl.load_workbook(path).worksheets for t in sheet.tables.values()}
    assert tables == {"Trajets_tableau": "A1:T5", "Demandes_haut": "A1:T1"}
    assert '<autoFilter ref="A1:T5"' in members(path)["xl/tables/table1.xml"].decode()


def test_check_says_when_the_app_could_not_write_without_damage(make_app, tmp_path):
    path = write_clerk_workbook(tmp_path / "classeur.xlsx")
    assert LocalSpreadsheet(path).unwritable() == []
    parts = members(path)
    parts[sheet_part(path, "Lieux")] = re.sub(rb"<sheetData>.*</sheetData>", b"", parts[sheet_part(path, "Lieux")])
    with zipfile.ZipFile(path, "w") as rewritten:
        for name, data in parts.items():
            rewritten.writestr(name, data)
    before = path.read_bytes()
    with pytest.raises(StorageError, match="pas de zone de données"):
        LocalSpreadsheet(path).append_rows("Lieux", [["Gare de Figeac", "44.6", "2.03"]])
    assert path.read_bytes() == before
    output = make_app(path).test_cli_runner().invoke(args=["sheet", "check"]).output
    assert "ERREUR : l'application ne peut pas écrire dans l'onglet « Lieux » : L'onglet « Lieux » de " in output
    assert "Tout est en ordre" not in output


def test_the_keep_benchmark_runs(tmp_path, capsys):
    from bench import generate, xlsx_keep

    small = generate.write(tmp_path / "trips-20.xlsx", 20)
    results = xlsx_keep.main(["--workbook", str(small), "--rounds", "1", "--no-libreoffice"])
    assert results["lost"]["worksheet part edited in the zip (comobi/storage/local.py)"] == {}
    assert "pictures" in results["lost"]["openpyxl, whole workbook saved, without Pillow"]
    assert "formulas" in results["lost"]["openpyxl, whole workbook saved, with Pillow"]
    assert len(results["speed"][str(small)]) == 3
    assert "| approach |" in capsys.readouterr().out
