"""A consenting driver's phone or e-mail, shown on request only.

The trip page carries a button, not the number: a POST (with its CSRF token, so it works
without JavaScript and cannot be replayed from elsewhere) returns the page with the
contact shown. Each client (address, IPv6 /64) may do so a limited number of times per
hour, and all clients together too, so the list cannot be scraped for phone numbers.
"""
from __future__ import annotations

from flask import Blueprint, current_app

from comobi.web import limits
from comobi.web.public import listed_trip_or_404, trip_page

bp = Blueprint("contact", __name__)

TOO_MANY = ("Beaucoup de numéros ont été affichés en peu de temps. Réessayez dans {wait}, ou appelez "
            "le service au {phone} : il vous met en relation avec ce conducteur.")


@bp.post("/trajets/<trip_id>/contact")
def reveal(trip_id: str):
    trip = listed_trip_or_404(trip_id)
    if not trip.direct_contact:
        return trip_page(trip)
    wait = limits.retry_after("contact", "contact-list")
    if wait:
        phone = current_app.config["COMOBI"]["service.phone"]
        message = TOO_MANY.format(wait=limits.in_minutes(wait), phone=phone)
        return trip_page(trip, contact_refused=message), 429
    response = current_app.make_response(trip_page(trip, show_contact=True))
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
