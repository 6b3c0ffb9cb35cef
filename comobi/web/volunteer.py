"""/benevole: "Devenir conducteur bénévole", written to the tab Bénévoles through the outbox.

The same path as /proposer: bot checks, per-address limit, CSRF, outbox (comobi/web/submit.py).
"""
from __future__ import annotations

from flask import Blueprint, render_template

from comobi import rows
from comobi.parsing import normalise_phone
from comobi.schema import VOLUNTEERS
from comobi.volunteers import ACTIVE, PAUSED
from comobi.web.submit import confirmed, public_form
from comobi.web.volunteer_forms import VolunteerForm

bp = Blueprint("volunteer", __name__)


@bp.route("/benevole", methods=["GET", "POST"])
def volunteer():
    # A stranger from the web waits for the clerk's call before being proposed to anyone.
    return public_form(VolunteerForm(), "solidaire/volunteer.html", VOLUNTEERS,
                       lambda form: volunteer_values(form, status=PAUSED), "volunteer.volunteer_done", prefix="B")


@bp.get("/benevole/merci")
def volunteer_done():
    sent = confirmed()
    return render_template("solidaire/volunteer_done.html", volunteer_id=sent.id, delivered=sent.delivered)


def volunteer_values(form: VolunteerForm, status: str = ACTIVE) -> dict[str, str]:
    return {
        "created": rows.timestamp(),
        "first_name": _text(form.first_name), "last_name": _text(form.last_name),
        "phone": normalise_phone(form.phone.data), "email": _text(form.email),
        "home": form.home.place.name, "radius_km": form.radius_km.data,
        "availability": _text(form.availability), "remarks": _text(form.remarks), "status": status,
    }


def _text(field) -> str:
    return (field.data or "").strip()
