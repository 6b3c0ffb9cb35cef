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
from urllib.parse import urlsplit

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
    binary = _nginx() if nginx else None
    if binary:
        with _nginx_server(binary, workers, f"root {Path(folder).resolve()};") as base:
            yield base, "nginx"
        return
    port = free_port()
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(folder)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", 30)
        yield f"http://127.0.0.1:{port}", "python http.server"
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextlib.contextmanager
def micro_cache(upstream: str, workers: int):
    """nginx with the project's own deploy/nginx.conf (micro-cache, gzip) in front of
    `upstream`; yields its base URL, or None without nginx."""
    binary = _nginx()
    if not binary:
        yield None
        return
    port = free_port()
    with tempfile.TemporaryDirectory() as scratch:
        Path(scratch).chmod(0o777)  # nginx's workers may run as another user
        site = (ROOT / "deploy" / "nginx.conf").read_text()
        for recipe, here in (("server 127.0.0.1:8000;", f"server {urlsplit(upstream).netloc};"),
                             ("/var/lib/nginx/comobi-cache", f"{scratch}/cache"),
                             ("listen 80;", f"listen 127.0.0.1:{port};"), ("listen [::]:80;", ""),
                             ("/srv/comobi/static/", f"{ROOT}/static/")):
            assert recipe in site, recipe
            site = site.replace(recipe, here)
        (Path(scratch) / "comobi.conf").write_text(site)
        with _nginx_process(binary, workers, scratch, f"include {scratch}/comobi.conf;", port) as base:
            yield base


def _nginx() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


@contextlib.contextmanager
def _nginx_server(binary: str, workers: int, server_body: str):
    port = free_port()
    with tempfile.TemporaryDirectory() as scratch:
        with _nginx_process(binary, workers, scratch,
                            f"server {{ listen 127.0.0.1:{port}; {server_body} }}", port) as base:
            yield base


@contextlib.contextmanager
def _nginx_process(binary: str, workers: int, scratch: str, http_body: str, port: int):
    config = Path(scratch) / "nginx.conf"
    temp = " ".join(f"{kind}_temp_path {scratch};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    config.write_text(
        f"worker_processes {workers};\ndaemon off;\npid {scratch}/nginx.pid;\n"
        f"error_log {scratch}/error.log;\nevents {{ worker_connections 1024; }}\n"
        f"http {{ access_log off; default_type text/html; {temp}\n  {http_body} }}\n")
    process = subprocess.Popen([binary, "-c", str(config), "-p", scratch], stdout=subprocess.DEVNULL)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", 30)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)
