"""Pages around the trip board: legal notices, contact, communes, printable lists, brand CSS.

They work the same live and frozen; ``g.static`` (set while freezing) only changes links.
"""
from __future__ import annotations

import json
import logging
import math
from datetime import date
from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, current_app, g, render_template, url_for

from comobi.branding import readable_brand_colour
from comobi.models import WEEKDAYS
from comobi.storage import get_board
from comobi.web import public
from comobi.web.communes import SHOWN, served, with_trips
from comobi.web.search_index import search_index_data

log = logging.getLogger(__name__)
bp = Blueprint("pages", __name__)


def init_app(app: Flask) -> None:
    colour, warning = readable_brand_colour(app.config["COMOBI"]["branding.color"])
    app.config["COMOBI_BRAND_COLOUR"] = colour
    if warning:
        log.warning(warning)
    app.register_blueprint(bp)
    app.jinja_env.filters["asset"] = asset_url
    app.before_request(_set_static_flag)
    app.context_processor(lambda: {"static_mode": g.get("static", False), "today": date.today()})


def _set_static_flag() -> None:
    g.static = bool(current_app.config.get("STATIC_MODE"))


def asset_url(path: str) -> str:
    """A logo given as "/static/x.png", "x.png" or a full address, as a link that also freezes."""
    path = (path or "").strip()
    if urlsplit(path).scheme in ("http", "https"):
        return path
    return url_for("static", filename=path.removeprefix("/").removeprefix("static/"))


@bp.route("/brand.css")
def brand_css():
    colour = current_app.config["COMOBI_BRAND_COLOUR"]
    return current_app.response_class(f":root {{ --brand: {colour}; }}\n", mimetype="text/css")


@bp.route("/mentions-legales")
def legal():
    return render_template("legal.html")


@bp.route("/donnees-personnelles")
def privacy():
    return render_template("privacy.html")


@bp.route("/contact")
def contact():
    """How to offer or ask for a trip without a form: what a frozen site links to."""
    return render_template("contact.html")


@bp.route("/communes")
def communes():
    return render_template("communes.html", served=with_trips())


@bp.route("/communes/<slug>/imprimer")
def commune_print(slug: str):
    place = get_board().places.by_slug(slug)
    if place is None:
        abort(404)
    return render_template("commune_print.html", served=served(place), shown=SHOWN)


@bp.route("/trajets/page/<int:page>")
def trips_page(page: int):
    """Page N of the full list, at an address a static host can serve (no ?page=)."""
    search = public.Search()
    matches = search.run()
    pages = max(1, math.ceil(len(matches) / public.PAGE_SIZE))
    if not 2 <= page <= pages:
        abort(404)
    shown = matches[(page - 1) * public.PAGE_SIZE: page * public.PAGE_SIZE]
    return render_template("trips.html", search=search, matches=shown, total=len(matches), page=page,
                           pages=pages, places=get_board().places.in_scope(), weekdays=WEEKDAYS, external=[])


def trips_pages_count() -> int:
    return max(1, math.ceil(len(public.Search().run()) / public.PAGE_SIZE))


@bp.route("/recherche.js")
def search_index():
    """Data for static/search.js, as a script: pages opened from disk cannot fetch() JSON."""
    data = json.dumps(search_index_data(), ensure_ascii=False, separators=(",", ":"))
    body = "window.comobiSearchIndex = " + data + ";\n"
    return current_app.response_class(body, mimetype="text/javascript")
