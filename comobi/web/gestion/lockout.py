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


def _counts() -> list[tuple[str, int, str]]:
    """(limit name, failures allowed, whom it counts) for this request."""
    client = limits.client()
    counts = [("login-browser", PER_BROWSER, f"{client}/{browser_id()}")]
    device = known_device()
    if device:
        counts.append(("login-device", PER_BROWSER, device))
    else:
        counts.append(("login-address", PER_ADDRESS, client))
    return counts


def wait_seconds() -> int:
    """0 when this browser may try a password, else seconds until it may."""
    shared = limits.counters()
    return max(shared.wait(name, amount, WINDOW_S, who) for name, amount, who in _counts())


def failed() -> None:
    """Count a wrong password everywhere it counts (the address too, even for a known browser)."""
    shared = limits.counters()
    client = limits.client()
    counts = dict.fromkeys(_counts() + [("login-address", PER_ADDRESS, client)])
    for name, amount, who in counts:
        shared.hit(name, amount, WINDOW_S, who)
    if wait_seconds():
        current_app.logger.warning("/gestion : connexion bloquée %d min après des mots de passe faux, adresse %s",
                                   WINDOW_S // 60, client)


def succeeded(response) -> None:
    """This browser's failures are forgiven, and it is known from now on."""
    shared = limits.counters()
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
