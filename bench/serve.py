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
def micro_cache(upstream: str, workers: int, seconds: int = 10):
    """nginx in front of `upstream`, keeping each page `seconds` (the recipe of DEPLOY.md);
    yields its base URL, or None without nginx."""
    binary = _nginx()
    if not binary:
        yield None
        return
    with tempfile.TemporaryDirectory() as cache:
        Path(cache).chmod(0o777)
        location = (f"proxy_cache_path {cache} keys_zone=pages:1m max_size=50m;\n"
                    f"  server_tokens off;", f"location / {{ proxy_pass {upstream}; proxy_cache pages; "
                    f"proxy_cache_valid 200 {seconds}s; proxy_cache_lock on; "
                    f"proxy_cache_use_stale updating; }}")
        with _nginx_server(binary, workers, location[1], http_extra=location[0]) as base:
            yield base


def _nginx() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


@contextlib.contextmanager
def _nginx_server(binary: str, workers: int, server_body: str, http_extra: str = ""):
    port = free_port()
    with tempfile.TemporaryDirectory() as scratch:
        config = Path(scratch) / "nginx.conf"
        temp = " ".join(f"{kind}_temp_path {scratch};" for kind in
                        ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        config.write_text(
            f"worker_processes {workers};\ndaemon off;\npid {scratch}/nginx.pid;\n"
            f"error_log {scratch}/error.log;\nevents {{ worker_connections 1024; }}\n"
            f"http {{ access_log off; default_type text/html; {temp}\n  {http_extra}\n"
            f"  server {{ listen 127.0.0.1:{port}; {server_body} }} }}\n")
        process = subprocess.Popen([binary, "-c", str(config), "-p", scratch], stdout=subprocess.DEVNULL)
        try:
            wait_until_up(f"http://127.0.0.1:{port}/", 30)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=30)
