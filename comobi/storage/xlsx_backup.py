"""Copies of the workbook taken before each write by the app, so the clerk can go back.

Kept: the newest ``KEEP_LATEST`` copies, and for each of the last ``KEEP_DAYS`` days the
last copy of that day. Older ones are deleted, so the folder stays small. Names sort in
time order: ``covoiturage-20261204-154501-123456.xlsx``.
"""
from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

KEEP_LATEST = 20
KEEP_DAYS = 7
_STAMP = "%Y%m%d-%H%M%S-%f"


class Backups:
    def __init__(self, folder: Path, stem: str, now=datetime.now):
        self.folder = Path(folder)
        self.stem = stem
        self.now = now

    def save(self, data: bytes, mode: int = 0o600) -> Path:
        """Write ``data`` (the workbook as it is before a write), then prune old copies."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{self.stem}-{self.now().strftime(_STAMP)}.xlsx"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode & 0o666)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        self.prune()
        return path

    def copies(self) -> list[tuple[datetime, Path]]:
        """The copies there are, oldest first."""
        found = []
        for path in self.folder.glob(f"{self.stem}-*.xlsx"):
            try:
                when = datetime.strptime(path.stem[len(self.stem) + 1:], _STAMP)
            except ValueError:
                continue  # not ours
            found.append((when, path))
        return sorted(found)

    def prune(self) -> None:
        copies = self.copies()
        keep = {path for _, path in copies[-KEEP_LATEST:]}
        horizon = (self.now() - timedelta(days=KEEP_DAYS)).date()
        last_of_day: dict = {}
        for when, path in copies:
            if when.date() > horizon:
                last_of_day[when.date()] = path
        keep.update(last_of_day.values())
        for _, path in copies:
            if path not in keep:
                path.unlink(missing_ok=True)

    def describe(self) -> str:
        """One French line for ``flask sheet check``."""
        copies = self.copies()
        if not copies:
            return f"Sauvegardes du classeur : aucune pour l'instant (elles iront dans {self.folder})."
        latest = copies[-1][0].strftime("%d/%m/%Y à %H:%M")
        return (f"Sauvegardes du classeur (avant chaque écriture de l'application) : {len(copies)} dans "
                f"{self.folder}, la plus récente du {latest}.")
