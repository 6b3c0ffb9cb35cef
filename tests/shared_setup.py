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


def share_url_builders() -> None:
    """Each new app compiles two Python functions per URL rule (werkzeug builds them from an AST),
    most of create_app's time. The functions depend only on the rule's text, its parts and its
    defaults, never on the app: keep one per distinct rule for the whole test process."""
    from werkzeug.routing.rules import Rule

    compile_builder = Rule._compile_builder
    if getattr(compile_builder, "shared", False):
        return
    compiled: dict[tuple, object] = {}

    def shared(rule, append_unknown: bool = True):
        defaults = rule.defaults or {}
        key = (rule.rule, tuple(rule._trace), append_unknown,
               tuple((name, rule._converters[name].to_url(value) if name in rule._converters else None)
                     for name, value in defaults.items()))
        if key not in compiled:
            compiled[key] = compile_builder(rule, append_unknown)
        return compiled[key]

    shared.shared = True
    Rule._compile_builder = shared
