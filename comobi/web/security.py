"""Strict security headers on every response, safe cookies, the real client address, known hosts.

The Content-Security-Policy allows no inline script or style: templates link to files
only (the brand colour comes from ``/brand.css``), so an injected ``<script>`` would not
run even if escaping ever failed.

``X-Forwarded-For/-Proto/-Host`` are believed only when ``security.trusted_proxies`` says
a proxy is there AND the direct peer is that proxy: the machine itself (loopback) or an
address of ``security.proxy_addresses``. Anyone else's forwarded headers are dropped.
With ``service.url`` set, only its host (plus ``security.allowed_hosts`` and localhost) is
served: a forged ``Host`` gets a 400 and never reaches a page or a link.
"""
from __future__ import annotations

import io
import ipaddress
from urllib.parse import urlsplit

from flask import Flask, current_app, request, url_for
from flask.json.provider import DefaultJSONProvider
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from comobi.settings import EXAMPLE_FILE

MAX_BODY_BYTES = 64 * 1024  # the longest form is a few KB; larger bodies get a 413 before being read
LOCAL_HOSTS = ["localhost", "127.0.0.1", "::1"]
FORWARDED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT",
             "HTTP_X_FORWARDED_PREFIX", "HTTP_FORWARDED")

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: https:",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
])
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000"  # one year; no includeSubDomains: a town hall's other sites may lag


def init_app(app: Flask) -> None:
    settings = app.config["COMOBI"]
    app.wsgi_app = BodyLimit(app.wsgi_app, MAX_BODY_BYTES)
    hosts = trusted_hosts(settings)
    if hosts:
        app.wsgi_app = KnownHosts(app.wsgi_app, hosts)
    app.wsgi_app = TrustedProxies(app.wsgi_app, settings["security.trusted_proxies"],
                                  settings["security.proxy_addresses"])
    app.config["MAX_CONTENT_LENGTH"] = app.config.get("MAX_CONTENT_LENGTH") or MAX_BODY_BYTES
    app.config["MAX_FORM_MEMORY_SIZE"] = MAX_BODY_BYTES
    # The demo (no instance.toml) is tried over plain http on one's own machine.
    demo = settings["_file"] == str(EXAMPLE_FILE)
    secure = settings["security.secure_cookies"] and not (app.debug or app.testing or demo)
    # Flask's defaults are False/None: only strengthen them, never weaken a given value.
    app.config["SESSION_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"] or secure
    app.config["SESSION_COOKIE_SAMESITE"] = app.config["SESSION_COOKIE_SAMESITE"] or "Lax"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.after_request(add_security_headers)
    app.json = HtmlSafeJSONProvider(app)


def external_url(endpoint: str, **values) -> str:
    """An absolute link: on ``service.url`` when it is set, never on what a request's Host says."""
    base = current_app.config["COMOBI"]["service.url"].rstrip("/")
    if not base:
        return url_for(endpoint, _external=True, **values)
    return base + url_for(endpoint, **values)[len(request.script_root):]


def trusted_hosts(settings: dict) -> list[str] | None:
    """The host names served, or None (any) when the public address is unknown (demo, tests)."""
    public = urlsplit(settings["service.url"]).hostname if settings["service.url"] else None
    if not public:
        return None
    return [public, *settings["security.allowed_hosts"], *LOCAL_HOSTS]


class BodyLimit:
    """A body sent without a length (chunked) is read up to the limit, never further.

    Past the limit, the app sees an empty body announced as too long, so it answers its own
    413 page (werkzeug refuses a too-long declared body before reading it).
    """

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    def __call__(self, environ, start_response):
        if not environ.get("CONTENT_LENGTH") and environ.get("wsgi.input_terminated"):
            body = environ["wsgi.input"].read(self.limit + 1)
            environ["CONTENT_LENGTH"] = str(len(body))
            environ["wsgi.input"] = io.BytesIO(b"" if len(body) > self.limit else body)
            environ.pop("wsgi.input_terminated")
            environ.pop("HTTP_TRANSFER_ENCODING", None)  # else werkzeug ignores the length set here
        return self.app(environ, start_response)


def host_name(host: str) -> str | None:
    """``Covoit.example.fr:443`` -> ``covoit.example.fr``, ``[::1]:5000`` -> ``::1``; None if unreadable."""
    try:
        return urlsplit(f"//{host}").hostname
    except ValueError:
        return None


class KnownHosts:
    """A request for another host gets a plain 400 before the app (Flask could not even build a link)."""

    PAGE = ("<!doctype html><html lang=\"fr\"><meta charset=\"utf-8\"><title>Adresse inconnue</title>"
            "<h1>Adresse inconnue</h1><p>Ce site ne répond pas à cette adresse. Vérifiez l'adresse tapée.</p></html>")

    def __init__(self, app, hosts: list[str]):
        self.app, self.hosts = app, {h.lower().strip("[]") for h in hosts}

    def __call__(self, environ, start_response):
        if host_name(environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")) not in self.hosts:
            response = Response(self.PAGE, 400, content_type="text/html; charset=utf-8", headers=HEADERS)
            return response(environ, start_response)
        return self.app(environ, start_response)


class TrustedProxies:
    """ProxyFix, applied only to requests whose direct peer is a configured proxy."""

    def __init__(self, app, proxies: int, addresses: list[str]):
        self.app = app
        self.proxied = ProxyFix(app, x_for=proxies, x_proto=proxies, x_host=proxies) if proxies > 0 else None
        self.networks = [ipaddress.ip_network(a, strict=False) for a in addresses]

    def __call__(self, environ, start_response):
        if self.proxied is not None and self.is_proxy(environ.get("REMOTE_ADDR", "")):
            return self.proxied(environ, start_response)
        for name in FORWARDED:
            environ.pop(name, None)
        return self.app(environ, start_response)

    def is_proxy(self, peer: str) -> bool:
        try:
            ip = ipaddress.ip_address(peer)
        except ValueError:
            return False
        if ip.version == 6 and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        return ip.is_loopback or any(ip in network for network in self.networks)


class HtmlSafeJSONProvider(DefaultJSONProvider):
    """JSON whose text holds no ``<``, ``>`` or ``&``: still the same data for any JSON reader,
    but inert if a browser or a careless page ever treats it as HTML."""

    def dumps(self, obj, **kwargs) -> str:
        text = super().dumps(obj, **kwargs)
        for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
            text = text.replace(char, escape)
        return text


def private_headers(response):
    """A page with someone's details (/gestion, private links): never stored by a cache or
    indexed, and its address (which may hold a token) never sent on as the referrer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def add_security_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response
