"""Access to the spreadsheet from the app, shaped like flaskr's db.py.

``init_app`` opens the configured adapter once and registers the ``flask sheet`` commands;
``get_board`` gives the data, read at most once per request. Nothing else in the app
knows which adapter runs.
"""
from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from flask import Flask, current_app, g

from comobi.first_start import create_once
from comobi.models import Board
from comobi.places import Places
from comobi.schema import REQUESTS, TRIPS
from comobi.settings import PROJECT_ROOT
from comobi.storage import leftovers
from comobi.storage.leftovers import remove_temporary_files
from comobi.storage.outbox import Outbox
from comobi.storage.port import Spreadsheet, StorageError
from comobi.storage.service import Storage
from comobi.storage.snapshot import TEMPORARY_PREFIX, Snapshot

log = logging.getLogger(__name__)

__all__ = ["StorageError", "find_request", "find_trip", "get_board", "get_places", "get_storage", "init_app",
           "open_spreadsheet"]


def open_spreadsheet(settings: dict) -> Spreadsheet:
    backend = settings["sheet.backend"]
    if backend == "local":
        from comobi.storage.local import LocalSpreadsheet

        backups = project_path(settings["outbox.path"]).parent / "backups"  # instance/backups by default
        return LocalSpreadsheet(local_path(settings), backups=backups)
    if backend == "google":
        from comobi.storage.google import GoogleSpreadsheet

        return GoogleSpreadsheet.from_settings(settings)
    raise StorageError(f"Stockage « {backend} » inconnu : choisir « local » ou « google ».")


def local_path(settings: dict) -> Path:
    return project_path(settings["sheet.path"])


def project_path(text: str) -> Path:
    path = Path(text)
    return path if path.is_absolute() else PROJECT_ROOT / path


def init_app(app: Flask) -> None:
    settings = app.config["COMOBI"]
    spreadsheet = open_spreadsheet(settings)
    if settings["sheet.backend"] == "local":
        create_once(local_path(settings), _demo_workbook)
    outbox = Outbox(project_path(settings["outbox.path"]))
    remove_temporary_files(outbox.folder, leftovers.AT_START)
    snapshot = open_snapshot(settings)
    remove_temporary_files(snapshot.path.parent, leftovers.AT_START, pattern=f"{TEMPORARY_PREFIX}*.tmp")
    storage = app.extensions["comobi.storage"] = Storage(spreadsheet, settings, outbox, snapshot=snapshot)
    storage.cache.preload()
    app.before_request(_deliver_waiting_rows)


def open_snapshot(settings: dict) -> Snapshot:
    if settings["sheet.backend"] == "google":
        source = f"google:{settings['sheet.spreadsheet_id']}"
    else:
        source = f"local:{local_path(settings).resolve()}"
    return Snapshot(project_path(settings["sheet.snapshot_path"]), source,
                    settings.get("legal.retention_days", 365))


def _demo_workbook(path: Path) -> None:
    from comobi.demo import create_demo_workbook
    from comobi.storage.local import LocalSpreadsheet

    create_demo_workbook(LocalSpreadsheet(path, keep_backups=False))  # a new file: nothing to go back to
    path.with_name(path.name + ".lock").unlink(missing_ok=True)  # the adapter's, for a name now gone


def _deliver_waiting_rows() -> None:
    """Rows kept while the sheet was down go out after a later request (at most every retry
    period), in a thread of their own: a page never waits for a write, ours or a sibling
    worker's holding the outbox lock."""
    storage = get_storage()
    if _sweep_due(storage):
        remove_temporary_files(storage.outbox.folder, leftovers.WHILE_SERVING)
    if not storage.outbox.folder.is_dir() or not any(storage.outbox.folder.glob("*.json")):
        return
    if not _background_delivery(storage).acquire(blocking=False):
        return  # a delivery from an earlier request is still running

    def deliver():
        try:
            storage.deliver_if_due()
        except Exception:  # noqa: BLE001 - the outbox folder itself unreadable: pages still show
            log.exception("Envoi des lignes en attente impossible")
        finally:
            _background_delivery(storage).release()

    threading.Thread(target=deliver, name="comobi-outbox-delivery", daemon=True).start()


def wait_for_delivery(storage: Storage) -> None:
    """Until the delivery started by a request is over (for tests and scripts)."""
    with _background_delivery(storage):
        pass


def _background_delivery(storage: Storage) -> threading.Lock:
    lock = storage.__dict__.get("_background_delivery")
    return lock if lock is not None else storage.__dict__.setdefault("_background_delivery", threading.Lock())


def _sweep_due(storage: Storage, every: float = leftovers.WHILE_SERVING) -> bool:
    now = time.monotonic()
    if now < getattr(storage, "_next_sweep", 0.0):
        return False
    storage._next_sweep = now + every
    return True


def get_storage() -> Storage:
    return current_app.extensions["comobi.storage"]


def get_board() -> Board:
    if "board" not in g:
        g.board = get_storage().board()
    return g.board


def find_trip(trip_id: str):
    """The trip with this ID, even if acknowledged a moment ago (see storage/lookup.py)."""
    return _find(TRIPS, trip_id)


def find_request(request_id: str):
    """The request with this ID, even if acknowledged a moment ago (see storage/lookup.py)."""
    return _find(REQUESTS, request_id)


def _find(tab, record_id: str):
    found, board = get_storage().finder.find(tab, record_id, get_board())
    g.board = board
    return found


def get_places() -> Places:
    """The places the forms know: the board's, or the bundled communes alone if the sheet
    cannot be read at all, so that a submission is still accepted (and queued)."""
    try:
        return get_board().places
    except StorageError:
        settings = current_app.config["COMOBI"]
        return Places.load(departements=settings["scope.departements"], epcis=settings["scope.epci"])
