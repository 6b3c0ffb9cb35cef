"""Static files under names that change with their content, cached for a year.

`static_url("style.css")` gives `/static/style.css?v=<hash of the file>`; a request
carrying `v` is answered with `Cache-Control: public, max-age=31536000, immutable`, so a
phone downloads the stylesheet once per version instead of asking again on every page.
Compression is left to the reverse proxy in front of the app (see DEPLOY.md).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, current_app, request, url_for

YEAR = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(static_url=static_url)
    app.after_request(_cache_versioned)
    app.extensions["comobi.asset_hashes"] = {}


def static_url(filename: str) -> str:
    return url_for("static", filename=filename, v=_content_hash(filename))


def _content_hash(filename: str) -> str:
    hashes = current_app.extensions["comobi.asset_hashes"]
    path = Path(current_app.static_folder) / filename
    stamp = path.stat().st_mtime_ns
    known = hashes.get(filename)
    if known is None or known[0] != stamp:  # an edited file gets a new name at once
        known = hashes[filename] = (stamp, hashlib.sha256(path.read_bytes()).hexdigest()[:12])
    return known[1]


def _cache_versioned(response):
    if request.endpoint == "static" and "v" in request.args and response.status_code == 200:
        response.cache_control.no_cache = None  # Flask's default for static files: it voided the year
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
    return response
