"""Freezing 10,000 trips to static pages: time and output size.

    python -m bench.freeze                   # 10,000 trips
    python -m bench.freeze --trips 1000

Runs `flask --app app freeze` on the workbook into a temporary folder. Target: under 30 s.
Prints "skipped: no freeze command" when this version of the app has none.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import common, serve


def has_freeze_command() -> bool:
    found = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "--help"], cwd=serve.ROOT,
                           capture_output=True, text=True)
    return any(line.split()[:1] == ["freeze"] for line in found.stdout.splitlines())


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main(argv=None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_workbook_arguments(parser, default_sizes=(10000,))
    args = parser.parse_args(argv)
    print(common.machine())
    if not has_freeze_command():
        print("skipped: no freeze command")
        return []
    rows = []
    for path in common.workbooks(args):
        with tempfile.TemporaryDirectory() as scratch:
            build = Path(scratch) / "build"
            instance = serve.instance_file(Path(scratch), path, args.departements)
            with instance.open("a", encoding="utf-8") as file:
                file.write(f'\n[freeze]\ndestination = "{build}"\n')
            env = {**os.environ, "COMOBI_INSTANCE": str(instance), "SECRET_KEY": "bench"}
            clock = time.perf_counter()
            subprocess.run([sys.executable, "-m", "flask", "--app", "app", "freeze"], cwd=serve.ROOT,
                           env=env, check=True, capture_output=True)
            seconds = time.perf_counter() - clock
            count, size = folder_size(build)
        print(f"{path.name}: {seconds:.1f} s (target < 30 s), {count} files, {size / 1e6:.1f} MB")
        rows.append({"workbook": path.name, "seconds": seconds, "files": count, "bytes": size})
    return rows


if __name__ == "__main__":
    main()
