"""Why the app cannot write into the sheet right now, told to the clerk on /gestion.

The local workbook refuses to write while the clerk has it open (her next save would erase
the new rows), or when a write would damage it; the rows then wait in the outbox. The list
page says so, with the adapter's own French reason, so that she knows what to do.
"""
from __future__ import annotations

from comobi.storage import get_storage
from comobi.web.gestion.blueprint import bp


@bp.context_processor
def workbook_notices() -> dict:
    return {"workbook_notices": notices()}


def notices() -> list[str]:
    storage = get_storage()
    found = []
    quick = getattr(storage.spreadsheet, "open_elsewhere", None)
    reason = quick() if quick else None
    if reason:
        found.append(reason[0].upper() + reason[1:])
    waiting = len(storage.outbox.entries())
    if waiting and storage.delivery_error:
        reason = "" if storage.delivery_error in found else f" : {storage.delivery_error}"
        found.append(f"{waiting} envoi(s) attendent d'être écrits dans le tableur{reason}.")
    return found
