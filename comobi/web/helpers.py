"""Template helpers shared by the blueprints: the instance's settings by section, French dates.
Below ``comobi.web`` so that blueprints need not import the package that registers them."""
from __future__ import annotations

from flask import current_app

from comobi.french_dates import long_date

__all__ = ["long_date", "service_settings"]  # long_date: the template filter, from comobi.french_dates



def service_settings() -> dict:
    """The instance's settings by section, for templates: service.name, branding.color..."""
    sections: dict[str, dict] = {}
    for key, value in current_app.config["COMOBI"].items():
        section, _, name = key.partition(".")
        if name:
            sections.setdefault(section, {})[name] = value
    return sections
