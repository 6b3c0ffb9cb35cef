"""Google adapter: a Google Sheet the clerk edits in her browser, through gspread's HTTP client.

Quota-minded: the tab list (spreadsheet metadata) is fetched at most once per cache period,
all tabs are read in one ``values:batchGet`` and IDs are filled in one ``values:batchUpdate``.
Everything is written RAW, so "0612..." keeps its 0 and "=..." stays text. Rows are added
with ``values:append`` anchored at A1 and INSERT_ROWS: Google inserts new rows after the
table that holds A1, starting in column A, and never writes over a row typed meanwhile.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass

from gspread.exceptions import APIError
from gspread.http_client import HTTPClient
from gspread.utils import rowcol_to_a1

from comobi.storage import google_auth
from comobi.storage.google_errors import plain_french
from comobi.storage.port import StorageError

log = logging.getLogger(__name__)

METADATA_FIELDS = "sheets(properties(sheetId,title,gridProperties(columnCount)))"
DEFAULT_COLUMNS = 26


@dataclass
class SheetInfo:
    sheet_id: int
    column_count: int


def quoted(title: str) -> str:
    """A tab title as A1 notation wants it: 'Lieux d''été'."""
    return "'" + title.replace("'", "''") + "'"


class GoogleSpreadsheet:
    settle_seconds = 2 * google_auth.TIMEOUT_SECONDS

    def __init__(self, http: HTTPClient, spreadsheet_id: str, client_email: str | None = None,
                 cache_seconds: float = 60, clock=time.monotonic):
        self.http = http
        self.id = spreadsheet_id
        self.client_email = client_email
        self.cache_seconds = cache_seconds
        self.clock = clock
        self._sheets: dict[str, SheetInfo] | None = None
        self._sheets_read_at = 0.0
        # The tab list is shared by the refreshing thread and writers: one fetch, one widening.
        self._tabs_lock = threading.RLock()

    @classmethod
    def from_settings(cls, settings: dict, clock=time.monotonic, environ=os.environ, **http_options):
        """The adapter, or one that explains the configuration problem on every call."""
        try:
            spreadsheet_id = google_auth.spreadsheet_id_from(settings["sheet.spreadsheet_id"])
            access = google_auth.access_from(settings, environ)
        except StorageError as error:
            log.error("Google Sheet inutilisable : %s", error)
            return MisconfiguredSpreadsheet(error)
        http_options.setdefault("timeout", settings["sheet.timeout_seconds"])
        http = google_auth.SheetsHTTPClient(access, **http_options)
        sheet = cls(http, spreadsheet_id, access.client_email, settings["sheet.cache_seconds"], clock)
        # A request we gave up on may still be applied by Google shortly after.
        sheet.settle_seconds = 2 * http_options["timeout"]
        return sheet

    # -- reading ---------------------------------------------------------------
    def tab_titles(self) -> list[str]:
        return list(self._sheet_infos())

    def read_tab(self, title: str) -> list[list[str]]:
        return self.read_tabs([title])[title]

    def read_tabs(self, titles: list[str]) -> dict[str, list[list[str]]]:
        if not titles:
            return {}
        params = {"valueRenderOption": "FORMATTED_VALUE", "majorDimension": "ROWS"}
        reply = self._call(self.http.values_batch_get, self.id, [quoted(t) for t in titles], params,
                           tabs=titles)
        return {title: _as_text(vr.get("values", [])) for title, vr in zip(titles, reply["valueRanges"])}

    def read_header(self, title: str) -> list[str]:
        reply = self._call(self.http.values_get, self.id, f"{quoted(title)}!1:1", tabs=[title])
        rows = _as_text(reply.get("values", []))
        return rows[0] if rows else []

    def version(self) -> str | None:
        return None  # Google gives no cheap change marker: the service caches by period

    # -- writing ---------------------------------------------------------------
    def append_rows(self, title: str, rows: list[list[str]]) -> None:
        params = {"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS"}
        body = {"majorDimension": "ROWS", "values": rows}
        self._call(self.http.values_append, self.id, f"{quoted(title)}!A1", params, body, tabs=[title])

    def update_cells(self, title: str, cells: list[tuple[int, int, str]]) -> None:
        if not cells:
            return
        self._widen(title, max(column for _, column, _ in cells))
        data = [{"range": f"{quoted(title)}!{rowcol_to_a1(row, column)}", "values": [[value]]}
                for row, column, value in cells]
        self._call(self.http.values_batch_update, self.id, {"valueInputOption": "RAW", "data": data},
                   tabs=[title])

    def add_tab(self, title: str, headers: list[str]) -> None:
        with self._tabs_lock:
            self._add_tab(title, headers)

    def _add_tab(self, title: str, headers: list[str]) -> None:
        if title in self._sheet_infos():
            return
        columns = max(DEFAULT_COLUMNS, len(headers))
        request = {"addSheet": {"properties": {"title": title, "gridProperties": {"columnCount": columns}}}}
        reply = self._call(self.http.batch_update, self.id, {"requests": [request]})
        sheet_id = reply["replies"][0]["addSheet"]["properties"]["sheetId"]
        self._sheet_infos()[title] = SheetInfo(sheet_id, columns)
        self._call(self.http.values_update, self.id, f"{quoted(title)}!A1", {"valueInputOption": "RAW"},
                   {"values": [headers]}, tabs=[title])

    # -- plumbing --------------------------------------------------------------
    def _sheet_infos(self) -> dict[str, SheetInfo]:
        """Tabs by title, from the metadata fetched at most once per cache period."""
        with self._tabs_lock:
            return self._fresh_sheet_infos()

    def _fresh_sheet_infos(self) -> dict[str, SheetInfo]:
        if self._sheets is None or self.clock() - self._sheets_read_at >= self.cache_seconds:
            reply = self._call(self.http.fetch_sheet_metadata, self.id, {"fields": METADATA_FIELDS})
            self._sheets = {
                p["title"]: SheetInfo(p["sheetId"], p.get("gridProperties", {}).get("columnCount", DEFAULT_COLUMNS))
                for p in (sheet["properties"] for sheet in reply.get("sheets", []))
            }
            self._sheets_read_at = self.clock()
        return self._sheets

    def _widen(self, title: str, column: int) -> None:
        """Add grid columns when a header goes past the tab's last one: value updates never widen a tab."""
        with self._tabs_lock:
            self._widen_unlocked(title, column)

    def _widen_unlocked(self, title: str, column: int) -> None:
        info = self._sheet_infos().get(title)
        if info is None or column <= info.column_count:
            return
        request = {"appendDimension": {"sheetId": info.sheet_id, "dimension": "COLUMNS",
                                       "length": column - info.column_count}}
        self._call(self.http.batch_update, self.id, {"requests": [request]})
        info.column_count = column

    def _call(self, method, *args, tabs: list[str] = ()):
        try:
            return method(*args)
        except Exception as error:
            problem = plain_french(error, self.id, self.client_email, tabs)
            if problem is None:
                raise
            if isinstance(error, APIError) and error.response.status_code == 400:
                self._sheets = None  # a tab may have been renamed or deleted: look again next time
            raise problem from error


class MisconfiguredSpreadsheet:
    """Stands in for a Google Sheet that cannot be opened: every use says why, in French."""

    settle_seconds = 0.0

    def __init__(self, error: StorageError):
        self.error = error

    def version(self) -> None:
        return None

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise StorageError(str(self.error))

        return fail


def _as_text(rows: list[list]) -> list[list[str]]:
    return [["" if value is None else str(value) for value in row] for row in rows]
