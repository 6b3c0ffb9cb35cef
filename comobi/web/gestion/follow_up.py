"""What a follow-up from /gestion writes: only the cells the clerk changed, with what the
page showed as the condition (pure logic, no I/O)."""
from __future__ import annotations

from comobi import rows
from comobi.schema import REQUESTS


def planned_write(status: str, trip_id: str, shown: dict[str, str] | None) -> tuple[dict[str, str], dict[str, str]]:
    """(values to write, what each written cell must still hold). Without ``shown`` (a form
    from an older page) every field is written unconditionally, as before."""
    wanted = {"status": status, "proposed_trip": trip_id}
    if shown is None:
        return wanted, {}
    changed = {field: value for field, value in wanted.items()
               if not rows.same_cell(REQUESTS, field, shown.get(field, ""), value)}
    return changed, {field: shown.get(field, "") for field in changed}


def summary(request_id: str, values: dict[str, str], note: str, row: int, row_hint: int | None) -> str:
    """The clerk's confirmation, in French."""
    moved = f" (elle est maintenant à la ligne {row})" if row != row_hint else ""
    said = []
    if "status" in values:
        said.append(f"statut « {values['status']} »")
    if values.get("proposed_trip"):
        said.append(f"trajet proposé {values['proposed_trip']}")
    elif "proposed_trip" in values:
        said.append("trajet proposé effacé")
    if note:
        said.append("note ajoutée")
    return f"Demande {request_id} enregistrée dans le tableur{moved} : {', '.join(said)}."
