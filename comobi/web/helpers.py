"""Template helpers shared by the blueprints: the instance's settings by section, French dates.
Below ``comobi.web`` so that blueprints need not import the package that registers them."""
from __future__ import annotations

from flask import current_app

_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre")
_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def service_settings() -> dict:
    """The instance's settings by section, for templates: service.name, branding.color..."""
    sections: dict[str, dict] = {}
    for key, value in current_app.config["COMOBI"].items():
        section, _, name = key.partition(".")
        if name:
            sections.setdefault(section, {})[name] = value
    return sections


def long_date(value) -> str:
    return f"{_WEEKDAYS[value.weekday()]} {value.day} {_MONTHS[value.month - 1]} {value.year}"
