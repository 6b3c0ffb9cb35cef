"""Pages anyone can see: home, trip list and search, one trip, one commune."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, url_for
from markupsafe import Markup

from comobi import matching
from comobi.interop import operators
from comobi.models import WEEKDAYS
from comobi.parsing import normalise_key
from comobi.storage import StorageError, find_trip, get_board, get_places
from comobi.tariff import enabled_tariff
from comobi.web import communes
from comobi.web.derived import get_derived, listed_trips, trip_index
from comobi.web.pagination import Pagination
from comobi.web.present import public_trips, trip_card_links

bp = Blueprint("public", __name__)
bp.add_app_template_global(trip_card_links)
PAGE_SIZE = 20
JSON_PAGE_SIZE = 100


@bp.route("/")
def home():
    return render_template("home.html", weekdays=WEEKDAYS,
                           trip_count=len(listed_trips()))


@bp.route("/trajets")
def trips():
    search = Search.from_args(request.args)
    matches = search.run()
    page = Pagination.asked(request.args.get("page"), len(matches), PAGE_SIZE)
    return render_template("trips.html", search=search, matches=page.of(matches), total=len(matches),
                           page=page.number, pages=page.count, weekdays=WEEKDAYS,
                           external=search.elsewhere())


@bp.route("/trajets.json")
def trips_json():
    search = Search.from_args(request.args)
    matches = search.run()
    page = Pagination.asked(request.args.get("page"), len(matches), JSON_PAGE_SIZE)
    return jsonify({"recherche": search.as_dict(), "erreurs": search.errors, "nombre": len(matches),
                    "page": page.number, "pages": page.count, "trajets": public_trips(page.of(matches))})


@bp.route("/trajets/<trip_id>")
def trip(trip_id: str):
    return trip_page(listed_trip_or_404(trip_id))


@bp.get("/trajets/<trip_id>/contact")
def trip_contact_address(trip_id: str):
    """The address left in the bar after "Afficher le numéro" (a POST), reloaded or shared:
    back to the trip, where the button is (the number itself is only sent after a POST)."""
    listed_trip_or_404(trip_id)
    return redirect(url_for("public.trip", trip_id=trip_id, _anchor="contact"), 303)


def trip_page(found, **context) -> str:
    """A trip's page, with the suggested contribution when the instance shows one."""
    tariff = enabled_tariff(current_app.config["COMOBI"])
    contribution = tariff.between(found.origin, found.destination) if tariff else None
    return render_template("trip.html", trip=found, contribution=contribution, **context)


def listed_trip_or_404(trip_id: str):
    found = find_trip(trip_id)
    if found is None or not matching.is_listed(found, date.today()):
        abort(404)
    return found


@bp.route("/communes/<slug>")
def commune(slug: str):
    place = get_board().places.by_slug(slug)
    if place is None:
        abort(404)
    return render_template("commune.html", served=get_derived().served(place), shown=communes.SHOWN)


@bp.app_template_global()
def communes_datalist_html() -> Markup:
    """The `<datalist>` of commune names suggested as people type, rendered once per read
    of the sheet (it is most of a search page's HTML); limited on large territories."""
    try:
        return get_derived().datalist_html
    except StorageError:  # nothing read yet: the forms still open, with the bundled communes
        return Markup(render_template("_datalist.html", places=get_places().in_scope()))


class Search:
    """The ?depart=&arrivee=&jour= of the list page, understood leniently."""

    def __init__(self, origin_text="", destination_text="", day_text=""):
        self.origin_text, self.destination_text, self.day_text = origin_text, destination_text, day_text
        self.errors: dict[str, str] = {}
        places = get_board().places
        self.origin = self._place(places, "depart", origin_text)
        self.destination = self._place(places, "arrivee", destination_text)
        self.weekday = self._weekday(day_text)

    @classmethod
    def from_args(cls, args) -> Search:
        return cls(args.get("depart", "").strip()[:100], args.get("arrivee", "").strip()[:100],
                   args.get("jour", "").strip()[:20])

    @property
    def is_empty(self) -> bool:
        return not (self.origin_text or self.destination_text or self.day_text)

    def run(self):
        """The matching trips, best first (a sequence: slice the page to show)."""
        if self.errors:
            return []
        return trip_index().ranked(self.origin, self.destination, self.weekday, today=date.today())

    def elsewhere(self):
        """The same search on other platforms (standard covoiturage), when both ends are known."""
        if self.errors or not (self.origin and self.destination):
            return []
        return operators.external_journeys(current_app.config["COMOBI"], self.origin, self.destination,
                                           weekday=self.weekday)

    def as_dict(self) -> dict:
        return {"depart": self.origin.name if self.origin else self.origin_text,
                "arrivee": self.destination.name if self.destination else self.destination_text,
                "jour": WEEKDAYS[self.weekday] if self.weekday is not None else ""}

    def _place(self, places, name: str, text: str):
        if not text:
            return None
        place = places.find(text)
        if place is None:
            self.errors[name] = f"Commune inconnue : « {text} ». Vérifiez l'orthographe ou choisissez dans la liste."
        return place

    def _weekday(self, text: str):
        if not text:
            return None
        key = normalise_key(text)
        for index, day in enumerate(WEEKDAYS):
            if key in (day, day[:3], str(index)):
                return index
        self.errors["jour"] = f"Jour inconnu : « {text} »."
        return None


def page_url(page: int) -> str:
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return url_for("public.trips", **args, **({"page": page} if page > 1 else {}))
