"""Queue folders on disk, as both outboxes (rows for the sheet, mail) keep them: one JSON
file per item, written whole or not at all, read back oldest first (by name)."""
from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from filelock import FileLock

log = logging.getLogger(__name__)
Item = TypeVar("Item")


def folder_lock(folder: Path) -> FileLock:
    """One holder at a time of a queue folder, across threads and processes (each queue its
    own lock: a slow SMTP server must not hold up rows for the sheet)."""
    folder.mkdir(parents=True, exist_ok=True)
    return FileLock(folder / ".lock")


def write_durably(path: Path, text: str) -> None:
    """Temporary file, fsync, rename, fsync of the folder: there whole or not at all. The
    temporary file's name (``.<name>.tmp``) is what ``leftovers`` removes after a crash."""
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def read_items(folder: Path, make: Callable[[Path, dict], Item], what: str) -> list[Item]:
    """Each ``*.json`` file of the folder made into an item by ``make(path, data)``, oldest
    first. A file gone meanwhile (delivered by another process) is skipped; one that cannot
    be read (edited by hand) is logged, « <what> illisible », and left for a person."""
    if not folder.is_dir():
        return []
    items = []
    for path in sorted(folder.glob("*.json")):
        try:
            items.append(make(path, json.loads(path.read_text(encoding="utf-8"))))
        except FileNotFoundError:
            continue
        except (ValueError, KeyError, TypeError):
            log.error("%s illisible, laissé de côté : %s", what, path)
    return items
