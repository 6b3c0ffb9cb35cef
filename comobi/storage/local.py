"""Local adapter: an .xlsx workbook on disk, which the clerk opens in LibreOffice or Excel.

The app never rewrites what it does not own. Appending rows and setting cells edit only
the tab's worksheet part inside the .xlsx (``xlsx_sheet.py``, ``xlsx_package.py``); every
other part of the file is copied unchanged, so formulas keep their results and pictures,
charts, drop-downs, comments, formatting, names, filters, widths and panes stay as the
clerk saved them. Only a new file (demo, template) is made with openpyxl. What was
measured to choose this is in BENCHMARKS.md ("The clerk's workbook").

Every write:
- takes a lock (``filelock``, plus a thread lock), so workers never interleave;
- refuses while the clerk has the file open in LibreOffice or Excel (their lock file is
  there): her next save would erase what the app wrote; the rows wait in the outbox;
- if the file changed since the app read the tab, reads it again and finds its columns by
  header and its rows by content (``xlsx_align.py``); if that is not certain, writes
  nothing and says so;
- keeps a copy of the file as it was (``xlsx_backup.py``);
- replaces the file atomically (temporary file, fsync, rename), with its permissions, and
  starts again if the file changed on disk while the new one was being made.

Reading uses openpyxl with the formulas' cached results (what the clerk sees); formulas
saved without a result are listed by ``formulas_without_result`` for ``flask sheet check``.
"""
from __future__ import annotations

import datetime as dt
import io
import logging
import os
import re
import tempfile
import threading
import zipfile
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from filelock import FileLock
from openpyxl.utils.exceptions import InvalidFileException

from comobi.storage import xlsx_check
from comobi.storage.port import StorageError
from comobi.storage.xlsx_align import Alignment, fingerprint
from comobi.storage.xlsx_backup import Backups
from comobi.storage.xlsx_package import Package, new_worksheet_xml
from comobi.storage.xlsx_sheet import WorksheetXml, extend_autofilter

log = logging.getLogger(__name__)
_thread_lock = threading.Lock()
ATTEMPTS = 3  # the file changed on disk while we were writing: start again on the new one


@dataclass
class _Seen:
    """A tab as the app last read it: the file's version then, its header, each row's fingerprint."""
    version: str | None
    header: list[str]
    rows: list[int]


class LocalSpreadsheet:
    settle_seconds = 0.0  # a failed local write never lands later

    def __init__(self, path: str | Path, backups: str | Path | None = None, keep_backups: bool = True):
        self.path = Path(path)
        self.backups = Backups(Path(backups) if backups else self.path.parent / "backups", self.path.stem)
        self.keep_backups = keep_backups  # False for a file being made (sheet template)
        self._seen: dict[str, _Seen] = {}
        self.backup_error = ""

    # -- reading ---------------------------------------------------------------
    def tab_titles(self) -> list[str]:
        return [sheet.title for sheet in Package(self.read_bytes(), self.path.name).sheets]

    def read_tab(self, title: str) -> list[list[str]]:
        return self.read_tabs([title])[title]

    def read_tabs(self, titles: list[str]) -> dict[str, list[list[str]]]:
        version = self.version()  # before reading: a change during the read shows at write time
        book = self._load(self.read_bytes())
        try:
            grids = {title: _rows_as_text(book[title]) for title in titles}
        except KeyError as error:
            raise StorageError(f"L'onglet {error} est introuvable dans {self.path.name}.") from error
        finally:
            book.close()
        for title, grid in grids.items():
            self._seen[title] = _Seen(version, list(grid[0]) if grid else [], [fingerprint(row) for row in grid])
        return grids

    def read_header(self, title: str) -> list[str]:
        grid = self.read_tab(title)
        return grid[0] if grid else []

    def version(self) -> str | None:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        return f"{stat.st_mtime_ns}-{stat.st_size}"

    def formulas_without_result(self) -> list[tuple[str, int, str]]:
        """(tab, row, cell) of every formula saved without its result, which reads as empty."""
        return xlsx_check.formulas_without_result(Package(self.read_bytes(), self.path.name))

    def check_report(self) -> tuple[list[str], list[str]]:
        """What ``flask sheet check`` says about the file itself, in French: (problems, notes)."""
        return xlsx_check.report(self)

    def unwritable(self) -> list[str]:
        """Why the app would refuse to write into its tabs (tried in memory, nothing saved)."""
        return xlsx_check.unwritable(self)

    def open_elsewhere(self) -> str | None:
        """Why writing now would be undone by the clerk's next save, if it would."""
        name = self.path.name
        # LibreOffice's lock file; Excel's owner file, whose name loses its first two letters when long
        locks = [f".~lock.{name}#", f"~${name}", f"~${name[2:]}"]
        for lock in (self.path.with_name(n) for n in locks if n != "~$"):
            if lock.exists():
                return (f"le classeur {self.path.name} est ouvert dans LibreOffice ou Excel (fichier {lock.name}) : "
                        "l'application n'y écrit pas, sinon son prochain enregistrement effacerait les nouvelles "
                        "lignes ; elles attendent qu'il soit fermé. Si personne ne l'a ouvert, supprimez ce fichier.")
        return None

    # -- writing ---------------------------------------------------------------
    def append_rows(self, title: str, rows: list[list[str]]) -> None:
        def change(package: Package, alignment: Alignment | None) -> None:
            sheet = package.sheet(title)
            xml = self.worksheet(package, sheet)
            edit = xml.append_rows(alignment.rows(rows) if alignment else rows)
            text, filter_ref = extend_autofilter(edit.text, xml.p, edit.last_used_before, edit.last_row_after)
            package.replace(sheet.path, text.encode("utf-8"))
            package.follow_appended_rows(sheet, edit.last_used_before, edit.last_row_after, filter_ref)

        self._write(title, change, relied_on=[1])

    def update_cells(self, title: str, cells: list[tuple[int, int, str]]) -> None:
        def change(package: Package, alignment: Alignment | None) -> None:
            sheet = package.sheet(title)
            placed = alignment.cells(cells) if alignment else cells
            edit = self.worksheet(package, sheet).set_cells({(r, c): v for r, c, v in placed})
            package.replace(sheet.path, edit.text.encode("utf-8"))

        self._write(title, change, relied_on=sorted({1} | {row for row, _, _ in cells}))

    def add_tab(self, title: str, headers: list[str]) -> None:
        if not self.path.exists():
            with self._locked():
                if not self.path.exists():
                    self._create(title, headers)
                    return
        if title in self.tab_titles():
            return

        def change(package: Package, alignment: None) -> None:
            if all(sheet.title != title for sheet in package.sheets):
                package.add_sheet(title, new_worksheet_xml(headers))

        self._write(None, change, relied_on=[])

    # -- plumbing --------------------------------------------------------------
    def worksheet(self, package: Package, sheet) -> WorksheetXml:
        if not sheet.path or not package.has(sheet.path):
            raise StorageError(f"L'onglet « {sheet.title} » de {self.path.name} n'est pas une feuille de "
                               "données (graphique ?) : l'application n'y écrit pas.")
        return WorksheetXml(package.text(sheet.path), f"L'onglet « {sheet.title} » de {self.path.name}")

    def _write(self, title: str | None, change, relied_on: list[int]) -> None:
        with self._locked():
            for _ in range(ATTEMPTS):
                problem = self.open_elsewhere()
                if problem:
                    raise StorageError(problem[0].upper() + problem[1:])
                before = self.version()
                data = self.read_bytes()
                alignment = self._alignment(title, before, data, relied_on) if title is not None else None
                package = Package(data, self.path.name)
                change(package, alignment)
                written = package.to_bytes()
                mode = self.path.stat().st_mode
                self._back_up(data)
                if self.version() != before:
                    continue  # saved by someone else meanwhile: start again from her file
                self._replace(written, mode)
                if title is not None:
                    self._forget(title, relied_on, written)
                return
        raise StorageError(f"Le classeur {self.path.name} change sans cesse sur le disque : "
                           "rien n'a été écrit, nouvel essai plus tard.")

    def _back_up(self, data: bytes) -> None:
        """A failed copy does not stop the write (it changes only the app's own cells): it
        is logged and ``flask sheet check`` reports it until a copy succeeds again."""
        if not self.keep_backups:
            return
        try:
            self.backups.save(data)
            self.backup_error = ""
        except OSError as error:
            self.backup_error = f"{self.backups.folder} : {error.strerror or error}"
            log.error("Sauvegarde du classeur impossible avant écriture : %s", self.backup_error)

    def _alignment(self, title: str, version: str | None, data: bytes, rows: list[int]) -> Alignment | None:
        """If the file changed since the app read this tab, where its rows and columns are now
        (read again from ``data``); None when nothing changed or nothing was read."""
        seen = self._seen.get(title)
        if seen is None or seen.version == version:
            return None
        book = self._load(data)
        try:
            if title not in book.sheetnames:
                return None  # the write reports the missing tab itself
            now = _rows_as_text(book[title], max_row=None if max(rows) > 1 else 1)
        finally:
            book.close()
        return Alignment(seen.header, seen.rows, now, f"Onglet « {title} » de {self.path.name}")

    def _forget(self, title: str, rows: list[int], written: bytes) -> None:
        """After our own write: the file's new version is known; the rows we changed are not,
        except the header, read back at once (new columns are added there before appends)."""
        seen = self._seen.get(title)
        if seen is None:
            return
        seen.version = self.version()
        for row in rows:
            if 1 < row <= len(seen.rows):
                seen.rows[row - 1] = -1  # unknown: read again before relying on it
        if 1 in rows and seen.rows:
            book = self._load(written)
            try:
                header = _rows_as_text(book[title], max_row=1)
            finally:
                book.close()
            seen.header = list(header[0]) if header else []
            seen.rows[0] = fingerprint(seen.header)

    def _replace(self, data: bytes, mode: int) -> None:
        """Write ``data`` beside the file, then rename it over the file (through a symbolic
        link to the real file, so that the link stays)."""
        target = Path(os.path.realpath(self.path))
        try:
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        except OSError as error:
            raise StorageError(f"Le classeur {self.path.name} ne peut pas être enregistré : l'application ne peut "
                               f"pas écrire dans le dossier {target.parent} ({error.strerror}).") from error
        try:
            with os.fdopen(handle, "wb") as written:
                os.fchmod(written.fileno(), mode & 0o7777)
                written.write(data)
                written.flush()
                os.fsync(written.fileno())
            _keep_owner(temporary, target)
            os.replace(temporary, target)
        except BaseException as error:
            Path(temporary).unlink(missing_ok=True)
            if isinstance(error, OSError):
                raise StorageError(f"Le classeur {self.path.name} ne peut pas être enregistré "
                                   f"({error.strerror or error}) : rien n'a changé.") from error
            raise
        _fsync_folder(target.parent)

    def _create(self, title: str, headers: list[str]) -> None:
        book = openpyxl.Workbook()
        book.remove(book.active)
        sheet = book.create_sheet(title)
        for column, header in enumerate(headers, start=1):
            cell = sheet.cell(1, column)
            cell.value, cell.data_type = header, "s"
        buffer = io.BytesIO()
        book.save(buffer)
        self._replace(buffer.getvalue(), 0o600)

    @contextmanager
    def _locked(self):
        with ExitStack() as held:
            held.enter_context(_thread_lock)
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                held.enter_context(FileLock(str(self.path.with_name(self.path.name + ".lock"))))
            except OSError as error:
                raise StorageError(f"Le classeur {self.path.name} ne peut pas être verrouillé pour écrire "
                                   f"({error.strerror or error}) : le dossier {self.path.parent} doit être "
                                   "modifiable par l'application.") from error
            real = Path(os.path.realpath(self.path))
            for leftover in real.parent.glob(f".{real.name}.*.tmp"):
                leftover.unlink(missing_ok=True)  # a write killed midway; nobody else writes now
            yield

    def read_bytes(self) -> bytes:
        try:
            return self.path.read_bytes()
        except FileNotFoundError as error:
            raise StorageError(f"Le classeur {self.path} est introuvable.") from error
        except OSError as error:
            raise StorageError(f"Le classeur {self.path.name} ne peut pas être lu : {error.strerror}.") from error

    def _load(self, data: bytes):
        try:
            return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
            raise StorageError(
                f"Le classeur {self.path.name} est illisible (est-ce bien un fichier .xlsx ?)."
            ) from error


def _keep_owner(temporary: str, original: Path) -> None:
    try:
        stat = original.stat()
        if (stat.st_uid, stat.st_gid) != (os.getuid(), os.getgid()):
            os.chown(temporary, stat.st_uid, stat.st_gid)
    except (OSError, AttributeError):
        pass  # not allowed to give it away: the file stays ours, with the same permissions


def _fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _rows_as_text(sheet, max_row: int | None = None) -> list[list[str]]:
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # some tools save wrong dimensions; read what is there
    rows = [[cell_text(value) for value in row] for row in sheet.iter_rows(max_row=max_row, values_only=True)]
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


def cell_text(value) -> str:
    """A cell as the clerk reads it: dates the French way, 3.0 as 3."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _ESCAPED_ESCAPE.sub(r"\1", str(value)).strip()


# A literal "_x0041_" is written "_x005F_x0041_" (xlsx_sheet.xml_text), which Excel and
# LibreOffice read back as typed; openpyxl undoes it in shared strings only.
_ESCAPED_ESCAPE = re.compile(r"_x005F(_x[0-9A-Fa-f]{4}_)")
