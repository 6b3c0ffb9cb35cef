"""Per-address limits on what a bot or a scraper would repeat: form posts, contact reveals."""
from __future__ import annotations

from flask import Flask, current_app, request

from comobi.ratelimit import RateLimiter

HOUR = 3600


def init_app(app: Flask) -> None:
    settings = app.config["COMOBI"]
    app.extensions["comobi.limits"] = {
        "form": RateLimiter(settings["security.form_rate_limit_per_hour"], HOUR),
        "contact": RateLimiter(settings["security.contact_rate_limit_per_hour"], HOUR),
    }


def retry_after(name: str) -> int:
    """0 if this address may go on (and count it), else seconds to wait."""
    return current_app.extensions["comobi.limits"][name].retry_after(request.remote_addr or "?")


def in_minutes(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    return f"{minutes} minute{'s' if minutes > 1 else ''}"
