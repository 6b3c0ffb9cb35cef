"""Failed logins to /gestion, counted in the counters every worker shares.

A browser (its session) is locked out after ``PER_BROWSER`` wrong passwords in
``WINDOW_S``; an address (IPv4, or IPv6 /64) after ``PER_ADDRESS``, so dropping cookies
does not give an attacker more tries. A browser that has logged in before carries a
signed long-lived cookie (``DEVICE_COOKIE``): the address lock-out does not stop it (the
clerk on a town hall's shared connection gets in while someone else is locked out), only
its own count of failures does.
"""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app, request, session
from itsdangerous import BadSignature, URLSafeTimedSerializer

from comobi.web import limits

WINDOW_S = 15 * 60
PER_BROWSER = 5
PER_ADDRESS = 20
DEVICE_COOKIE = "comobi_poste"
DEVICE_DAYS = 400
BROWSER_KEY = "navigateur"


def browser_id() -> str:
    """A random id for this browser's session, made on its first visit of the login page."""
    if not isinstance(session.get(BROWSER_KEY), str):
        session[BROWSER_KEY] = secrets.token_hex(8)
    return session[BROWSER_KEY]


def known_device() -> str | None:
    """The id of this browser if it logged in here before (signed cookie), else None."""
    token = request.cookies.get(DEVICE_COOKIE, "")
    try:
        value = _devices().loads(token, max_age=DEVICE_DAYS * 86400) if token else None
    except BadSignature:
        return None
    return value if isinstance(value, str) else None


def _gates() -> list[tuple[str, int, str]]:
    """(limit name, tries allowed, whom it counts) that may stop this browser."""
    client = limits.client()
    gates = [("login-browser", PER_BROWSER, f"{client}/{browser_id()}")]
    device = known_device()
    if device:
        gates.append(("login-device", PER_BROWSER, device))
    else:
        gates.append(("login-address", PER_ADDRESS, client))
    return gates


def attempt() -> int:
    """Count this password try before it is checked (so tries sent at once are counted too).

    0 when it may be checked, else seconds until this browser may try again. The address
    counts every try, even a known browser's; ``succeeded`` gives a right one back.
    """
    shared = limits.counters()
    client = limits.client()
    counted = dict.fromkeys(_gates() + [("login-address", PER_ADDRESS, client)])
    waits = {name: shared.hit(name, amount, WINDOW_S, who) for name, amount, who in counted}
    wait = max(waits[name] for name, _, _ in _gates())
    if wait:
        current_app.logger.warning("/gestion : connexion bloquée (trop de mots de passe faux) pour %s, "
                                   "encore %d s", client, wait)
    return wait


def succeeded(response) -> None:
    """This browser's failures are forgiven, and it is known from now on."""
    shared = limits.counters()
    shared.give_back("login-address", PER_ADDRESS, WINDOW_S, limits.client())
    shared.forget("login-browser", PER_BROWSER, WINDOW_S, f"{limits.client()}/{browser_id()}")
    device = known_device() or secrets.token_hex(12)
    shared.forget("login-device", PER_BROWSER, WINDOW_S, device)
    config = current_app.config
    response.set_cookie(DEVICE_COOKIE, _devices().dumps(device), max_age=DEVICE_DAYS * 86400,
                        path=request.script_root + "/gestion", secure=config["SESSION_COOKIE_SECURE"],
                        httponly=True, samesite="Lax")


def blocked_message(seconds: int) -> str:
    until = (datetime.now() + timedelta(seconds=seconds)).strftime("%H:%M")
    return (f"Le mot de passe a été refusé trop de fois depuis cet appareil ou cette connexion. "
            f"Réessayez à partir de {until} (dans {limits.in_minutes(seconds)}).")


def _devices() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="comobi-gestion-device")
