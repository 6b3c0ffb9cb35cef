"""The web layer: blueprints, template helpers, error pages in French."""
from __future__ import annotations

import logging

from flask import Flask, current_app, render_template
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from comobi.parsing import format_days, format_time
from comobi.storage import StorageError

log = logging.getLogger(__name__)
csrf = CSRFProtect()

_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre")
_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def init_app(app: Flask) -> None:
    from comobi.interop import api
    from comobi.web import assets, public, submit

    csrf.init_app(app)
    app.register_blueprint(public.bp)
    app.register_blueprint(submit.bp)
    app.register_blueprint(api.blueprint)
    assets.init_app(app)
    app.jinja_env.filters.update(time=format_time, days=format_days, long_date=long_date)
    app.jinja_env.globals.update(page_url=public.page_url)
    app.context_processor(lambda: {"service": service_settings()})
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(StorageError, _storage_error)
    app.register_error_handler(Exception, _unexpected_error)


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


def _http_error(error: HTTPException):
    return render_template("error.html", code=error.code, error=error), error.code


def _csrf_error(error: CSRFError):
    message = ("Le formulaire a expiré ou n'a pas pu être vérifié. Rechargez la page et envoyez-le à "
               "nouveau : ce que vous aviez saisi n'a pas été enregistré.")
    return render_template("error.html", code=400, message=message), 400


def _storage_error(error: StorageError):
    log.error("Tableur inaccessible : %s", error)
    return render_template("error.html", code=503, message=str(error)), 503


def _unexpected_error(error: Exception):
    log.exception("Erreur inattendue")
    return render_template("error.html", code=500), 500
