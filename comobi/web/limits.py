"""Every limit of the app, counted in one storage all workers share (``comobi.ratelimit``).

Counted per client (an IPv4 address or an IPv6 /64): form posts, contact reveals, API
calls, failed logins. Contact reveals are also capped for the whole trip list, so many
addresses together cannot copy every driver's number either.
"""
from __future__ import annotations

from flask import Flask, current_app, request

from comobi.ratelimit import SharedCounters, client_key
from comobi.settings import SettingsError
from comobi.storage import project_path

HOUR = 3600
EVERYONE = "*"
EXTENSION = "comobi.counters"


def init_app(app: Flask) -> None:
    """A storage named in the settings is opened now: a wrong one stops the start, in French."""
    shared = counters(app)
    if not shared.uri:
        return  # the SQLite file is made on first use (a freeze or a CLI command never needs it)
    try:
        shared.storage.check()
    except Exception as error:  # the library's errors differ by storage (ImportError, ConnectionError...)
        raise SettingsError(f"Réglage « security.rate_limit_storage » : « {shared.uri} » inutilisable "
                            f"({error}). Videz-le pour compter dans instance/, ou corrigez l'adresse.") from error


def counters(app: Flask | None = None) -> SharedCounters:
    """The app's shared counters, made on first use (an API-only app gets them too)."""
    app = app or current_app
    found = app.extensions.get(EXTENSION)
    if found is None:
        settings = app.config["COMOBI"]
        folder = project_path(settings["outbox.path"]).parent  # instance/ by default
        uri = settings["security.rate_limit_storage"]
        if uri.startswith("sqlite:///") and not uri.startswith("sqlite:////"):  # relative: to the project
            uri = f"sqlite:///{project_path(uri[len('sqlite:///'):])}"
        found = app.extensions[EXTENSION] = SharedCounters(uri, folder)
    return found


def client() -> str:
    return client_key(request.remote_addr)


def _rules() -> dict[str, tuple[int, int, str]]:
    """name -> (amount, window in seconds, whom it counts)."""
    settings = current_app.config["COMOBI"]
    return {
        "form": (settings["security.form_rate_limit_per_hour"], HOUR, client()),
        "contact": (settings["security.contact_rate_limit_per_hour"], HOUR, client()),
        "contact-list": (settings["security.contact_list_limit_per_hour"], HOUR, EVERYONE),
        "api": (settings["interop.rate_limit_per_minute"], 60, client()),
    }


def retry_after(*names: str) -> int:
    """0 if this client may go on (each named limit then counts it), else seconds to wait.

    Several names are checked before any counts, so a refused reveal uses no one's quota.
    """
    rules = _rules()
    shared = counters()
    waits = [shared.wait(name, *rules[name]) for name in names]
    if any(waits):
        return max(waits)
    return max(shared.hit(name, *rules[name]) for name in names)


def in_minutes(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    return f"{minutes} minute{'s' if minutes > 1 else ''}"
