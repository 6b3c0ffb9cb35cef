"""Pages around the trip board: legal notices, contact, communes, printable lists, brand CSS.

They work the same live and frozen; the link policy (``comobi.web.links``) only changes links.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
from datetime import date, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Blueprint, Flask, abort, current_app, redirect, render_template, request
from markupsafe import Markup

from comobi.branding import readable_brand_colour
from comobi.models import WEEKDAYS
from comobi.parsing import format_time
from comobi.storage import get_board
from comobi.web import public
from comobi.web.assets import YEAR, static_url
from comobi.web.communes import SHOWN
from comobi.web.derived import get_derived
from comobi.web.helpers import long_date
from comobi.web.links import current_links
from comobi.web.pagination import Pagination, page_count
from comobi.wording import a_commune, de_commune, french_spacing

log = logging.getLogger(__name__)
bp = Blueprint("pages", __name__)


def init_app(app: Flask) -> None:
    colour, warning = readable_brand_colour(app.config["COMOBI"]["branding.color"])
    app.config["COMOBI_BRAND_COLOUR"] = colour
    if warning:
        log.warning(warning)
    app.register_blueprint(bp)
    app.jinja_env.filters["asset"] = asset_url
    app.jinja_env.filters.update(french_spacing=lambda html: Markup(french_spacing(str(html))),
                                 email_text=email_text, de=de_commune, a=a_commune)
    app.jinja_env.globals["brand_css_url"] = brand_css_url
    app.context_processor(lambda: {"today": date.today(), "built_note": _built_note()})


def _built_note() -> str:
    built_at = current_links().built_at
    return built_note(built_at) if built_at else ""


def built_note(built_at: datetime) -> str:
    """When a frozen page was made, in French time: a site whose refresh stopped shows it."""
    try:
        local = built_at.astimezone(ZoneInfo("Europe/Paris"))
    except ZoneInfoNotFoundError:  # no time zone database: say UTC rather than a wrong hour
        return f"Liste mise à jour le {long_date(built_at.date())} à {format_time(built_at.time())} (UTC)."
    return f"Liste mise à jour le {long_date(local.date())} à {format_time(local.time())}."


def asset_url(path: str) -> str:
    """A logo given as "/static/x.png", "x.png" or a full address, as a link that also freezes."""
    path = (path or "").strip()
    if urlsplit(path).scheme in ("http", "https"):
        return path
    # Relative to the page on a frozen site (GitHub Pages sub-path, disk).
    return current_links().url_for("static", filename=path.removeprefix("/").removeprefix("static/"))


def email_text(address: str) -> Markup:
    """An e-mail address whose lines break before its "@" and its dots, not at its hyphens."""
    pieces = re.split(r"(?=[@.])", address or "")
    return Markup("<wbr>").join(Markup('<span class="email-part">{}</span>').format(p) for p in pieces if p)


def brand_css_url() -> str:
    """/brand.css named by the colour it holds: cached for a year, renamed when the colour changes."""
    return current_links().url_for("pages.brand_css", v=_brand_version())


def _brand_version() -> str:
    return hashlib.sha256(current_app.config["COMOBI_BRAND_COLOUR"].encode()).hexdigest()[:8]


@bp.route("/brand.css")
def brand_css():
    colour = current_app.config["COMOBI_BRAND_COLOUR"]
    response = current_app.response_class(f":root {{ --brand: {colour}; }}\n", mimetype="text/css")
    response.cache_control.public = True
    if request.args.get("v") == _brand_version():
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
    else:  # an old page's link, or typed by hand: short, so a new colour shows within the hour
        response.cache_control.max_age = 3600
    return response


@bp.route("/favicon.ico")
def favicon():
    """Browsers and crawlers ask for /favicon.ico whatever the page says: the icon, not a 404."""
    return redirect(static_url("favicon.svg"), 301)


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
    return render_template("communes.html", served=list(get_derived().communes.values()))


@bp.route("/communes/<slug>/imprimer")
def commune_print(slug: str):
    place = get_board().places.by_slug(slug)
    if place is None:
        abort(404)
    return render_template("commune_print.html", served=get_derived().served(place), shown=SHOWN)


@bp.route("/trajets/page/<int:page>")
def trips_page(page: int):
    """Page N of the full list, at an address a static host can serve (no ?page=)."""
    search = public.Search()
    matches = _every_trip(search)
    shown = Pagination(page, len(matches), public.PAGE_SIZE)
    if page == 1 or not shown.exists:  # page 1 is /trajets itself
        abort(404)
    return render_template("trips.html", search=search, matches=shown.of(matches), total=len(matches),
                           page=page, pages=shown.count, places=get_board().places.in_scope(),
                           weekdays=WEEKDAYS, external=[])


def trips_pages_count() -> int:
    return page_count(len(_every_trip(public.Search())), public.PAGE_SIZE)


def _every_trip(search: public.Search):
    """The search without criteria, the same for all its pages: run once per read."""
    return get_derived().once("every_trip", search.run)


@bp.route("/recherche.js")
def search_index():
    """Data for static/search.js, as a script: pages opened from disk cannot fetch() JSON."""
    data = json.dumps(get_derived().search_index(current_links()), ensure_ascii=False, separators=(",", ":"))
    body = "window.comobiSearchIndex = " + data + ";\n"
    return current_app.response_class(body, mimetype="text/javascript")
