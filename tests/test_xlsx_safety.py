"""Writing into the clerk's file safely: never over a newer file, never while she has it
open, atomically, with its permissions, under a lock shared by processes, after a backup."""
from __future__ import annotations

import multiprocessing
import os
import re
import stat
from datetime import datetime, timedelta

import openpyxl
import pytest

from comobi.schema import REQUESTS, TABS, TRIPS
from comobi.settings import SETTINGS
from comobi.storage.local import LocalSpreadsheet
from comobi.storage.port import StorageError
from comobi.storage.service import Storage
from comobi.storage.xlsx_backup import KEEP_DAYS, KEEP_LATEST, Backups
from tests.workbooks import read_tab, trip_row, trips_workbook

DEFAULTS = {s.key: s.default for s in SETTINGS}


def clerk_edits(path, change) -> None:
    """The clerk opens the file in her spreadsheet program, changes it and saves it."""
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)


def test_a_row_moved_since_the_apps_read_is_found_again_by_its_content(sheet_path):
    trips_workbook(sheet_path, [trip_row(id="T1"), trip_row(id="T2")])
    sheet = LocalSpreadsheet(sheet_path)
    assert sheet.read_tab("Trajets")[2][0] == "T2"
    clerk_edits(sheet_path, lambda book: book["Trajets"].insert_rows(2))  # T2 is now on row 4
    sheet.update_cells("Trajets", [(3, 19, "archivé")])  # row 3 as the app read it
    rows = read_tab(sheet_path, "Trajets")
    assert rows[3][0] == "T2" and rows[3][18] == "archivé"
    assert rows[2][0] == "T1" and rows[2][18] == "publié" and rows[1] == [None] * len(rows[1])


def test_a_row_changed_or_gone_since_the_apps_read_is_not_written_at_all(sheet_path):
    trips_workbook(sheet_path, [trip_row(id="T1"), trip_row(id="T2"), trip_row(id="T3")])
    sheet = LocalSpreadsheet(sheet_path)
    sheet.read_tab("Trajets")
    clerk_edits(sheet_path, lambda book: book["Trajets"].delete_rows(3))  # T2 deleted: T3 is on row 3
    before = sheet_path.read_bytes()
    with pytest.raises(StorageError, match="ligne 3 a été modifiée, déplacée ou supprimée"):
        sheet.update_cells("Trajets", [(3, 19, "archivé")])
    assert sheet_path.read_bytes() == before
    sheet.read_tab("Trajets")  # read again: now the app knows where each row is
    sheet.update_cells("Trajets", [(3, 19, "archivé")])
    assert read_tab(sheet_path, "Trajets")[2][0] == "T3" and read_tab(sheet_path, "Trajets")[2][18] == "archivé"


def test_rows_the_clerk_added_since_the_apps_read_are_kept(sheet_path):
    trips_workbook(sheet_path, [trip_row(id="T1")])
    store = Storage(LocalSpreadsheet(sheet_path), DEFAULTS)
    store.board()
    clerk_edits(sheet_path, lambda book: book["Trajets"].append(["T-CLERC", "", "Marie"]))
    new_id = store.add_row(TRIPS, {"origin": "Gramat", "destination": "Figeac", "days": "mardi"}, "T")
    assert [row[0] for row in read_tab(sheet_path, "Trajets")[1:]] == ["T1", "T-CLERC", new_id]


def test_columns_moved_since_the_apps_read_are_found_again_by_their_header(sheet_path):
    trips_workbook(sheet_path, [trip_row(id="T1")], headers=["ID", "Départ", "Arrivée", "Jours"])
    sheet = LocalSpreadsheet(sheet_path)
    assert sheet.read_header("Trajets") == ["ID", "Départ", "Arrivée", "Jours"]

    def move(book):
        tab = book["Trajets"]
        tab.insert_cols(2)
        tab["B1"] = "Suivi"
        tab["E1"], tab["D1"] = "Arrivée", "Jours"  # and two columns swapped
        tab["E2"], tab["D2"] = tab["D2"].value, tab["E2"].value

    clerk_edits(sheet_path, move)
    sheet.append_rows("Trajets", [["T2", "Gramat", "Figeac", "mardi"]])
    sheet.update_cells("Trajets", [(2, 4, "lundi")])  # "Jours" of T1, as the app read it
    rows = read_tab(sheet_path, "Trajets")
    assert rows[0] == ["ID", "Suivi", "Départ", "Jours", "Arrivée"]
    assert rows[2] == ["T2", None, "Gramat", "mardi", "Figeac"]
    assert rows[1][3] == "lundi"


def test_a_header_now_twice_stops_the_write(sheet_path):
    trips_workbook(sheet_path, [trip_row(id="T1")], headers=["ID", "Départ", "Arrivée"])
    sheet = LocalSpreadsheet(sheet_path)
    sheet.read_header("Trajets")
    def twice(book):
        book["Trajets"].insert_cols(1)
        book["Trajets"]["A1"] = "Départ"  # "Départ" now in A and C: which one?

    clerk_edits(sheet_path, twice)
    with pytest.raises(StorageError, match="colonne « Départ » a été déplacée ou renommée"):
        sheet.append_rows("Trajets", [["T2", "Gramat", "Figeac"]])


def test_columns_added_by_the_app_then_a_write_by_another_worker_do_not_stop_the_append(sheet_path):
    trips_workbook(sheet_path, [trip_row(id="T1")], headers=["ID", "Départ", "Arrivée", "Jours"])
    sheet, other_worker = LocalSpreadsheet(sheet_path), LocalSpreadsheet(sheet_path)
    sheet.read_tab("Trajets")
    sheet.update_cells("Trajets", [(1, 5, "Prénom")])  # a column the new row needs
    other_worker.append_rows("Demandes", [["D1"]])  # the file changes meanwhile
    sheet.append_rows("Trajets", [["T2", "Gramat", "Figeac", "mardi", "Paul"]])
    assert read_tab(sheet_path, "Trajets")[2] == ["T2", "Gramat", "Figeac", "mardi", "Paul"]


def test_nothing_is_written_while_the_clerk_has_the_file_open(sheet_path, tmp_path):
    trips_workbook(sheet_path, [])
    lock = sheet_path.with_name(f".~lock.{sheet_path.name}#")
    lock.write_text("Secrétariat,mairie,01.12.2026 09:00,file:///home/mairie/.config/libreoffice/4;")
    before = sheet_path.read_bytes()
    store = Storage(LocalSpreadsheet(sheet_path), DEFAULTS)
    submission = store.submit(REQUESTS, {"first_name": "Louise", "origin": "Cahors"}, "D")
    assert not submission.delivered and sheet_path.read_bytes() == before
    assert "ouvert dans LibreOffice ou Excel" in store.delivery_error
    problems, _ = LocalSpreadsheet(sheet_path).check_report()
    assert any(".~lock.sheet.xlsx#" in line for line in problems)
    lock.unlink()  # she closes it
    assert store.deliver(force=True) == 1
    assert read_tab(sheet_path, "Demandes")[1][2] == "Louise"


@pytest.mark.parametrize("owner", ["~$sheet.xlsx", "~$eet.xlsx"])
def test_nothing_is_written_while_excel_has_the_file_open(sheet_path, owner):
    trips_workbook(sheet_path, [])
    sheet_path.with_name(owner).write_bytes(b"\x0bSecretariat")
    with pytest.raises(StorageError, match=f"ouvert dans LibreOffice ou Excel \\(fichier {re.escape(owner)}\\)"):
        LocalSpreadsheet(sheet_path).append_rows("Trajets", [["T1"]])


def test_the_write_is_atomic_and_keeps_the_files_permissions(sheet_path):
    trips_workbook(sheet_path, [])
    os.chmod(sheet_path, 0o640)
    leftover = sheet_path.with_name(f".{sheet_path.name}.abc123.tmp")
    leftover.write_bytes(b"half a file from a killed write")
    LocalSpreadsheet(sheet_path).append_rows("Trajets", [["T1"]])
    assert stat.S_IMODE(sheet_path.stat().st_mode) == 0o640
    assert not leftover.exists()
    assert sorted(p.name for p in sheet_path.parent.iterdir() if p.is_file()) == [sheet_path.name, sheet_path.name + ".lock"]


def test_a_workbook_behind_a_symbolic_link_stays_linked(tmp_path):
    shared = tmp_path / "partage" / "classeur.xlsx"
    shared.parent.mkdir()
    trips_workbook(shared, [])
    link = tmp_path / "covoiturage.xlsx"
    link.symlink_to(shared)
    LocalSpreadsheet(link).append_rows("Trajets", [["T1"]])
    assert link.is_symlink() and read_tab(shared, "Trajets")[1][0] == "T1"


def test_a_folder_the_app_cannot_write_into_is_a_french_error(sheet_path, monkeypatch):
    import comobi.storage.local as local

    trips_workbook(sheet_path, [])
    before = sheet_path.read_bytes()

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission non accordée")

    monkeypatch.setattr(local.tempfile, "mkstemp", refused)  # as in a folder the app may not write into
    with pytest.raises(StorageError, match="ne peut pas être enregistré.*Permission non accordée"):
        LocalSpreadsheet(sheet_path).append_rows("Trajets", [["T1"]])
    assert sheet_path.read_bytes() == before


def test_a_backup_is_taken_before_every_write_and_check_says_where(make_app, sheet_path, tmp_path):
    trips_workbook(sheet_path, [trip_row(id="T1")])
    original = sheet_path.read_bytes()
    app = make_app(sheet_path)
    client = app.test_client()
    from tests.test_forms import OFFER

    assert client.post("/proposer", follow_redirects=True, data=OFFER).status_code == 200
    folder = tmp_path / "backups"  # next to the outbox: instance/backups by default
    copies = sorted(folder.glob("sheet-*.xlsx"))
    assert [p.read_bytes() for p in copies] == [original]
    assert stat.S_IMODE(copies[0].stat().st_mode) == 0o600
    output = app.test_cli_runner().invoke(args=["sheet", "check"]).output
    assert f"Sauvegardes du classeur (avant chaque écriture de l'application) : 1 dans {folder}" in output


def test_backups_are_rotated_keeping_the_latest_and_one_per_recent_day(tmp_path):
    clock = [datetime(2026, 11, 1, 9, 0)]
    backups = Backups(tmp_path / "backups", "classeur", now=lambda: clock[0])
    for day in range(12):
        for hour in range(3):
            clock[0] = datetime(2026, 11, 1 + day, 9 + hour)
            backups.save(f"{day}-{hour}".encode())
    for n in range(KEEP_LATEST + 5):
        clock[0] = datetime(2026, 11, 13, 9) + timedelta(minutes=n)
        backups.save(f"13-{n}".encode())
    kept = [(when, path.read_text()) for when, path in backups.copies()]
    assert [text for _, text in kept[-KEEP_LATEST:]] == [f"13-{n}" for n in range(5, KEEP_LATEST + 5)]
    older = [text for _, text in kept[:-KEEP_LATEST]]
    assert older == [f"{day}-2" for day in range(12 - KEEP_DAYS + 1, 12)]  # the last copy of each recent day


def test_a_backup_folder_that_cannot_be_written_is_reported_and_the_write_goes_on(sheet_path, tmp_path):
    trips_workbook(sheet_path, [])
    blocker = tmp_path / "pas-un-dossier"
    blocker.write_text("x")
    sheet = LocalSpreadsheet(sheet_path, backups=blocker / "backups")
    sheet.append_rows("Trajets", [["T1"]])
    assert read_tab(sheet_path, "Trajets")[1][0] == "T1"
    problems, _ = sheet.check_report()
    assert any("sauvegardes du classeur ne peuvent pas être écrites" in line for line in problems)


def _post_rows(path: str, worker: int, count: int) -> None:
    store = Storage(LocalSpreadsheet(path), DEFAULTS)
    for n in range(count):
        store.add_row(REQUESTS, {"first_name": f"W{worker}-{n}", "origin": "Cahors"}, "D")


def test_processes_writing_at_once_never_interleave(sheet_path):
    trips_workbook(sheet_path, [])
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_post_rows, args=(str(sheet_path), w, 5)) for w in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0, 0, 0]
    names = sorted(row[2] for row in read_tab(sheet_path, "Demandes")[1:])
    assert names == sorted(f"W{w}-{n}" for w in range(4) for n in range(5))


def test_gestion_says_why_new_rows_wait_while_the_file_is_open(make_app, sheet_path):
    from tests.gestion_support import PASSWORD, log_in
    from tests.test_forms import OFFER

    trips_workbook(sheet_path, [])
    client = make_app(sheet_path, COMOBI_ADMIN_PASSWORD=PASSWORD, **{"outbox.retry_seconds": 0}).test_client()
    log_in(client)
    assert "ne peut pas recevoir" not in client.get("/gestion/").get_data(as_text=True)
    lock = sheet_path.with_name(f".~lock.{sheet_path.name}#")
    lock.write_text("Secrétariat,mairie,01.12.2026 09:00;")
    assert client.post("/proposer", follow_redirects=True, data=OFFER).status_code == 200  # accepted, kept in the outbox
    page = client.get("/gestion/").get_data(as_text=True)
    assert "ne peut pas recevoir les nouvelles lignes" in page
    assert "ouvert dans LibreOffice ou Excel (fichier .~lock.sheet.xlsx#)" in page
    assert "1 envoi(s) attendent" in page
    assert len(read_tab(sheet_path, "Trajets")) == 1
    lock.unlink()
    client.post("/proposer", follow_redirects=True, data={**OFFER, "first_name": "Marie"})
    assert [row[2] for row in read_tab(sheet_path, "Trajets")[1:]] == ["Paul", "Marie"]
    assert "ne peut pas recevoir" not in client.get("/gestion/").get_data(as_text=True)


def test_the_template_is_a_new_file_with_no_backups_beside_it(make_app, tmp_path):
    target = tmp_path / "modeles" / "modele.xlsx"
    target.parent.mkdir()
    result = make_app().test_cli_runner().invoke(args=["sheet", "template", str(target)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in target.parent.iterdir()) == ["modele.xlsx"]
    assert openpyxl.load_workbook(target).sheetnames == [tab.title for tab in TABS]
