"""Rows people were thanked for that vanished from the sheet: shown on /gestion, put back
or dismissed by the clerk in one click (storage/journal.py); and write-backs kept while
the sheet was down that it refused later (storage/writer.py ``queue_update``)."""
from __future__ import annotations

import logging

from flask import flash, redirect, request, url_for

from comobi.storage import StorageError, get_storage
from comobi.web.gestion import bp

log = logging.getLogger(__name__)


@bp.context_processor
def missing_rows_helper():
    return {"missing_rows": missing_rows, "refused_writes": lambda: get_storage().outbox.refused()}


def missing_rows() -> list:
    """For the templates: [] when the sheet cannot be read (the page says so elsewhere)."""
    try:
        return get_storage().missing_rows()
    except StorageError:
        return []


def _keys() -> list[str]:
    return [key for key in request.form.getlist("key") if key.isascii() and key.isalnum()]


@bp.route("/lignes-manquantes/remettre", methods=["POST"])
def restore_rows():
    keys = _keys()
    storage = get_storage()
    count = storage.restore_rows(keys)
    waiting = {entry.key for entry in storage.outbox.entries()}
    log.warning("Lignes remises dans le tableur par la référente : %d", count)
    if any(key in waiting for key in keys):
        flash(f"{count} ligne(s) gardée(s) en attente : le tableur ne répond pas, elles y seront écrites dès "
              "que possible.", "error")
    else:
        flash(f"{count} ligne(s) remise(s) à la fin de leur onglet dans le tableur.")
    return redirect(url_for(".requests"))


@bp.route("/lignes-manquantes/ignorer", methods=["POST"])
def dismiss_rows():
    keys = _keys()
    get_storage().dismiss_rows(keys)
    flash(f"C'est noté : {len(keys)} ligne(s) supprimée(s) exprès ne seront plus signalées.")
    return redirect(url_for(".requests"))
