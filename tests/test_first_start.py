"""First start: files made once whatever the number of workers; leftovers of killed posts."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter

from comobi.schema import TRIPS
from comobi.settings import PROJECT_ROOT
from comobi.storage.local import LocalSpreadsheet

# One "worker": waits for the start signal, then makes the app as gunicorn's workers do.
WORKER = """
import os, sys, time
from pathlib import Path
folder = Path(sys.argv[1])
(folder / f"ready-{os.getpid()}").touch()
while not (folder / "go").exists():
    time.sleep(0.005)
from comobi import _secret_key, create_app
create_app({"SECRET_KEY": "x", "sheet.path": str(folder / "covoiturage.xlsx"),
            "outbox.path": str(folder / "outbox"), "sheet.snapshot_path": str(folder / "lecture.json")})
print(_secret_key(folder / "instance"))
"""


def start_four_workers(folder) -> list[str]:
    folder.mkdir()
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, str(folder)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, cwd=PROJECT_ROOT, env=env) for _ in range(4)]
    deadline = time.monotonic() + 120
    while (len(list(folder.glob("ready-*"))) < len(workers) and time.monotonic() < deadline
           and all(worker.poll() is None for worker in workers)):
        time.sleep(0.005)  # all four waiting at the start line, then they start together
    (folder / "go").touch()
    outputs = [worker.communicate(timeout=120) for worker in workers]
    assert all(worker.returncode == 0 for worker in workers), [err for _, err in outputs]
    return [out.strip() for out, _ in outputs]


def test_four_workers_starting_together_make_one_demo_workbook_and_one_key(tmp_path):
    for round_ in range(3):
        folder = tmp_path / f"start{round_}"
        keys = start_four_workers(folder)
        assert len(set(keys)) == 1 and len(keys[0]) == 64
        ids = [row[0] for row in LocalSpreadsheet(folder / "covoiturage.xlsx").read_tab(TRIPS.title)[1:]]
        assert len(ids) == 25 and Counter(ids).most_common(1)[0][1] == 1
        assert not [p.name for p in folder.iterdir() if "en-cours" in p.name]
        assert oct((folder / "instance" / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_temporary_files_of_interrupted_posts_are_removed_at_start(make_app, tmp_path):
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    killed = outbox / ".00000000000000000001-abc.json.tmp"
    killed.write_text('{"half": ')
    os.utime(killed, (time.time() - 30, time.time() - 30))
    writing = outbox / ".00000000000000000002-def.json.tmp"  # a sibling worker's write, in progress
    writing.write_text("{")
    os.utime(writing, (time.time() + 3600, time.time() + 3600))
    app = make_app()
    assert not killed.exists() and writing.exists()
    check = app.test_cli_runner().invoke(args=["sheet", "check"])
    assert "1 fichier(s) temporaire(s)" in check.output
