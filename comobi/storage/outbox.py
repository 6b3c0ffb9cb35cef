"""A durable queue of rows waiting to be written to the sheet: one JSON file per row.

Every submission is first written here (temporary file, fsync, rename, fsync of the
folder), and only then is the person thanked; delivery to the sheet comes after, right
away when the sheet answers, later when it does not. Files are named by arrival time so
they are delivered in order. Each entry carries an idempotency key that is written into
the row (column « Clé »): before writing, the sheet is read and entries whose key is
already there are dropped, so a write that timed out but did happen is not made twice.

An entry may also be a write-back (``kind="update"``: cells of the row with an ID),
delivered in the same order; one the sheet refuses for good is set aside in
``refused/`` with the reason, for the clerk.

``Outbox.delivering()`` holds a lock across threads and processes, so only one writer
delivers at a time and no entry is sent twice concurrently.
"""
from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from comobi.storage.durable import folder_lock, fsync_folder, read_items, write_durably

REFUSED = "refused"  # subfolder of write-backs the sheet refused, kept for the clerk


@dataclass(frozen=True)
class Entry:
    """One row waiting for the sheet."""

    path: Path
    tab: str  # our tab title, e.g. "Trajets"
    values: dict[str, str]  # by field; includes "id" and "key"
    queued_at: str
    kind: str = "append"  # or "update": a write-back to the row with this ID
    extra: dict = field(default_factory=dict)  # an update's cells, notes to append, expected cells
    reason: str = ""  # why it was set aside (refused entries only)

    @property
    def key(self) -> str:
        return self.values["key"]

    @property
    def id(self) -> str:
        return self.values["id"]


def new_key() -> str:
    return secrets.token_hex(8)


class Outbox:
    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    def put(self, tab: str, values: dict[str, str], kind: str = "append", extra: dict | None = None) -> Entry:
        """Store one row (or, with ``kind="update"``, one write-back) durably; raise OSError
        if the disk refuses."""
        self.folder.mkdir(parents=True, exist_ok=True)
        queued_at = datetime.now().isoformat(timespec="seconds")
        name = f"{time.time_ns():020d}-{values['key']}.json"
        record = {"tab": tab, "values": values, "queued_at": queued_at}
        if kind != "append":
            record.update(kind=kind, extra=extra or {})
        write_durably(self.folder / name, json.dumps(record, ensure_ascii=False))
        return Entry(self.folder / name, tab, values, queued_at, kind, extra or {})

    def entries(self) -> list[Entry]:
        """What is waiting, oldest first."""
        return self._read(self.folder)

    def set_aside(self, entry: Entry, reason: str) -> None:
        """Take out of the queue what can never be delivered (a write-back refused by the
        sheet), keeping it, with why, for the clerk (``refused()``)."""
        aside = self.folder / REFUSED
        aside.mkdir(exist_ok=True)
        record = {"tab": entry.tab, "values": entry.values, "queued_at": entry.queued_at, "kind": entry.kind,
                  "extra": entry.extra, "reason": reason}
        write_durably(aside / entry.path.name, json.dumps(record, ensure_ascii=False))
        self.done(entry)

    def refused(self) -> list[Entry]:
        return self._read(self.folder / REFUSED)

    @staticmethod
    def _read(folder: Path) -> list[Entry]:
        return [entry for entry in read_items(folder, _entry, "Envoi en attente") if entry.key and entry.id]

    def contains(self, key: str) -> bool:
        return self.folder.is_dir() and any(self.folder.glob(f"*-{key}.json"))

    def done(self, entry: Entry) -> None:
        entry.path.unlink(missing_ok=True)
        fsync_folder(self.folder)

    def delivering(self):
        """Exclusive right to deliver, across threads and processes."""
        return folder_lock(self.folder)


def _entry(path: Path, data: dict) -> Entry:
    return Entry(path, data["tab"], dict(data["values"]), data.get("queued_at", ""),
                 data.get("kind", "append"), dict(data.get("extra", {})), data.get("reason", ""))
