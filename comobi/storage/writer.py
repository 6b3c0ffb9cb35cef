"""The write side of the spreadsheet: new rows through the outbox, write-backs by ID.

New rows are first kept in the outbox (``storage/outbox.py``), then delivered, oldest
first, exactly once: their key is looked up in the sheet before writing. After an append
the header row is read again: if the clerk inserted or moved a column between our read
and our write, the rows just written are found by their key and rewritten under the
right headers (``_settle``); if the columns keep moving they stay in the outbox.

A write-back (status, note...) locates its row by ``ID`` at write time, writes only the
cells given, and only if the cells still hold what the page showed (``expected``):
otherwise ``WriteConflict`` says what changed, and nothing is written.

Every value written is made inert (``safe_text.for_sheet``). ``lock`` is the write lock:
readers never wait on it.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from comobi import rows
from comobi.schema import TABS, HeaderMap, Tab, find_tab_title
from comobi.storage.journal import Journal
from comobi.storage.lost_rows import LostRows
from comobi.storage.outbox import Entry, Outbox, new_key
from comobi.storage.port import Spreadsheet, StorageError
from comobi.storage.safe_text import for_sheet, from_sheet
from comobi.storage.sheet_cells import cell_text, repairs, row_of, rows_by_key, trimmed
from comobi.storage.xlsx_align import Moved

log = logging.getLogger(__name__)
SETTLE_ROUNDS = 3  # header reads after an append before giving up on a sheet whose columns keep moving


@dataclass(frozen=True)
class Submission:
    id: str
    delivered: bool  # False: safe in the outbox, will reach the sheet later


@dataclass(frozen=True)
class Change:
    """A cell the clerk changed in the sheet since the page showed it."""

    field: str
    header: str
    shown: str
    now: str


class WriteConflict(StorageError):
    """The row changed in the sheet since the page was shown: nothing was written."""

    def __init__(self, record_id: str, changes: list[Change]):
        self.record_id = record_id
        self.changes = changes
        listed = " ; ".join(f"{c.header} : « {c.shown} » est devenu « {c.now} »" for c in changes)
        super().__init__(f"La ligne {record_id} a été modifiée dans le tableur entre-temps ({listed}) : "
                         "rien n'a été écrit.")


class WriteUnsure(StorageError):
    """The write-back was made but the sheet moved under it in a way that could not be put
    right: the message says which row to check."""


class SheetWriter:
    def __init__(self, spreadsheet: Callable[[], Spreadsheet], settings: dict, outbox: Outbox,
                 clock: Callable[[], float] = time.monotonic, written: Callable[[], None] = lambda: None):
        self._spreadsheet = spreadsheet  # a getter: tests and benches swap the adapter on the façade
        self.settings = settings
        self.outbox = outbox
        self.clock = clock
        self.written = written  # called after every write that reached the sheet
        self.lock = threading.Lock()
        self.delivery_error = ""  # why the last delivery failed, for flask sheet check
        self._next_delivery = float("-inf")
        self._titles: dict[str, str] = {}  # our tab title -> the sheet's own spelling
        self.journal = Journal(outbox.folder / "journal" / "acknowledged.jsonl",
                               settings.get("legal.retention_days", 365))
        self.lost_rows = LostRows(self)

    @property
    def spreadsheet(self) -> Spreadsheet:
        return self._spreadsheet()

    # -- new rows ------------------------------------------------------------------
    def submit(self, tab: Tab, values: dict[str, str], prefix: str) -> Submission:
        """Keep the row safe on disk, then try to deliver it; say whether it reached the sheet."""
        values = {"id": rows.new_id(prefix), **values, "key": new_key()}
        try:
            self.outbox.put(tab.title, values)
        except OSError as error:
            log.error("File d'attente impossible à écrire (%s) : %s", self.outbox.folder, error)
            raise StorageError("Votre envoi n'a pas pu être enregistré. Réessayez dans quelques minutes "
                               "ou appelez le service.") from error
        try:
            self.journal.record(tab.title, values)
        except OSError as error:  # the row is safe in the outbox: only the later check is lost
            log.error("Journal des envois impossible à écrire (%s) : %s", self.journal.path, error)
        self.deliver()
        return Submission(values["id"], delivered=not self.outbox.contains(values["key"]))

    def deliver(self, force: bool = False) -> int:
        """Write what waits in the outbox, oldest first; return how many rows reached the sheet.

        Without ``force``, nothing is tried until ``outbox.retry_seconds`` after a failure.
        """
        with self.outbox.delivering():
            if not force and self.clock() < self._next_delivery:
                return 0
            delivered = 0
            try:
                for tab, entries in _runs(self.outbox.entries()):
                    if entries[0].kind == "update":
                        self._deliver_update(tab, entries[0])
                    else:
                        self._append_once(tab, entries)
                    for entry in entries:
                        self.outbox.done(entry)
                    delivered += len(entries)
            except Exception as error:  # noqa: BLE001 - whatever fails, the rows stay queued
                wait = max(self.settings["outbox.retry_seconds"], self.spreadsheet.settle_seconds)
                self._next_delivery = self.clock() + wait
                self.delivery_error = str(error) if isinstance(error, StorageError) else repr(error)
                log.warning("Tableur inaccessible, envois gardés en attente : %s", self.delivery_error,
                            exc_info=not isinstance(error, StorageError))
            else:
                self._next_delivery = float("-inf")
                self.delivery_error = ""
        if delivered:
            self.written()
        return delivered

    def deliver_if_due(self) -> None:
        """Cheap when nothing waits: for a hook run on every request."""
        if self.clock() >= self._next_delivery and self.outbox.entries():
            self.deliver()

    def _append_once(self, tab: Tab, entries: list[Entry]) -> None:
        """Append these rows, except those whose key the sheet already holds; then make sure
        each one stands under the right headers."""
        with self.lock:
            fields = [f for entry in entries for f, v in entry.values.items() if v]
            header, grid = self._writable_header(tab, fields)
            title = self._title(tab)
            held = rows_by_key(grid, {entry.key for entry in entries})
            fresh = [entry for entry in entries if entry.key not in held]
            if fresh:
                self.spreadsheet.append_rows(title, [header.row(_inert(entry.values)) for entry in fresh])
            # Rows written by an earlier try whose key is out of its column were shifted then.
            shifted = [entry for entry in entries if entry.key in held
                       and cell_text(grid[held[entry.key] - 1], header.columns.get("key")) != entry.key]
            header_row = grid[0] if grid else []
            if shifted or (fresh and trimmed(self.spreadsheet.read_header(title)) != trimmed(header_row)):
                self._settle(tab, title, fresh + shifted)

    def _settle(self, tab: Tab, title: str, entries: list[Entry]) -> None:
        """Rewrite these rows of ours under the headers as they are now (the clerk moved a
        column while we wrote); raise, keeping them queued, if the columns keep moving."""
        for _ in range(SETTLE_ROUNDS):
            grid = self.spreadsheet.read_tab(title)
            header = HeaderMap(tab, grid[0] if grid else [])
            held = rows_by_key(grid, {entry.key for entry in entries})
            cells = []
            for entry in entries:
                if entry.key not in held:
                    raise StorageError(f"Une ligne écrite dans « {title} » a disparu pendant l'écriture : "
                                       "elle reste en attente.")
                cells += repairs(header, held[entry.key], grid[held[entry.key] - 1], _inert(entry.values))
            if cells:
                log.warning("Colonnes de « %s » déplacées pendant l'écriture : %d cellule(s) remises sous le bon "
                            "en-tête.", title, len(cells))
                self.spreadsheet.update_cells(title, cells)
            if trimmed(self.spreadsheet.read_header(title)) == trimmed(grid[0] if grid else []):
                return
        raise StorageError(f"Les colonnes de l'onglet « {title} » changent pendant l'écriture : les nouvelles "
                           "lignes restent en attente et seront remises sous les bons en-têtes.")

    # -- write-backs -----------------------------------------------------------------
    def update_by_id(self, tab: Tab, record_id: str, values: dict[str, str], row_hint: int | None = None,
                     append: dict[str, str] | None = None, expected: dict[str, str] | None = None) -> int | None:
        """Set some cells of the row holding ``record_id``; return that row, or None if gone.

        The row is found by its ID at write time (``row_hint``, the row shown, is tried
        first). ``append`` adds text on a new line after what the cell holds (notes); the
        same text is not added twice. ``expected`` (field -> what the page showed) must
        still match the sheet, else ``WriteConflict`` and nothing is written. Not queued:
        when the sheet fails, the caller gets the StorageError and tells the person (see
        ``queue_update`` for a write-back kept until the sheet answers).
        """
        with self.outbox.delivering():
            row = self._update(tab, record_id, values, row_hint, append or {}, expected or {})
        self.written()
        return row

    def queue_update(self, tab: Tab, record_id: str, values: dict[str, str], append: dict[str, str] | None = None,
                     expected: dict[str, str] | None = None) -> Submission:
        """Like ``update_by_id``, but kept in the outbox when the sheet fails and delivered in
        order with new rows (e.g. a driver pausing his trip from his private link). One that
        the sheet refuses later (row gone, cell changed) is set aside for the clerk
        (``Outbox.refused()``, shown by ``sheet check`` and /gestion)."""
        extra = {"values": values, "append": append or {}, "expected": expected or {}}
        try:
            entry = self.outbox.put(tab.title, {"id": record_id, "key": new_key()}, kind="update", extra=extra)
        except OSError as error:
            log.error("File d'attente impossible à écrire (%s) : %s", self.outbox.folder, error)
            raise StorageError("Votre modification n'a pas pu être enregistrée. Réessayez dans quelques minutes "
                               "ou appelez le service.") from error
        self.deliver()
        return Submission(record_id, delivered=not self.outbox.contains(entry.key))

    def _deliver_update(self, tab: Tab, entry: Entry) -> None:
        """A queued write-back (the delivery lock is held); refused ones are set aside."""
        extra = entry.extra
        try:
            row = self._update(tab, entry.id, dict(extra.get("values", {})), None, dict(extra.get("append", {})),
                               dict(extra.get("expected", {})))
        except WriteConflict as conflict:
            self.outbox.set_aside(entry, str(conflict))
            log.warning("Modification refusée par le tableur, mise de côté : %s", conflict)
            return
        if row is None:
            reason = f"La ligne {entry.id} n'est plus dans l'onglet « {tab.title} » : rien n'a été écrit."
            self.outbox.set_aside(entry, reason)
            log.warning("Modification mise de côté : %s", reason)

    def _update(self, tab: Tab, record_id: str, values: dict[str, str], row_hint: int | None,
                append: dict[str, str], expected: dict[str, str]) -> int | None:
        with self.lock:
            header, grid = self._writable_header(tab, [*values, *append, *expected, "id"])
            row = row_of(grid, header.columns["id"], record_id, row_hint)
            if row is None:
                return None
            current = {field: from_sheet(text) for field, text in header.record(grid[row - 1]).items()}
            titles = {column.field: column.header for column in tab.columns}
            changes = [Change(field, titles.get(field, field), shown, current.get(field, ""))
                       for field, shown in expected.items()
                       if not rows.same_cell(tab, field, shown, current.get(field, ""))]
            if changes:
                raise WriteConflict(record_id, changes)
            merged = dict(values)
            for field, text in append.items():
                before = current.get(field, "")
                if not before.endswith(text):  # a retried write that did land is not repeated
                    merged[field] = f"{before}\n{text}" if before else text
            written = {header.columns[f]: for_sheet(v) for f, v in merged.items()}
            try:
                self.spreadsheet.update_cells(self._title(tab), [(row, c + 1, v) for c, v in written.items()])
            except Moved as error:  # the local workbook: the row changed or went since this read
                raise WriteUnsure(f"La ligne {record_id} a été supprimée ou déplacée dans le tableur pendant "
                                  f"l'écriture : rien n'a été écrit ({error}).") from error
            if written:
                return self._settle_update(tab, record_id, grid, row, written)
            return row

    def _settle_update(self, tab: Tab, record_id: str, before: list[list[str]], row: int,
                       written: dict[int, str]) -> int:
        """After a write-back, read the tab again: if the clerk inserted rows or columns
        between our read and our write, our values went to another row or under other
        headers. Put them where they belong, give back the cells they overwrote (from what
        we read just before), and return the row that holds the record now."""
        title = self._title(tab)
        grid = self.spreadsheet.read_tab(title)
        header = HeaderMap(tab, grid[0] if grid else [])
        id_column = header.columns.get("id", -1)
        if trimmed(grid[0] if grid else []) == trimmed(before[0]) and cell_text(_at(grid, row), id_column) == record_id:
            return row
        then = HeaderMap(tab, before[0])
        fields = {column: field for field, column in then.columns.items() if column in written}
        now_row = row_of(grid, id_column, record_id, None)
        placed = now_row is not None and all(field in header.columns for field in fields.values())
        ours = {header.columns[field]: written[column] for column, field in fields.items()} if placed else {}
        cells = [(now_row, c + 1, v) for c, v in ours.items() if cell_text(_at(grid, now_row), c) != v.strip()]
        victim = _at(grid, row)
        earlier = _by_header(before[0], _row_with_id(before, then.columns.get("id", -1), cell_text(victim, id_column)))
        for column, value in written.items():  # where we wrote, if it is now another row or heading
            if (row, column) not in {(now_row, c) for c in ours} and cell_text(victim, column) == value.strip():
                name = grid[0][column].strip() if column < len(grid[0]) else ""
                cells.append((row, column + 1, earlier.get(name, "")))
        if cells:
            log.warning("Lignes ou colonnes de « %s » déplacées pendant l'écriture de %s : %d cellule(s) corrigée(s).",
                        title, record_id, len(cells))
            self.spreadsheet.update_cells(title, cells)
        if not placed:
            raise WriteUnsure(f"La ligne {record_id} a été supprimée ou déplacée dans le tableur pendant l'écriture : "
                              "rien n'a été gardé ; vérifiez l'onglet « " + title + " ».")
        return now_row

    # -- the clerk's commands ------------------------------------------------------
    def init_tabs(self) -> list[str]:
        """Create missing tabs and headers, never touching existing data. Says what it did."""
        done = []
        with self.lock:
            titles = self.spreadsheet.tab_titles()
            for tab in TABS:
                title = find_tab_title(titles, tab)
                if title is None:
                    self.spreadsheet.add_tab(tab.title, tab.headers)
                    done.append(f"Onglet « {tab.title} » créé.")
                    continue
                header_row = self.spreadsheet.read_header(title)
                lacking = HeaderMap(tab, header_row).missing
                if lacking:
                    start = len(header_row) + 1
                    self.spreadsheet.update_cells(title, [(1, start + i, c.header) for i, c in enumerate(lacking)])
                    names = ", ".join(c.header for c in lacking)
                    done.append(f"Onglet « {title} » : colonnes ajoutées à la fin : {names}.")
        self.written()
        return done

    # -- plumbing --------------------------------------------------------------------
    def _title(self, tab: Tab) -> str:
        return self._titles[tab.title]

    def _writable_header(self, tab: Tab, fields: list[str]) -> tuple[HeaderMap, list[list[str]]]:
        """The tab's header and rows, fresh, with the columns these fields need added at its end.

        Read afresh because the clerk may have moved columns since the last read (a stale
        header would put values under the wrong headings), and the rows tell which queued
        submissions the sheet already holds.
        """
        title = find_tab_title(self.spreadsheet.tab_titles(), tab)
        if title is None:
            self.spreadsheet.add_tab(tab.title, tab.headers)
            title = tab.title
        self._titles[tab.title] = title
        grid = self.spreadsheet.read_tab(title)
        header_row = grid[0] if grid else []
        header = HeaderMap(tab, header_row)
        lacking = [c for c in header.missing if c.field in fields]
        if lacking:
            start = len(header_row) + 1
            self.spreadsheet.update_cells(title, [(1, start + i, c.header) for i, c in enumerate(lacking)])
            header = HeaderMap(tab, header_row + [c.header for c in lacking])
            grid = [header_row + [c.header for c in lacking], *grid[1:]]
        return header, grid


def _inert(values: dict[str, str]) -> dict[str, str]:
    return {field: for_sheet(value) for field, value in values.items()}


def _at(grid: list[list[str]], row: int) -> list[str]:
    return grid[row - 1] if 0 < row <= len(grid) else []


def _row_with_id(grid: list[list[str]], id_column: int, record_id: str) -> list[str]:
    """The row of ``grid`` with this ID, or [] (a row typed meanwhile, without one)."""
    found = row_of(grid, id_column, record_id, None) if record_id else None
    return _at(grid, found) if found else []


def _by_header(header_row: list[str], row: list[str]) -> dict[str, str]:
    """A row's cells by header text (the first column of a name wins)."""
    return {name.strip(): value for name, value in reversed(list(zip(header_row, row))) if name.strip()}


def _runs(entries: list[Entry]):
    """(tab, entries) in queue order: the new rows of each tab together (one append per tab;
    order between tabs does not matter), each write-back alone after the rows queued
    before it, so that a write-back follows the row it changes."""
    tabs = {tab.title: tab for tab in TABS}  # looked up now: other modules may add tabs
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        tab = tabs.get(entry.tab)
        if tab is None:
            log.error("Envoi en attente pour un onglet inconnu « %s » : %s", entry.tab, entry.path)
            continue
        if entry.kind == "update":
            yield from ((tabs[title], run) for title, run in groups.items())
            groups = {}
            yield tab, [entry]
        else:
            groups.setdefault(entry.tab, []).append(entry)
    yield from ((tabs[title], run) for title, run in groups.items())

