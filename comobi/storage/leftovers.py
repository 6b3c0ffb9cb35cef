"""Temporary files left by a process killed while writing (``kill -9`` during a post).

They were never acknowledged to anyone (a row is thanked only once its file is renamed
into place), so they are removed: at start-up, and from time to time while serving. Only
files older than ``min_age`` seconds go, so a sibling worker's write in progress stays.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path

log = logging.getLogger(__name__)

AT_START = 0.5  # a write takes milliseconds: older than this at start-up, its writer is gone
WHILE_SERVING = 60.0


def temporary_files(folder: Path, pattern: str = "*.tmp") -> list[Path]:
    folder = Path(folder)
    return sorted(folder.glob(pattern)) if folder.is_dir() else []


def remove_temporary_files(folder: Path, min_age: float, pattern: str = "*.tmp", now=time.time) -> int:
    removed = 0
    for path in temporary_files(folder, pattern):
        try:
            if now() - path.stat().st_mtime >= min_age:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # renamed or removed meanwhile by its writer or a sibling
            continue
        except OSError as error:
            log.warning("Fichier temporaire impossible à supprimer (%s) : %s", path, error)
    if removed:
        log.warning("%d fichier(s) temporaire(s) d'un envoi interrompu supprimé(s) dans %s", removed, folder)
    return removed
