"""Writing a frozen site's pages, shared among several processes on large boards.

Frozen-Flask fetches every address from the app and writes its file, one after the other.
A regional board has some 15,000 pages: the addresses are cut into batches that forked
workers write side by side (each inherits the board, its index and the commune answers
already computed). Frozen-Flask lists the addresses and copies the static files; the pages
are fetched and written here, as its ``_build_one`` does less its per-page checks (a fifth
of the time of a trip page), and the previous build's extra files are removed once every
batch is written.
"""
from __future__ import annotations

import multiprocessing
import os
import warnings
from pathlib import Path
from unicodedata import normalize

from flask import Flask
from flask_frozen import Freezer, MissingURLGeneratorWarning, Page

BATCH = 200  # pages per task: small enough to share the work evenly, large enough to cost little
PARALLEL_FROM = 1000  # pages; below this, starting workers costs more than it saves
MAX_WORKERS = 4

_app: Flask | None = None  # the app of a worker process, inherited from the parent by fork


def default_workers(pages: int) -> int:
    if pages < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def build_pages(app: Flask, freezer_class: type[Freezer], urls: list[str], workers: int):
    """Write ``urls`` and the static files into ``FREEZER_DESTINATION``; yields each Page written.

    Raises ValueError, as Frozen-Flask does, when a page answers anything but 200.
    """
    batches = [None] + [urls[n:n + BATCH] for n in range(0, len(urls), BATCH)]  # None: static files
    tasks = [(freezer_class, batch) for batch in batches]
    if workers <= 1:
        _adopt(app)
        for pages in map(_build_batch, tasks):
            yield from pages
        return
    with multiprocessing.get_context("fork").Pool(workers, initializer=_adopt, initargs=(app,)) as pool:
        for pages in pool.imap_unordered(_build_batch, tasks):
            yield from pages


def remove_extra_files(destination: Path, built: list[Page], keep: set[str]) -> None:
    """Remove what a previous build wrote and this one did not (a trip gone since)."""
    wanted = {destination / page.path for page in built} | {destination / name for name in keep}
    for path in sorted(destination.rglob("*"), reverse=True):  # files before their folders
        if path.is_file() and path not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def _adopt(app: Flask) -> None:
    global _app
    _app = app


def _build_batch(task) -> list[Page]:
    freezer_class, urls = task
    if urls is None:
        return _static_files(freezer_class)
    freezer = freezer_class(_app, with_static_files=False, with_no_argument_rules=False, log_url_for=False)
    root, client = freezer.root, _app.test_client()
    pages = []
    for url in urls:  # what Frozen-Flask's _build_one does, without its per-page checks
        response = client.get(url)
        if response.status_code != 200:
            raise ValueError(f"Unexpected status {response.status!r} on URL {url}")
        path = normalize("NFC", freezer.urlpath_to_filepath(url))
        _write_if_changed(root / path, response.data)
        pages.append(Page(url, Path(path)))
    return pages


def _static_files(freezer_class) -> list[Page]:
    freezer = freezer_class(_app, with_static_files=True, with_no_argument_rules=False, log_url_for=False)
    _app.config["FREEZER_REMOVE_EXTRA_FILES"] = False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingURLGeneratorWarning)
        return list(freezer.freeze_yield())


def _write_if_changed(path: Path, content: bytes) -> None:
    """Rewrite a file only when it changes: a host syncing the folder sends only what changed."""
    try:
        if path.read_bytes() == content:
            return
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
