"""The last good read of the sheet, kept on disk so that a restart during an outage serves it.

Only what the pages and /gestion read is kept: the app's own columns of its tabs (a
clerk's extra columns are left out), and requests younger than the retention period
(``legal.retention_days``; older ones become blank rows so row numbers stay true). The
file is written atomically (temporary file, fsync, rename), readable by the app's user
only, and names the sheet it comes from: a snapshot of another sheet is ignored.
"""
from __future__ import annotations

import json
import logging
import os
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

from comobi.parsing import parse_date
from comobi.schema import REQUESTS, TABS, HeaderMap
from comobi.storage.board_cache import Grids

log = logging.getLogger(__name__)
FORMAT = 1
TEMPORARY_PREFIX = ".derniere-lecture-"


class Snapshot:
    def __init__(self, path: Path, source: str, retention_days: int, today=date.today):
        self.path, self.source, self.retention_days, self.today = Path(path), source, retention_days, today

    def save(self, grids: Grids) -> None:
        data = {"format": FORMAT, "source": self.source, "read_at": grids.read_at.isoformat(timespec="seconds"),
                "titles": grids.titles, "rows": self._kept(grids.rows)}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=TEMPORARY_PREFIX, suffix=".tmp")
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:  # mkstemp: mode 0600
                json.dump(data, handle, ensure_ascii=False)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def load(self) -> Grids | None:
        """The saved read, or None if there is none for this sheet (or it is unreadable)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            log.warning("Dernière lecture enregistrée illisible (%s) : %s", self.path, error)
            return None
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("source") != self.source:
            return None
        try:
            rows = {str(t): [[str(c) for c in row] for row in grid] for t, grid in data["rows"].items()}
            titles = {str(k): str(v) for k, v in data["titles"].items()}
            read_at = datetime.fromisoformat(data["read_at"])
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            log.warning("Dernière lecture enregistrée illisible (%s) : %s", self.path, error)
            return None
        return Grids(titles, {title: self._kept({title: grid})[title] for title, grid in rows.items()}, read_at)

    def _kept(self, rows: dict[str, list[list[str]]]) -> dict[str, list[list[str]]]:
        tabs = {tab.title: tab for tab in TABS}
        kept = {}
        for title, grid in rows.items():
            tab = tabs.get(title)
            if tab is None or not grid:
                continue
            header = HeaderMap(tab, grid[0])
            columns = sorted(header.columns.values())
            created = header.columns.get("created") if tab is REQUESTS else None
            kept[title] = [[row[i] if i < len(row) else "" for i in columns]
                           for row in [grid[0]] + [self._within_retention(row, created) for row in grid[1:]]]
        return kept

    def _within_retention(self, row: list[str], created: int | None) -> list[str]:
        """The row, or a blank one when it was filed before the retention period."""
        if created is None or created >= len(row):
            return row
        try:
            filed = parse_date(row[created].strip().split(" ")[0]) if row[created].strip() else None
        except ValueError:
            return row
        if filed is not None and filed < self.today() - timedelta(days=self.retention_days):
            return []
        return row
