"""Files made on the first start (demo workbook, secret key), made once across processes.

Gunicorn starts its workers together: each would find the file missing and make its own
(two demo workbooks written over each other, duplicate IDs; two secret keys). Whoever
holds the file lock makes the file under a temporary name and renames it into place; the
others, once they get the lock, find it there.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from filelock import FileLock


def create_once(path: Path, make: Callable[[Path], None]) -> bool:
    """Make ``path`` with ``make(temporary_path)`` unless it exists; True if this call made it."""
    path = Path(path)
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path.with_name(f".{path.name}.premier-demarrage.lock"))):
        if path.exists():
            return False
        # Same suffix as the real file: openpyxl decides the format by the file's extension.
        temporary = path.with_name(f".{os.getpid()}-en-cours-{path.name}")
        try:
            make(temporary)
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    return True


def write_private(path: Path, text: str) -> None:
    """Write a file only the app's user can read, in full or not at all (fsync'ed)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
