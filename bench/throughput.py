"""Requests per second of the live list page under gunicorn, against the same page static.

    python -m bench.throughput                   # 10,000 trips, 3 runs of 10 s each
    python -m bench.throughput --trips 1000 --duration 5 --runs 1

The live `/trajets` (first page, no search) is served by gunicorn (sync workers, one per
CPU) on 127.0.0.1; the same HTML, saved to a file (what `flask freeze` would write), is
served by nginx when installed (else Python's http.server, much slower: the ratio then
flatters the app). The live page is measured three ways: anonymous (the app keeps the
rendered page in memory, comobi/web/pagecache.py), with a session cookie (rendered for
every request), and behind nginx configured by deploy/nginx.conf (micro-cache 10 s).
Load from `wrk` when installed, else a small Python client (which then limits both
sides: say so). Target: live >= 25 % of static.
"""
from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from bench import common, serve

# A visitor holding a session cookie: the app renders the page for every request.
WITH_SESSION = {"Cookie": "session=bench"}


def wrk(url: str, duration: float, connections: int, headers: dict | None = None) -> float:
    threads = max(1, min(connections, os.cpu_count() or 1))
    extra = [arg for name, value in (headers or {}).items() for arg in ("-H", f"{name}: {value}")]
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration:g}s", "--timeout", "30s",
                          *extra, url],
                         capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{url}: {errors[1]} error answers\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])


def python_load(url: str, duration: float, connections: int, headers: dict | None = None) -> float:
    """Keep-alive GETs from `connections` threads for `duration` seconds; requests/second."""
    parts = urlsplit(url)
    counts = [0] * connections
    stop = time.monotonic() + duration

    def worker(slot: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        while time.monotonic() < stop:
            connection.request("GET", parts.path or "/", headers=headers or {})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{url}: HTTP {response.status}")
            counts[slot] += 1
        connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / duration


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_workbook_arguments(parser, default_sizes=(10000,))
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per run")
    parser.add_argument("--runs", type=int, default=3, help="report the median run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--client", choices=("auto", "python"), default="auto",
                        help="python: the Python client even when wrk is installed")
    parser.add_argument("--static-server", choices=("auto", "python"), default="auto",
                        help="python: http.server even when nginx is installed")
    args = parser.parse_args(argv)
    load = wrk if shutil.which("wrk") and args.client == "auto" else python_load
    print(common.machine())
    print(f"load: {'wrk' if load is wrk else 'Python client (limits both sides)'}, "
          f"{args.connections} connections, {args.runs} x {args.duration:g} s; gunicorn {args.workers} workers\n")
    results = {}
    for path in common.workbooks(args):
        with tempfile.TemporaryDirectory() as folder:
            with serve.gunicorn(path, args.departements, args.workers) as (base, _process):
                live = f"{base}/trajets"
                load(live, min(args.duration, 5), args.connections)  # warm-up: every worker reads the sheet
                with urllib.request.urlopen(live) as response:
                    html = response.read()
                live_rates = [load(live, args.duration, args.connections) for _ in range(args.runs)]
                rendered_rates = [load(live, args.duration, args.connections, WITH_SESSION)
                                  for _ in range(args.runs)]
                with serve.micro_cache(base, args.workers) as cached:
                    cached_rates = [load(f"{cached}/trajets", args.duration, args.connections)
                                    for _ in range(args.runs)] if cached and args.client == "auto" else []
            Path(folder).chmod(0o755)  # nginx's workers may run as another user
            (Path(folder) / "index.html").write_bytes(html)
            with serve.static_files(Path(folder), args.workers,
                                    nginx=args.static_server == "auto") as (static, server):
                static_rates = [load(f"{static}/index.html", args.duration, args.connections)
                                for _ in range(args.runs)]
        live_rate, static_rate = common.median(live_rates), common.median(static_rates)
        ratio = live_rate / static_rate
        print(f"\n{path.name}: /trajets, {len(html)} bytes")
        rendered_rate = common.median(rendered_rates)
        print(f"  live (gunicorn), rendered for each request (visitor with a session cookie): "
              f"{rendered_rate:8.0f} req/s  (runs: {', '.join(f'{r:.0f}' for r in rendered_rates)}), "
              f"{rendered_rate / static_rate:.1%} of static")
        print(f"  live (gunicorn), anonymous, page kept in memory: {live_rate:8.0f} req/s  "
              f"(runs: {', '.join(f'{r:.0f}' for r in live_rates)})")
        print(f"  static ({server}): {static_rate:8.0f} req/s  (runs: {', '.join(f'{r:.0f}' for r in static_rates)})")
        print(f"  live / static: {ratio:.1%}  (target >= 25 %)")
        results[path.name] = {"live": live_rate, "rendered": rendered_rate, "static": static_rate, "ratio": ratio}
        if cached_rates:
            cached_rate = common.median(cached_rates)
            print(f"  live behind deploy/nginx.conf (micro-cache 10 s): {cached_rate:8.0f} req/s "
                  f"(runs: {', '.join(f'{r:.0f}' for r in cached_rates)}), {cached_rate / static_rate:.1%} of static")
            results[path.name]["micro_cached"] = cached_rate
    return results


if __name__ == "__main__":
    main()
