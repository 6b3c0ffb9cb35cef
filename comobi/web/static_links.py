"""Links of the static site (``flask freeze``): relative links between files, forms sent
where a static host can send them.

Addresses stay those of the live app (``/trajets/T0001``, printed on flyers); each page is
written as a folder holding ``index.html`` (``trajets/T0001/index.html``), which every
static host serves for ``/trajets/T0001`` (GitHub Pages redirects to the trailing slash).
Links between frozen pages are relative and name the file itself (``../T0002/index.html``),
so the site works from any sub-path and when opened from disk (file://). Forms, which a
static host cannot receive, lead to what the instance configures: the live site, an
external form, or the contact page.
"""
from __future__ import annotations

from datetime import datetime
from urllib.parse import quote, unquote, urlencode

from flask import Flask, request, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

FILE_ENDPOINTS = {"static", "public.trips_json", "pages.brand_css", "pages.search_index"}


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


# --- the policy ----------------------------------------------------------------------------

class StaticLinks:
    """The link policy of a frozen site. ``absolute``: links start with ``base_url`` (the
    404 page, served at any depth); ``built_at``: the time every page's footer gives."""

    static = True

    def __init__(self, app: Flask, base_url: str = "", absolute: bool = False,
                 built_at: datetime | None = None):
        self.app, self.base_url, self.absolute, self.built_at = app, base_url, absolute, built_at
        self.settings = app.config["COMOBI"]
        self._pages: dict[str, bool] = {}  # asked for every link of every page: memoised
        self._files: dict[tuple, str] = {}
        self._targets: dict[tuple, tuple] = {}
        self._links: dict[tuple, str] = {}
        self._heres: dict[str, tuple] = {}

    def is_page(self, url_path: str) -> bool:
        """HTML pages become folders; files (CSS, JSON, static/) keep their name."""
        if url_path not in self._pages:
            self._pages[url_path] = self._is_page(url_path)
        return self._pages[url_path]

    def _is_page(self, url_path: str) -> bool:
        try:
            endpoint, _ = self.app.url_map.bind("localhost").match(unquote(url_path), method="GET")
        except RequestRedirect:
            return True
        except HTTPException:
            return "." not in url_path.rsplit("/", 1)[-1]
        return endpoint not in FILE_ENDPOINTS

    def file_of(self, url_path: str) -> str:
        """The frozen file of the page or file at ``url_path``."""
        return file_path(url_path, self.is_page(url_path))

    def site_path(self, endpoint: str, **values) -> str:
        """The frozen file of ``url_for(endpoint, **values)``, from the site's root."""
        key = (endpoint, *sorted(values.items()))
        if key not in self._files:
            url = url_for(endpoint, **values).partition("?")[0].partition("#")[0]
            self._files[key] = self.file_of(url)
        return self._files[key]

    def current_file(self) -> str:
        return self._here()[0]

    def _here(self) -> tuple[str, str, int]:
        """The current page's file, its first folder ("trajets/"), its depth."""
        path = request.path
        if path not in self._heres:
            file = self.file_of(path)
            self._heres[path] = (file, file.partition("/")[0] + "/", file.count("/"))
        return self._heres[path]

    def url_for(self, endpoint: str, **values) -> str:
        """Relative links to files; forms sent where they can go."""
        try:
            key = (endpoint, *sorted(values.items()))
            found = self._targets.get(key)
        except TypeError:  # a value that cannot be a key
            key, found = None, None
        if found is None:
            found = self._target(endpoint, dict(values))
            if key is not None:
                self._targets[key] = found
        target, outside, suffix = found
        if outside:
            return target
        return self._relative(target) + suffix

    def _target(self, endpoint: str, values: dict) -> tuple[str, bool, str]:
        """(file from the site's root, False, query and fragment), or (address, True, "")."""
        if values.pop("_external", False):
            return url_for(endpoint, _external=True, **values), True, ""
        outside = self._outside_link(endpoint, values)
        if isinstance(outside, str):
            return outside, True, ""
        if outside:  # the contact page's part about it
            return self._target("pages.contact", {"_anchor": outside[1]})
        fragment = values.pop("_anchor", "")
        query = _search_query(endpoint, values)
        target = self.site_path(endpoint, **values)
        if self.base_url and self.absolute:  # the 404 page, served at any depth
            return self.base_url.rstrip("/") + "/" + quote(target) + query + (f"#{fragment}" if fragment else ""), \
                True, ""
        return target, False, query + (f"#{fragment}" if fragment else "")

    def _relative(self, target: str) -> str:
        """The link from the current page to ``target``: the same from every page of the same
        depth, unless both are in the same first folder (kept by depth: pages share them)."""
        file, top, depth = self._here()
        if target.startswith(top):
            return relative_link(file, target)
        key = (depth, target)
        if key not in self._links:
            self._links[key] = relative_link(file, target)
        return self._links[key]

    def page_url(self, page: int) -> str:
        """Pagination of /trajets as addresses a static host can serve (/trajets/page/2)."""
        if page <= 1:
            return self.url_for("public.trips")
        return self.url_for("pages.trips_page", page=page)

    def static_url(self, filename: str) -> str:
        return self.url_for("static", filename=filename)

    def site_root(self) -> str:
        if self.base_url and self.absolute:
            return self.base_url.rstrip("/") + "/"
        return root_prefix(self.current_file())

    def trip_url(self, trip_id: str) -> str:
        """A trip's page: its file, under the static site's address when it is known."""
        base = self.base_url.rstrip("/") + "/" if self.base_url else ""
        return base + self.site_path("public.trip", trip_id=trip_id)

    def _outside_link(self, endpoint: str, values: dict) -> str | tuple[str, str] | None:
        """Where "Proposer" and "Demander" lead on a static site: live site, external form, or
        ("contact", part of the contact page)."""
        live = self.settings["service.url"].rstrip("/")
        if endpoint == "submit.offer":
            if live:
                return f"{live}/proposer"
            return self.settings["service.offer_form_url"] or ("contact", "proposer")
        if endpoint == "public.trips" and live and _search_query(endpoint, dict(values)):
            return f"{live}/trajets" + _search_query(endpoint, dict(values))
        if endpoint == "submit.ask":
            if live:
                query = urlencode({k: v for k, v in values.items() if not k.startswith("_")})
                return f"{live}/demander" + (f"?{query}" if query else "")
            return self.settings["service.request_form_url"] or ("contact", "demander")
        return None


def _search_query(endpoint: str, values: dict) -> str:
    """A search's ?depart=&arrivee=&jour= (taken out of ``values``): a static host ignores it,
    search.js reads it."""
    if endpoint != "public.trips":
        return ""
    search = {name: values.pop(name) for name in ("depart", "arrivee", "jour") if values.get(name)}
    return "?" + urlencode(search) if search else ""
