"""``flask freeze``: the trip board as a static site any plain host (or a USB stick) can serve.

Addresses stay those of the live app (``/trajets/T0001``, printed on flyers); each page is
written as a folder holding ``index.html`` (``trajets/T0001/index.html``), which every
static host serves for ``/trajets/T0001`` (GitHub Pages redirects to the trailing slash).
Links between frozen pages are relative and name the file itself (``../T0002/index.html``),
so the site works from any sub-path and when opened from disk (file://).

Frozen-Flask's own ``FREEZER_RELATIVE_URLS`` assumes ``/trajets/T0001`` is a file next to
``/trajets``; our folder layout needs links computed from file paths, hence
``static_url_for`` below. While freezing, ``STATIC_MODE`` is set and ``g.static`` is true:
templates replace forms (a static host cannot receive them) with what the instance
configures: the live site, an external form, or the contact page.
"""
from __future__ import annotations

import time
from datetime import datetime, timezone
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, unquote, urlencode, urlsplit

import click
from flask import Flask, current_app, request, url_for
from flask.cli import with_appcontext
from flask_frozen import Freezer
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from comobi.freeze_pages import build_pages, default_workers, remove_extra_files
from comobi.settings import PROJECT_ROOT
from comobi.web.public import listed_trips
from comobi.storage import StorageError, get_storage

MARKER = ".site-comobi"  # marks a folder as ours: only such a folder is emptied before freezing
FILE_ENDPOINTS = {"static", "public.trips_json", "pages.brand_css", "pages.search_index"}
NOT_FOUND_URL = "/404.html"


# --- addresses -> files (pure) -------------------------------------------------------------

def file_path(url_path: str, is_page: bool) -> str:
    """The file, relative to the site's root, that holds the page at ``url_path``."""
    path = unquote(url_path).lstrip("/")
    if not is_page:
        return path
    if not path or path.endswith("/"):
        return path + "index.html"
    return path + "/index.html"


def relative_link(from_file: str, to_file: str, fragment: str = "") -> str:
    """A link from one frozen file to another, both relative to the site's root."""
    folders, target = from_file.split("/")[:-1], to_file.split("/")
    shared = 0  # folders both paths start with (os.path.relpath, without its cost: 100,000s of links)
    while shared < min(len(folders), len(target) - 1) and folders[shared] == target[shared]:
        shared += 1
    link = quote("/".join([".."] * (len(folders) - shared) + target[shared:]))
    return link + (f"#{fragment}" if fragment else "")


def root_prefix(from_file: str) -> str:
    """The way back to the site's root from a frozen file: "", "../", "../../"..."""
    depth = from_file.count("/")
    return "../" * depth


# --- addresses -> files, for this app ------------------------------------------------------

def is_page(app: Flask, url_path: str) -> bool:
    """HTML pages become folders; files (CSS, JSON, static/) keep their name."""
    known = app.extensions.setdefault("comobi.is_page", {})  # asked for every link of every page
    if url_path not in known:
        known[url_path] = _is_page(app, url_path)
    return known[url_path]


def _is_page(app: Flask, url_path: str) -> bool:
    try:
        endpoint, _ = app.url_map.bind("localhost").match(unquote(url_path), method="GET")
    except RequestRedirect:
        return True
    except HTTPException:
        return "." not in url_path.rsplit("/", 1)[-1]
    return endpoint not in FILE_ENDPOINTS


def site_file(endpoint: str, **values) -> str:
    """The frozen file of ``url_for(endpoint, **values)``, from the site's root."""
    known = current_app.extensions.setdefault("comobi.site_files", {})  # emptied by static_mode
    key = (endpoint, *sorted(values.items()))
    if key not in known:
        url = url_for(endpoint, **values).partition("?")[0].partition("#")[0]
        known[key] = file_path(url, is_page(current_app, url))
    return known[key]


def current_file() -> str:
    return file_path(request.path, is_page(current_app, request.path))


def static_url_for(endpoint: str, **values) -> str:
    """``url_for`` for frozen pages: relative links to files, forms sent where they can go."""
    if values.pop("_external", False):
        return url_for(endpoint, _external=True, **values)
    outside = _outside_link(endpoint, values)
    if outside:
        return outside
    if endpoint == "public.trip" and not trip_is_addressable(values.get("trip_id", "")):
        return static_url_for("pages.contact", _anchor="demander")  # no page could be written for it
    fragment = values.pop("_anchor", "")
    query = _search_query(endpoint, values)
    target = site_file(endpoint, **values)
    base_url = current_app.config.get("STATIC_BASE_URL")
    if base_url and current_app.config.get("STATIC_ABSOLUTE_LINKS"):  # the 404 page is served at any depth: only absolute links work there
        link = base_url.rstrip("/") + "/" + quote(target)
    else:
        link = relative_link(current_file(), target)
    return link + query + (f"#{fragment}" if fragment else "")


def trip_is_addressable(trip_id: str) -> bool:
    """False for an ID typed with a "/" (T1/2), "?", "#" or "%": its address would lead elsewhere."""
    known = current_app.extensions.setdefault("comobi.addressable", {})
    if trip_id not in known:
        known[trip_id] = _trip_is_addressable(trip_id)
    return known[trip_id]


def _trip_is_addressable(trip_id: str) -> bool:
    if not trip_id or any(c in trip_id for c in "?#%"):
        return False
    try:
        endpoint, values = current_app.url_map.bind("localhost").match(
            unquote(url_for("public.trip", trip_id=trip_id)), method="GET")
    except HTTPException:
        return False
    return endpoint == "public.trip" and values.get("trip_id") == trip_id


def static_page_url(page: int) -> str:
    """Pagination of /trajets as addresses a static host can serve (/trajets/page/2)."""
    if page <= 1:
        return static_url_for("public.trips")
    return static_url_for("pages.trips_page", page=page)


def _outside_link(endpoint: str, values: dict) -> str:
    """Where "Proposer" and "Demander" lead on a static site: live site, external form or contact."""
    settings = current_app.config["COMOBI"]
    live = settings["service.url"].rstrip("/")
    if endpoint == "submit.offer":
        if live:
            return f"{live}/proposer"
        return settings["service.offer_form_url"] or static_url_for("pages.contact", _anchor="proposer")
    if endpoint == "public.trips" and live and _search_query(endpoint, dict(values)):
        return f"{live}/trajets" + _search_query(endpoint, dict(values))
    if endpoint == "submit.ask":
        if live:
            query = urlencode({k: v for k, v in values.items() if not k.startswith("_")})
            return f"{live}/demander" + (f"?{query}" if query else "")
        return settings["service.request_form_url"] or static_url_for("pages.contact", _anchor="demander")
    return ""


def _search_query(endpoint: str, values: dict) -> str:
    """A search's ?depart=&arrivee=&jour= (taken out of ``values``): a static host ignores it,
    search.js reads it."""
    if endpoint != "public.trips":
        return ""
    search = {name: values.pop(name) for name in ("depart", "arrivee", "jour") if values.get(name)}
    return "?" + urlencode(search) if search else ""


@contextmanager
def static_mode(app: Flask, base_url: str = "", absolute_links: bool = False):
    """Templates see ``g.static`` and build links with ``static_url_for`` inside this block."""
    saved = {name: app.jinja_env.globals[name] for name in ("url_for", "page_url", "static_url")}
    app.config.update(STATIC_MODE=True, STATIC_SITE_PATH=site_file, STATIC_BASE_URL=base_url,
                      STATIC_ABSOLUTE_LINKS=absolute_links,
                      STATIC_BUILT_AT=app.config.get("FREEZE_BUILT_AT") or datetime.now(timezone.utc))
    app.jinja_env.globals.update(url_for=static_url_for, page_url=static_page_url, site_root=_site_root,
                                 static_url=lambda filename: static_url_for("static", filename=filename))
    app.extensions.pop("comobi.site_files", None)
    try:
        yield
    finally:
        app.extensions.pop("comobi.site_files", None)
        app.jinja_env.globals.update(saved)
        app.jinja_env.globals.pop("site_root", None)
        for name in ("STATIC_MODE", "STATIC_SITE_PATH", "STATIC_BASE_URL", "STATIC_ABSOLUTE_LINKS",
                     "STATIC_BUILT_AT"):
            app.config.pop(name, None)


def _site_root() -> str:
    base_url = current_app.config.get("STATIC_BASE_URL")
    if base_url and current_app.config.get("STATIC_ABSOLUTE_LINKS"):
        return base_url.rstrip("/") + "/"
    return root_prefix(current_file())


# --- what to freeze ------------------------------------------------------------------------

def site_plan() -> list[tuple[str, dict]]:
    """Every (endpoint, values) of the static site except static files; needs an app context."""
    from comobi.web import communes, pages, public

    plan = [("public.home", {}), ("public.trips", {}), ("public.trips_json", {}), ("pages.brand_css", {}),
            ("pages.search_index", {}), ("pages.communes", {}), ("pages.contact", {}), ("pages.legal", {}),
            ("pages.privacy", {})]
    plan += [("pages.trips_page", {"page": n}) for n in range(2, pages.trips_pages_count() + 1)]
    plan += [("public.trip", {"trip_id": trip.id}) for trip in public.listed_trips()
             if trip_is_addressable(trip.id)]
    for served in communes.with_trips():
        plan += [("public.commune", {"slug": served.place.slug}),
                 ("pages.commune_print", {"slug": served.place.slug})]
    return plan


class SiteFreezer(Freezer):
    def urlpath_to_filepath(self, path: str) -> str:
        return file_path(path, is_page(self.app, path))


class FreezeError(Exception):
    """The site could not be frozen; ``str()`` is plain French."""


def check_destination(destination: Path) -> None:
    """Refuse to empty a folder that holds anything but a previous frozen site."""
    if destination.is_file():
        raise FreezeError(f"« {destination} » est un fichier : indiquez un dossier.")
    if destination.is_dir() and any(destination.iterdir()) and not (destination / MARKER).exists():
        raise FreezeError(f"Le dossier « {destination} » n'est pas vide et ne contient pas un site figé : "
                          "choisissez un dossier vide ou nouveau (option --destination), pour ne rien effacer.")


def freeze_site(app: Flask, destination: Path, base_url: str = "", progress=None,
                workers: int | None = None) -> dict:
    """Write the static site into ``destination``; returns a summary. Raises FreezeError.

    ``workers``: processes writing pages side by side (default: one per CPU on large sites).
    """
    check_destination(destination)
    with app.app_context():
        storage = get_storage()
    try:
        with storage.holding():
            return _freeze(app, destination, base_url, progress, workers)
    except StorageError as error:
        raise FreezeError(f"Le tableur n'a pas pu être lu : {error}") from error


def _freeze(app: Flask, destination: Path, base_url: str, progress, workers: int | None) -> dict:
    app.config.update(FREEZER_DESTINATION=str(destination), FREEZER_DESTINATION_IGNORE=[MARKER],
                      FREEZER_DEFAULT_MIMETYPE="text/html", FREEZER_REDIRECT_POLICY="error")
    started = time.monotonic()
    with static_mode(app, base_url):
        with app.test_request_context():
            plan = site_plan()  # also computes, before any worker starts, what every page reads
            unaddressable = [t.id for t in listed_trips() if not trip_is_addressable(t.id)]
        urls = list(dict.fromkeys(_urls(app, plan)))
        total = len(urls) + len(list(SiteFreezer(app, with_no_argument_rules=False).static_files_urls()))
        previous_site = destination.is_dir() and any(destination.iterdir())
        destination.mkdir(parents=True, exist_ok=True)
        (destination / MARKER).write_text("Dossier écrit par « flask freeze » : il est vidé à chaque fois.\n")
        built = []
        try:
            for page in build_pages(app, SiteFreezer, urls, workers or default_workers(len(urls))):
                built.append(page)
                if progress:
                    progress(page, total)
        except ValueError as error:  # a page answered something else than 200
            raise FreezeError(f"Une page n'a pas pu être produite : {error}") from error
    if previous_site:
        remove_extra_files(destination, built, keep={MARKER})
    _write_not_found_page(app, destination, base_url)
    result = summary(destination, built, time.monotonic() - started)
    result["unaddressable"] = unaddressable
    return result


def _urls(app: Flask, plan: list[tuple[str, dict]]) -> list[str]:
    freezer = SiteFreezer(app, with_static_files=False, with_no_argument_rules=False, log_url_for=False)
    freezer.register_generator(lambda: iter(plan))
    return list(freezer.all_urls())


def _write_not_found_page(app: Flask, destination: Path, base_url: str) -> None:
    """404.html at the root: GitHub Pages and most hosts serve it for any unknown address."""
    with static_mode(app, base_url, absolute_links=True):
        response = app.test_client().get(NOT_FOUND_URL)
    (destination / "404.html").write_bytes(response.data)


def summary(destination: Path, built: list, seconds: float) -> dict:
    files = [p for p in destination.rglob("*") if p.is_file()]
    return {
        "pages": sum(1 for p in files if p.suffix == ".html"),
        "trips": sum(1 for page in built if page.url.startswith("/trajets/") and "/page/" not in page.url),
        "communes": sum(1 for page in built if page.url.startswith("/communes/") and
                        not page.url.endswith("/imprimer")),
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "seconds": seconds,
    }


# --- the command ---------------------------------------------------------------------------

@click.command("freeze")
@click.option("--destination", type=click.Path(file_okay=False, path_type=Path),
              help="Dossier où écrire le site (par défaut : le réglage freeze.destination).")
@click.option("--base-url", default=None,
              help="Adresse publique du site figé (par défaut : le réglage freeze.base_url).")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Nombre de processus qui écrivent les pages (par défaut : un par processeur "
                   "pour les grands sites).")
@with_appcontext
def freeze_command(destination: Path | None, base_url: str | None, workers: int | None):
    """Écrit le site figé (pages statiques) à partir du tableur."""
    app = current_app._get_current_object()
    settings = app.config["COMOBI"]
    if destination is None:
        destination = Path(settings["freeze.destination"])
        destination = destination if destination.is_absolute() else PROJECT_ROOT / destination
    destination = destination.resolve()
    base_url = settings["freeze.base_url"] if base_url is None else base_url
    if base_url and urlsplit(base_url).scheme not in ("http", "https"):
        raise click.ClickException(f"Adresse « {base_url} » invalide : elle doit commencer par https://")
    click.echo(f"Site figé dans : {destination}")
    with click.progressbar(length=1, label="Pages", item_show_func=lambda url: url) as bar:
        def progress(page, total):
            bar.length = total
            bar.update(1, page.url)

        try:
            result = freeze_site(app, destination, base_url, progress, workers)
        except FreezeError as error:
            raise click.ClickException(str(error)) from error
    click.echo(f"{result['pages']} pages, {result['trips']} trajets, {result['communes']} communes, "
               f"{result['files']} fichiers, {result['bytes'] / 1024:.0f} Ko, en {result['seconds']:.1f} s.")
    for trip_id in result["unaddressable"]:
        click.echo(f"Attention : le trajet « {trip_id} » n'a pas de page : son ID ne doit contenir "
                   "aucun des signes / ? # %. Corrigez-le dans le tableur (colonne ID).")
    click.echo(f"Pour le voir : ouvrez {destination / 'index.html'} dans un navigateur.")


def init_app(app: Flask) -> None:
    app.cli.add_command(freeze_command)
