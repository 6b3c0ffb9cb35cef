"""Writing a frozen site's pages, shared among several processes on large boards.

Each page is rendered by calling its view inside a request context made for its address,
under one app context per batch where the static site's link policy is in force: no test
client, no WSGI round trip, no before/after-request hooks (security headers, page cache,
outbox delivery), which cost more than the rendering itself. A regional board has some
15,000 pages: the addresses are cut into batches that forked workers write side by side
(each inherits the board and what is derived from it, already computed). Frozen-Flask,
through its public API, copies the static files; the previous build's extra files are
removed once every batch is written.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from unicodedata import normalize
from urllib.parse import unquote_to_bytes

from flask import Flask, request
from flask.ctx import RequestContext
from flask_frozen import Freezer
from werkzeug.exceptions import HTTPException

from comobi.web.links import use_links
from comobi.web.static_links import StaticLinks

BATCH = 200  # pages per task: small enough to share the work evenly, large enough to cost little
PARALLEL_FROM = 1000  # pages; below this, starting workers costs more than it saves
MAX_WORKERS = 4

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Page:
    """A file written: the address it serves, its path from the site's root, its bytes."""

    url: str
    path: Path
    size: int


@dataclass(frozen=True)
class _Job:
    app: Flask
    links: StaticLinks
    destination: Path
    fresh: bool  # nothing written there before: no previous file to compare with


_job: _Job | None = None  # what a worker process writes, inherited from the parent by fork


def default_workers(pages: int) -> int:
    if pages < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def build_pages(app: Flask, links: StaticLinks, destination: Path, urls: list[str], workers: int,
                fresh: bool = False):
    """Write ``urls`` and the static files into ``destination``; yields each Page written.
    ``fresh``: the destination holds no previous site (files are written without reading first).

    Raises ValueError when a page answers anything but 200.
    """
    batches = [None] + [urls[n:n + BATCH] for n in range(0, len(urls), BATCH)]  # None: static files
    job = _Job(app, links, destination, fresh)
    if workers <= 1:
        _adopt(job)
        for pages in map(_build_batch, batches):
            yield from pages
        return
    with multiprocessing.get_context("fork").Pool(workers, initializer=_adopt, initargs=(job,)) as pool:
        for pages in pool.imap_unordered(_build_batch, batches):
            yield from pages


def render(app: Flask, url: str, environ: dict | None = None) -> bytes:
    """The body of the page at ``url``, its view called directly; needs an app context.
    ``environ``: a request's WSGI environ to start from (``base_environ``: made once, copied
    for each page). Raises ValueError when it is not a page (404, redirect, error)."""
    environ = dict(environ or base_environ(app), PATH_INFO=unquote_to_bytes(url).decode("latin-1"))
    # Nobody's session: no cookie to open for each page.
    with RequestContext(app, environ, session=app.session_interface.make_null_session(app)):
        if request.routing_exception is not None:
            raise ValueError(f"Unexpected answer {request.routing_exception!r} on URL {url}")
        try:
            response = app.make_response(app.view_functions[request.endpoint](**request.view_args))
        except HTTPException as error:
            raise ValueError(f"Unexpected status {error.code} on URL {url}") from None
        except Exception as error:  # a bug: said in the log, not as a traceback to the clerk
            log.exception("Page %s", url)
            raise ValueError(f"Unexpected error {error!r} on URL {url}") from None
        if response.status_code != 200:
            raise ValueError(f"Unexpected status {response.status!r} on URL {url}")
        return response.get_data()


def base_environ(app: Flask) -> dict:
    """The WSGI environ of a plain GET on the app's root, as Flask's test requests make it."""
    with app.test_request_context("/") as context:
        environ = dict(context.request.environ)
    environ.pop("werkzeug.request", None)  # that request's own, not the next one's
    return environ


def render_with(app: Flask, links: StaticLinks, url: str) -> bytes:
    """One page of the static site, as ``links`` writes it (a fresh app context)."""
    with app.app_context():
        use_links(links)
        return render(app, url)


def remove_extra_files(destination: Path, built: list[Page], keep: set[str]) -> None:
    """Remove what a previous build wrote and this one did not (a trip gone since)."""
    wanted = {destination / page.path for page in built} | {destination / name for name in keep}
    for path in sorted(destination.rglob("*"), reverse=True):  # files before their folders
        if path.is_file() and path not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def _adopt(job: _Job) -> None:
    global _job
    _job = job


def _build_batch(urls: list[str] | None) -> list[Page]:
    if urls is None:
        return _static_files(_job.app)
    app, links = _job.app, _job.links
    pages = []
    with app.app_context():
        use_links(links)
        environ = base_environ(app)
        for url in urls:
            path = normalize("NFC", links.file_of(url))
            body = render(app, url, environ)
            write_if_changed(_job.destination / path, body, _job.fresh)
            pages.append(Page(url, Path(path), len(body)))
    return pages


def _static_files(app: Flask) -> list[Page]:
    """static/ as it is, through Frozen-Flask (configured by ``FREEZER_*`` in the app's config)."""
    freezer = Freezer(app, with_static_files=True, with_no_argument_rules=False, log_url_for=False)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Nothing frozen for endpoints")  # pages are ours
        written = list(freezer.freeze_yield())
    return [Page(page.url, Path(page.path), (_job.destination / page.path).stat().st_size) for page in written]


def write_if_changed(path: Path, content: bytes, fresh: bool = False) -> None:
    """Rewrite a file only when it changes: a host syncing the folder sends only what changed.
    ``fresh``: there was no file there (its folder made, then written without reading first)."""
    if fresh:
        path.parent.mkdir(parents=True, exist_ok=True)
    else:
        try:
            if path.read_bytes() == content:
                return
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
