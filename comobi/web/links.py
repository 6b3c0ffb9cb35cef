"""How pages link to one another: the link policy, chosen once per app or per render.

Templates call ``url_for``, ``page_url``, ``static_url`` and ``site_root``, and Python code
``current_links().trip_url(...)``; all of them ask the policy in force. The live app's is
``LiveLinks`` (Flask's own URLs), installed when the app is created. The freeze renders
its pages with a ``comobi.web.static_links.StaticLinks`` (relative links to files, forms
sent where a static host can send them), set for the renders it makes with
``use_links``; its ``static`` flag is what templates see as ``static_mode``.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import Flask, current_app, g, url_for

from comobi.web.assets import static_url
from comobi.web.security import external_url

_EXTENSION = "comobi.links"


class LiveLinks:
    """Links of the live app: its own addresses."""

    static = False
    built_at: datetime | None = None  # a live page is always current

    def __init__(self, page_url: Callable[[int], str]):
        self._page_url = page_url

    def url_for(self, endpoint: str, **values) -> str:
        return url_for(endpoint, **values)

    def page_url(self, page: int) -> str:
        """Page N of the current search."""
        return self._page_url(page)

    def static_url(self, filename: str) -> str:
        return static_url(filename)

    def site_root(self) -> str:
        return url_for("public.home")

    def trip_url(self, trip_id: str) -> str:
        """A trip's page, as an absolute address (for JSON)."""
        return external_url("public.trip", trip_id=trip_id)

    def site_path(self, endpoint: str, **values) -> str:
        """Where a page lives from the site's root."""
        return url_for(endpoint, **values)


def init_app(app: Flask, page_url: Callable[[int], str]) -> None:
    """Install the live policy, and the template functions that ask the policy in force."""
    app.extensions[_EXTENSION] = LiveLinks(page_url)
    app.jinja_env.globals.update(
        url_for=lambda endpoint, **values: current_links().url_for(endpoint, **values),
        page_url=lambda page: current_links().page_url(page),
        static_url=lambda filename: current_links().static_url(filename),
        site_root=lambda: current_links().site_root(),
    )
    app.context_processor(_policy_of_this_render)


def _policy_of_this_render() -> dict:
    """The policy's own functions, for the page being rendered: found once per render, not
    once per link (the globals above serve macros imported without the page's context)."""
    links = current_links()
    return {"static_mode": links.static, "url_for": links.url_for, "page_url": links.page_url,
            "static_url": links.static_url, "site_root": links.site_root}


def current_links():
    """The policy of this render: the one set by ``use_links``, else the app's."""
    return g.get("links") or current_app.extensions[_EXTENSION]


def use_links(links) -> None:
    """Render with ``links`` for the rest of this app context (the freeze's own)."""
    g.links = links
