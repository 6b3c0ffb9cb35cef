"""The app under real gunicorn workers on 127.0.0.1 (an ephemeral port), and a small HTTP browser."""
from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from comobi.settings import PROJECT_ROOT

LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")


def instance_file(folder: Path, settings: dict[str, dict]) -> Path:
    """A TOML instance file with these sections (values: str, int, bool)."""
    lines = []
    for section, values in settings.items():
        lines.append(f"[{section}]")
        for key, value in values.items():
            text = str(value).lower() if isinstance(value, bool) else f'"{value}"' if isinstance(value, str) else value
            lines.append(f"{key} = {text}")
    path = folder / "instance.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@contextmanager
def gunicorn(instance: Path, workers: int = 4, timeout_s: float = 60):
    """Serve the app with ``workers`` gunicorn workers; yield (port, log lines read so far)."""
    binary = Path(sys.executable).with_name("gunicorn")
    env = {**os.environ, "COMOBI_INSTANCE": str(instance), "SECRET_KEY": "gunicorn-test"}
    # Recent gunicorn opens a control socket at one fixed path per user: tests running at once would share it.
    helps = subprocess.run([str(binary), "--help"], capture_output=True, text=True).stdout
    private = ["--no-control-socket"] if "--no-control-socket" in helps else []
    process = subprocess.Popen(
        [str(binary), *private, "--workers", str(workers), "--bind", "127.0.0.1:0", "--log-level", "info", "app:app"],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        port, booted, deadline = None, 0, time.monotonic() + timeout_s
        while (port is None or booted < workers) and time.monotonic() < deadline:
            line = process.stderr.readline()
            if not line:
                break
            found = LISTENING.search(line)
            port = int(found.group(1)) if found else port
            booted += "Booting worker" in line
        assert port and booted == workers, "gunicorn did not start"
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Browser:
    """Keeps its cookies, follows no redirect: what a visitor's browser sends, one request at a time."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        body = urlencode(form, doseq=True) if form is not None else None
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response.status, response.headers, text

    def form_fields(self, path: str) -> dict[str, str]:
        """The hidden fields (CSRF token, stamp) of the form at ``path``."""
        status, _, page = self.request("GET", path)
        assert status == 200, (path, status)
        return dict(re.findall(r'name="(csrf_token|started)" type="hidden" value="([^"]*)"', page))


def location(headers) -> str:
    """Where a redirect leads, as a path and query on this server."""
    parts = urlsplit(headers["Location"])
    return parts.path + (f"?{parts.query}" if parts.query else "")
