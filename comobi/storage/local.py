"""Local adapter: an .xlsx workbook on disk, which the clerk opens in LibreOffice or Excel.

Every write takes an exclusive lock, reloads the file, changes only the cells it owns and
replaces the file atomically, so that concurrent writers (threads or processes) lose nothing
and a crash never leaves half a file.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import os
import tempfile
import threading
import zipfile
from contextlib import contextmanager
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from comobi.storage.port import StorageError

_thread_lock = threading.Lock()


class LocalSpreadsheet:
    settle_seconds = 0.0  # a failed local write never lands later

    def __init__(self, path: str | Path):
        self.path = Path(path)

    # -- reading ---------------------------------------------------------------
    def tab_titles(self) -> list[str]:
        return self._load(read_only=True).sheetnames

    def read_tab(self, title: str) -> list[list[str]]:
        return self.read_tabs([title])[title]

    def read_tabs(self, titles: list[str]) -> dict[str, list[list[str]]]:
        book = self._load(read_only=True)
        try:
            return {title: _rows_as_text(book[title]) for title in titles}
        except KeyError as error:
            raise StorageError(f"L'onglet {error} est introuvable dans {self.path.name}.") from error
        finally:
            book.close()

    def read_header(self, title: str) -> list[str]:
        grid = self.read_tab(title)
        return grid[0] if grid else []

    def version(self) -> str | None:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        return f"{stat.st_mtime_ns}-{stat.st_size}"

    # -- writing ---------------------------------------------------------------
    def append_rows(self, title: str, rows: list[list[str]]) -> None:
        with self._editing() as book:
            sheet = _sheet(book, title, self.path)
            first = _last_used_row(sheet) + 1
            for offset, row in enumerate(rows):
                for column, value in enumerate(row, start=1):
                    if value != "":
                        _set_text(sheet.cell(first + offset, column), value)

    def update_cells(self, title: str, cells: list[tuple[int, int, str]]) -> None:
        with self._editing() as book:
            sheet = _sheet(book, title, self.path)
            for row, column, value in cells:
                _set_text(sheet.cell(row, column), value)

    def add_tab(self, title: str, headers: list[str]) -> None:
        with self._editing(create=True) as book:
            if title in book.sheetnames:
                return
            sheet = book.create_sheet(title)
            for column, header in enumerate(headers, start=1):
                _set_text(sheet.cell(1, column), header)

    # -- plumbing --------------------------------------------------------------
    def _load(self, read_only: bool):
        try:
            return openpyxl.load_workbook(self.path, read_only=read_only, data_only=True)
        except FileNotFoundError as error:
            raise StorageError(f"Le classeur {self.path} est introuvable.") from error
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
            raise StorageError(
                f"Le classeur {self.path.name} est illisible (est-ce bien un fichier .xlsx ?)."
            ) from error

    @contextmanager
    def _editing(self, create: bool = False):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        with _thread_lock, open(lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if create and not self.path.exists():
                    book = openpyxl.Workbook()
                    book.remove(book.active)
                else:
                    book = openpyxl.load_workbook(self.path)
                yield book
                self._save(book)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _save(self, book) -> None:
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".xlsx.tmp")
        os.close(handle)
        try:
            book.save(temporary)
            with open(temporary, "rb") as written:
                os.fsync(written.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def _sheet(book, title: str, path: Path):
    if title not in book.sheetnames:
        raise StorageError(f"L'onglet « {title} » est introuvable dans {path.name}.")
    return book[title]


def _last_used_row(sheet) -> int:
    """The last row holding a value: max_row counts rows that were only formatted."""
    for row in range(sheet.max_row, 0, -1):
        if any(cell.value not in (None, "") for cell in sheet[row]):
            return row
    return 0


def _set_text(cell, value: str) -> None:
    cell.value = value
    cell.data_type = "s"  # never a formula, whatever the text starts with


def _rows_as_text(sheet) -> list[list[str]]:
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # some tools save wrong dimensions; read what is there
    rows = [[cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
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
    return str(value).strip()
