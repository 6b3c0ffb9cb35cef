"""What many tests need and is the same for all: built once per test session, then copied.

The demo workbook (several load/save/fsync cycles to make) and compiled templates (each new
app compiles them again) cost more than most tests themselves."""
from __future__ import annotations

import shutil
from pathlib import Path

from jinja2 import BytecodeCache

from comobi.demo import create_demo_workbook
from comobi.storage.local import LocalSpreadsheet


class SharedBytecode(BytecodeCache):
    """Jinja's compiled templates kept in memory for every app of the session (keyed by the
    template's name and source checksum, so an edited template is compiled again)."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def demo_workbook(folder: Path) -> Path:
    """The demo workbook, made in ``folder``."""
    path = folder / "demo.xlsx"
    create_demo_workbook(LocalSpreadsheet(path))
    return path


def copy_workbook(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
