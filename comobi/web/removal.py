"""``/retrait``: a driver or a passenger asks for their data to be removed.

The request lands in the Demandes tab like any other (Motif « Demande de retrait »,
Canal « web »), where the clerk sees it and acts: she archives or deletes the rows.
Nothing is removed automatically: anyone could type someone else's trip number, so the
clerk checks the phone number against the row, and may call back.
"""
from __future__ import annotations

from flask import Blueprint, render_template

from comobi import rows
from comobi.models import REMOVAL_REASON, REQUEST_NEW
from comobi.parsing import normalise_phone
from comobi.schema import REQUESTS
from comobi.web.forms import RemovalForm
from comobi.web.submit import confirmed, public_form

bp = Blueprint("removal", __name__)


@bp.route("/retrait", methods=["GET", "POST"])
def removal():
    return public_form(RemovalForm(), "removal.html", REQUESTS, removal_values, "removal.removal_done")


@bp.get("/retrait/merci")
def removal_done():
    sent = confirmed()
    return render_template("removal_done.html", request_id=sent.id, delivered=sent.delivered)


def removal_values(form: RemovalForm) -> dict[str, str]:
    reference = form.reference.data.strip().upper()
    message = (form.message.data or "").strip()
    notes = f"Retrait des données demandé pour {reference}." + (f" Message : {message}" if message else "")
    return {
        "created": rows.timestamp(),
        "phone": normalise_phone(form.phone.data),
        "reason": REMOVAL_REASON,
        "channel": "web",
        "status": REQUEST_NEW,
        "notes": notes,
    }
