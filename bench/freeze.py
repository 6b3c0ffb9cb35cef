"""Freezing 10,000 trips to static pages: time and output size.

    python -m bench.freeze                   # 10,000 trips
    python -m bench.freeze --trips 1000
    python -m bench.freeze --workers 1 --compare /tmp/old-checkout   # one core; old vs this tree

Runs `flask --app app freeze` on the workbook into a temporary folder. Target: under 15 s
on one core (`--workers 1`). `--compare DIR` also freezes with the project checked out in
DIR (e.g. `git worktree add DIR <commit>`), alternately with this one, `--rounds` times
each, and prints the ratio: the machine is shared, so both are measured in one run.
Prints "skipped: no freeze command" when this version of the app has none.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import re
import resource
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


BUILT_NOTE = re.compile(rb'<p class="built">[^<]*</p>')  # the time of the run: differs between runs


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha1(BUILT_NOTE.sub(b"", p.read_bytes())).hexdigest()
            for p in folder.rglob("*") if p.is_file()}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def freeze_once(root: Path, path: Path, departements, workers: int | None) -> tuple:
    """Seconds (wall, CPU), files, bytes and digests of the files of one `flask freeze` run in
    the project at ``root``."""
    with tempfile.TemporaryDirectory() as scratch:
        build = Path(scratch) / "build"
        instance = serve.instance_file(Path(scratch), path, departements)
        with instance.open("a", encoding="utf-8") as file:
            file.write(f'\n[freeze]\ndestination = "{build}"\n')
        env = {**os.environ, "COMOBI_INSTANCE": str(instance), "SECRET_KEY": "bench"}
        command = [sys.executable, "-m", "flask", "--app", "app", "freeze"]
        command += ["--workers", str(workers)] if workers else []
        clock, cpu = time.perf_counter(), _children_cpu()
        subprocess.run(command, cwd=root, env=env, check=True, capture_output=True)
        seconds, cpu = time.perf_counter() - clock, _children_cpu() - cpu
        count, size = folder_size(build)
        return seconds, cpu, count, size, digests(build)


def main(argv=None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_workbook_arguments(parser, default_sizes=(10000,))
    parser.add_argument("--workers", type=int, default=None, help="processes writing pages (default: the app's)")
    parser.add_argument("--compare", type=Path, default=None,
                        help="another checkout of the project, frozen alternately with this one")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each checkout")
    args = parser.parse_args(argv)
    print(common.machine())
    if not has_freeze_command():
        print("skipped: no freeze command")
        return []
    roots = [("this", serve.ROOT)] + ([("compared", args.compare.resolve())] if args.compare else [])
    rows = []
    for path in common.workbooks(args):
        times: dict[str, list[float]] = {name: [] for name, _ in roots}
        cpus: dict[str, list[float]] = {name: [] for name, _ in roots}
        files: dict[str, dict] = {}
        for _ in range(args.rounds):
            for name, root in roots:
                load = os.getloadavg()[0]
                seconds, cpu, count, size, files[name] = freeze_once(root, path, args.departements,
                                                                     args.workers)
                times[name].append(seconds)
                cpus[name].append(cpu)
                print(f"{path.name} [{name}]: {seconds:.1f} s (target < 15 s on one core), CPU {cpu:.1f} s, "
                      f"{count} files, {size / 1e6:.1f} MB, load {load:.1f}")
                rows.append({"workbook": path.name, "tree": name, "seconds": seconds, "cpu": cpu, "files": count,
                             "bytes": size})
        if args.compare:
            this, other = common.median(times["this"]), common.median(times["compared"])
            print(f"{path.name}: median {this:.1f} s vs {other:.1f} s compared: ratio {this / other:.2f}; CPU "
                  f"{common.median(cpus['this']):.1f} s vs {common.median(cpus['compared']):.1f} s: ratio "
                  f"{common.median(cpus['this']) / common.median(cpus['compared']):.2f}")
            differ = sorted(name for name in files["this"].keys() | files["compared"].keys()
                            if files["this"].get(name) != files["compared"].get(name))
            print(f"files that differ ({len(differ)}): {', '.join(differ[:20]) or 'none'}")
    return rows


if __name__ == "__main__":
    main()
