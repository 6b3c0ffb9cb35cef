"""``flask sheet purge``: clear the personal cells the retention period asks to, row by row.

Rows are found again by their ID at write time (``Storage.update_by_id``), so a sheet
sorted meanwhile is cleared at the right rows.
"""
from __future__ import annotations

from datetime import date

from comobi import purge as retention
from comobi.schema import find_tab_title
from comobi.storage.safe_text import from_sheet


def purge(storage, retention_days: int, apply: bool, today: date | None = None) -> list[str]:
    """Say (and with ``apply``, do) what is cleared; return the lines to print, in French."""
    today = today or date.today()
    storage.board()  # rows typed without an ID get theirs now
    grids = _grids(storage)
    clearings = retention.plan(grids, today, retention_days)
    verb = "effacé" if apply else "à effacer"
    lines = [f"Durée de conservation : {retention_days} jours (avant le "
             f"{date.fromordinal(today.toordinal() - retention_days):%d/%m/%Y})."]
    if not clearings:
        return lines + ["Rien à effacer."]
    cleared = 0
    for clearing in clearings:
        where = f"« {clearing.tab.title} », ligne {clearing.row} ({clearing.record_id or 'sans ID'}, " \
                f"dernière utilisation le {clearing.last_use:%d/%m/%Y})"
        what = ", ".join(retention.headers_of(clearing))
        if apply:
            if not clearing.record_id:
                lines.append(f"Non effacé : {where} n'a pas d'ID.")
                continue
            row = storage.update_by_id(clearing.tab, clearing.record_id, dict.fromkeys(clearing.fields, ""),
                                       row_hint=clearing.row)
            if row is None:
                lines.append(f"Non effacé : {where} n'est plus dans le tableur.")
                continue
            cleared += 1
        lines.append(f"{verb.capitalize()} : {where} : {what}.")
    if apply:
        lines.append(f"{cleared} ligne(s) effacée(s).")
    else:
        lines.append(f"{len(clearings)} ligne(s) à effacer. Rien n'a été modifié : relancez avec --apply pour effacer.")
    return lines


def _grids(storage) -> dict[str, list[list[str]]]:
    titles = storage.spreadsheet.tab_titles()
    grids = {}
    for tab in retention.PURGED_TABS:
        title = find_tab_title(titles, tab)
        if title:
            rows = storage.spreadsheet.read_tab(title)
            grids[tab.title] = [[from_sheet(str(cell)) for cell in row] for row in rows]
    return grids
