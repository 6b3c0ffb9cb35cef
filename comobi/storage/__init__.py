"""Access to the spreadsheet from the app, shaped like flaskr's db.py.

``init_app`` opens the configured adapter once and registers the ``flask sheet`` commands;
``get_board`` gives the data, read at most once per request. Nothing else in the app
knows which adapter runs.
"""
from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, current_app, g

from comobi.models import Board
from comobi.places import Places
from comobi.settings import PROJECT_ROOT
from comobi.storage.outbox import Outbox
from comobi.storage.port import Spreadsheet, StorageError
from comobi.storage.service import Storage

log = logging.getLogger(__name__)

__all__ = ["StorageError", "get_board", "get_places", "get_storage", "init_app", "open_spreadsheet"]


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
    if settings["sheet.backend"] == "local" and not local_path(settings).exists():
        from comobi.demo import create_demo_workbook

        create_demo_workbook(spreadsheet)
    outbox = Outbox(project_path(settings["outbox.path"]))
    app.extensions["comobi.storage"] = Storage(spreadsheet, settings, outbox)
    app.before_request(_deliver_waiting_rows)
    from comobi.storage.cli import sheet_cli

    app.cli.add_command(sheet_cli)


def _deliver_waiting_rows() -> None:
    """Rows kept while the sheet was down go out on a later request (at most every retry period)."""
    try:
        get_storage().deliver_if_due()
    except Exception:  # noqa: BLE001 - the outbox folder itself unreadable: the page must still show
        log.exception("Envoi des lignes en attente impossible")


def get_storage() -> Storage:
    return current_app.extensions["comobi.storage"]


def get_board() -> Board:
    if "board" not in g:
        g.board = get_storage().board()
    return g.board


def get_places() -> Places:
    """The places the forms know: the board's, or the bundled communes alone if the sheet
    cannot be read at all, so that a submission is still accepted (and queued)."""
    try:
        return get_board().places
    except StorageError:
        settings = current_app.config["COMOBI"]
        return Places.load(departements=settings["scope.departements"], epcis=settings["scope.epci"])
