"""Public pages kept rendered in memory, per read of the sheet.

A visitor without a session cookie sees exactly what any other such visitor sees on the
same day, for the same address (host and scheme included: a page whose links were built
for a forged ``Host`` is only ever sent back to that host) and the same board: the page is rendered once and the
same bytes are sent again, until the next read of the sheet. Never kept: anything for a
visitor with a session cookie (a signed-in clerk, a flash message, a form's CSRF token),
answers other than 200, answers setting a cookie, pages showing the stale-data note
(it counts minutes), and searches when other operators' trips are shown (fetched live).
At most `KEPT` pages per worker, the least recently used go first.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date

from flask import Flask, Response, current_app, g, request, session

from comobi.interop.operators import configured_operators
from comobi.storage import StorageError
from comobi.web.derived import get_derived
from comobi.web.links import current_links

KEPT = 256
ENDPOINTS = {"public.home", "public.trips", "public.trips_json", "public.trip", "public.commune",
             "pages.trips_page"}


class _Pages:
    def __init__(self, board):
        self.board = board
        self.pages: OrderedDict[tuple, tuple] = OrderedDict()
        self.lock = threading.Lock()


def init_app(app: Flask) -> None:
    app.before_request(_serve_kept)
    app.after_request(_keep)


def _key() -> tuple | None:
    """This request's page key, or None when its answer must not be shared."""
    if request.method not in ("GET", "HEAD") or request.endpoint not in ENDPOINTS:
        return None
    if current_app.config["SESSION_COOKIE_NAME"] in request.cookies:
        return None
    if current_links().static:  # a page of the static site: links are written differently
        return None
    operators = configured_operators(current_app.config["COMOBI"]["interop.operators"])
    if request.endpoint == "public.trips" and operators:
        return None  # other operators' trips, fetched live, change without the sheet
    return request.host_url, request.full_path, date.today()  # host: links must never mix sites


def _kept_pages() -> _Pages | None:
    """The pages rendered from the board this request reads; None when the board is stale."""
    try:
        derived = get_derived()
    except StorageError:
        return None
    if derived.board.stale_reason:
        return None
    return derived.kept("pages", lambda: _Pages(derived.board))


def _serve_kept():
    key = _key()
    kept = _kept_pages() if key else None
    if kept is None:
        return None
    with kept.lock:
        page = kept.pages.get(key)
        if page is not None:
            kept.pages.move_to_end(key)
    if page is None:
        g.page_key = (kept, key)
        return None
    body, headers = page
    g.page_key = None  # served from memory: nothing to keep
    return Response(body, 200, headers)


def _keep(response: Response) -> Response:
    kept, key = g.pop("page_key", None) or (None, None)
    # The session cookie is only added after this hook: a non-empty session (a CSRF token
    # stored while rendering a form) means the page is this visitor's own.
    if (kept is None or response.status_code != 200 or "Set-Cookie" in response.headers or session
            or response.direct_passthrough or kept.board.stale_reason):
        return response
    headers = [(name, value) for name, value in response.headers if name.lower() != "content-length"]
    with kept.lock:
        kept.pages[key] = (response.get_data(), headers)
        while len(kept.pages) > KEPT:
            kept.pages.popitem(last=False)
    return response
