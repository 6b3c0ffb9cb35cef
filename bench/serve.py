"""Servers for benchmarks: the app under gunicorn, a static file under nginx (or Python)."""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def instance_file(folder: Path, workbook: Path, departements) -> Path:
    """An instance TOML for the app on this workbook."""
    deps = ", ".join(f'"{d}"' for d in departements)
    path = folder / "instance.toml"
    path.write_text(f'[scope]\ndepartements = [{deps}]\n\n[sheet]\nbackend = "local"\n'
                    f'path = "{Path(workbook).resolve()}"\n', encoding="utf-8")
    return path


def wait_until_up(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=seconds) as response:
                response.read()
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@contextlib.contextmanager
def gunicorn(workbook: Path, departements, workers: int):
    """The app on 127.0.0.1 under gunicorn (sync workers); yields its base URL."""
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        env = {**os.environ, "COMOBI_INSTANCE": str(instance_file(Path(folder), workbook, departements)),
               "SECRET_KEY": "bench"}
        command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind",
                   f"127.0.0.1:{port}", "--log-level", "warning", "app:app"]
        process = subprocess.Popen(command, cwd=ROOT, env=env)
        try:
            wait_until_up(f"http://127.0.0.1:{port}/trajets")
            yield f"http://127.0.0.1:{port}", process
        finally:
            process.terminate()
            process.wait(timeout=30)


@contextlib.contextmanager
def static_files(folder: Path, workers: int, nginx: bool = True):
    """`folder` served on 127.0.0.1 by nginx when installed, else by Python's http.server."""
    port = free_port()
    nginx = nginx and (shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None))
    with tempfile.TemporaryDirectory() as scratch:
        if nginx:
            config = Path(scratch) / "nginx.conf"
            config.write_text(
                f"worker_processes {workers};\ndaemon off;\npid {scratch}/nginx.pid;\n"
                f"error_log {scratch}/error.log;\nevents {{ worker_connections 1024; }}\n"
                f"http {{ access_log off; default_type text/html;\n"
                f"  client_body_temp_path {scratch}; proxy_temp_path {scratch}; fastcgi_temp_path {scratch};\n"
                f"  uwsgi_temp_path {scratch}; scgi_temp_path {scratch};\n"
                f"  server {{ listen 127.0.0.1:{port}; root {Path(folder).resolve()}; }} }}\n")
            command, server = [nginx, "-c", str(config), "-p", scratch], "nginx"
        else:
            command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                       "--directory", str(folder)]
            server = "python http.server"
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        try:
            wait_until_up(f"http://127.0.0.1:{port}/", 30)
            yield f"http://127.0.0.1:{port}", server
        finally:
            process.terminate()
            process.wait(timeout=30)
