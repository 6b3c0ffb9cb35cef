"""Strict security headers on every response, safe cookies, and the real client address.

The Content-Security-Policy allows no inline script or style: templates link to files
only (the brand colour comes from ``/brand.css``), so an injected ``<script>`` would not
run even if escaping ever failed.
"""
from __future__ import annotations

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.middleware.proxy_fix import ProxyFix

from comobi.settings import EXAMPLE_FILE

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
    proxies = settings["security.trusted_proxies"]
    if proxies > 0:  # behind Caddy/nginx: the client's address and scheme come from their headers
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    # The demo (no instance.toml) is tried over plain http on one's own machine.
    demo = settings["_file"] == str(EXAMPLE_FILE)
    secure = settings["security.secure_cookies"] and not (app.debug or app.testing or demo)
    # Flask's defaults are False/None: only strengthen them, never weaken a given value.
    app.config["SESSION_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"] or secure
    app.config["SESSION_COOKIE_SAMESITE"] = app.config["SESSION_COOKIE_SAMESITE"] or "Lax"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.after_request(add_security_headers)
    app.json = HtmlSafeJSONProvider(app)


class HtmlSafeJSONProvider(DefaultJSONProvider):
    """JSON whose text holds no ``<``, ``>`` or ``&``: still the same data for any JSON reader,
    but inert if a browser or a careless page ever treats it as HTML."""

    def dumps(self, obj, **kwargs) -> str:
        text = super().dumps(obj, **kwargs)
        for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
            text = text.replace(char, escape)
        return text


def add_security_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response
