"""``flask freeze``: the trip board as a static site any plain host (or a USB stick) can serve.

The site is the app in another mode: its pages are rendered by their own views with the
link policy of ``comobi.web.static_links.StaticLinks`` (each page written as a folder
holding ``index.html``, relative links to files, forms sent where a static host can send
them), by ``comobi.freeze_pages``; templates see the policy's ``static`` flag as
``static_mode``. Frozen-Flask copies the static files.
"""
from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import click
from flask import Flask, current_app, url_for
from flask.cli import with_appcontext
from flask_frozen import Freezer
from werkzeug.exceptions import NotFound

from comobi.freeze_pages import Page, build_pages, default_workers, remove_extra_files, write_if_changed
from comobi.settings import PROJECT_ROOT
from comobi.storage import StorageError, get_storage
from comobi.web.derived import get_derived
from comobi.web.links import use_links
from comobi.web.static_links import StaticLinks, file_path, relative_link, root_prefix  # noqa: F401 (API)

MARKER = ".site-comobi"  # marks a folder as ours: only such a folder is emptied before freezing
NOT_FOUND_URL = "/404.html"


# --- what to freeze ------------------------------------------------------------------------

def site_plan() -> list[tuple[str, dict]]:
    """Every (endpoint, values) of the static site except static files; needs an app context."""
    from comobi.web import pages

    derived = get_derived()
    plan = [("public.home", {}), ("public.trips", {}), ("public.trips_json", {}), ("pages.brand_css", {}),
            ("pages.search_index", {}), ("pages.communes", {}), ("pages.contact", {}), ("pages.legal", {}),
            ("pages.privacy", {})]
    plan += [("pages.trips_page", {"page": n}) for n in range(2, pages.trips_pages_count() + 1)]
    plan += [("public.trip", {"trip_id": trip.id}) for trip in derived.listed_trips]
    for slug in derived.communes:
        plan += [("public.commune", {"slug": slug}), ("pages.commune_print", {"slug": slug})]
    return plan


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
    # Frozen-Flask copies static/ (comobi.freeze_pages); the pages are ours.
    app.config.update(FREEZER_DESTINATION=str(destination), FREEZER_DESTINATION_IGNORE=[MARKER],
                      FREEZER_REMOVE_EXTRA_FILES=False, FREEZER_REDIRECT_POLICY="error")
    started = time.monotonic()
    built_at = app.config.get("FREEZE_BUILT_AT") or datetime.now(UTC)
    links = StaticLinks(app, base_url, built_at=built_at)
    with app.test_request_context():
        plan = site_plan()  # also computes, before any worker starts, what every page reads
        urls = list(dict.fromkeys(url_for(endpoint, **values) for endpoint, values in plan))
    total = len(urls) + len(list(Freezer(app, with_no_argument_rules=False).static_files_urls()))
    previous_site = destination.is_dir() and any(destination.iterdir())
    destination.mkdir(parents=True, exist_ok=True)
    (destination / MARKER).write_text("Dossier écrit par « flask freeze » : il est vidé à chaque fois.\n")
    built = []
    try:
        for page in build_pages(app, links, destination, urls, workers or default_workers(len(urls)),
                                fresh=not previous_site):
            built.append(page)
            if progress:
                progress(page, total)
    except ValueError as error:  # a page answered something else than 200
        raise FreezeError(f"Une page n'a pas pu être produite : {error}") from error
    if previous_site:
        remove_extra_files(destination, built, keep={MARKER, "404.html"})
    built.append(_write_not_found_page(app, destination, StaticLinks(app, base_url, absolute=True,
                                                                      built_at=built_at)))
    built.append(Page("", Path(MARKER), (destination / MARKER).stat().st_size))
    return summary(built, time.monotonic() - started)


def _write_not_found_page(app: Flask, destination: Path, links: StaticLinks) -> Page:
    """404.html at the root: GitHub Pages and most hosts serve it for any unknown address.
    Served at any depth: its links are absolute when the site's address is known."""
    with app.app_context():
        use_links(links)
        with app.test_request_context(NOT_FOUND_URL):
            response = app.make_response(app.handle_http_exception(NotFound()))
    body = response.get_data()
    write_if_changed(destination / "404.html", body)
    return Page(NOT_FOUND_URL, Path("404.html"), len(body))


def summary(built: list[Page], seconds: float) -> dict:
    """What was written (every file of the site: the previous build's others are gone)."""
    return {
        "pages": sum(1 for page in built if page.path.suffix == ".html"),
        "trips": sum(1 for page in built if page.url.startswith("/trajets/") and "/page/" not in page.url),
        "communes": sum(1 for page in built if page.url.startswith("/communes/") and
                        not page.url.endswith("/imprimer")),
        "files": len(built),
        "bytes": sum(page.size for page in built),
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
    click.echo(f"Pour le voir : ouvrez {destination / 'index.html'} dans un navigateur.")


def init_app(app: Flask) -> None:
    app.cli.add_command(freeze_command)
