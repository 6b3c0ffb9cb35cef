"""The web layer: blueprints, template helpers, error pages in French."""
from __future__ import annotations

import logging

from flask import Flask, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from comobi.parsing import format_days, format_time
from comobi.storage import StorageError
from comobi.web.helpers import long_date, service_settings

log = logging.getLogger(__name__)
csrf = CSRFProtect()


def init_app(app: Flask) -> None:
    from comobi import freeze
    from comobi.interop import api
    from comobi.web import (
        assets,
        contact,
        freshness,
        gestion,
        limits,
        links,
        pagecache,
        pages,
        public,
        removal,
        security,
        submit,
        volunteer,
    )

    csrf.init_app(app)
    security.init_app(app)
    limits.init_app(app)
    app.register_blueprint(public.bp)
    app.register_blueprint(submit.bp)
    app.register_blueprint(api.blueprint)
    assets.init_app(app)
    gestion.init_app(app)
    pages.init_app(app)
    freeze.init_app(app)
    app.register_blueprint(contact.bp)
    app.register_blueprint(removal.bp)
    app.register_blueprint(volunteer.bp)
    from comobi import mail

    mail.init_app(app)  # after gestion: its clerk page shares the password guard
    pagecache.init_app(app)
    app.context_processor(freshness.context)
    app.jinja_env.filters.update(time=format_time, days=format_days, long_date=long_date)
    links.init_app(app, page_url=public.page_url)  # the live link policy (the freeze renders with its own)
    app.context_processor(lambda: {"service": service_settings()})
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(StorageError, _storage_error)
    app.register_error_handler(Exception, _unexpected_error)


def _http_error(error: HTTPException):
    body, code = _error_page(error.code, error=error)
    response = current_app.make_response((body, code))
    # RFC 9110: a 405 names the methods the resource allows (werkzeug's own headers).
    for name, value in error.get_headers():
        if name.lower() == "allow":
            response.headers[name] = value
    return response


def _csrf_error(error: CSRFError):
    message = ("Le formulaire a expiré ou n'a pas pu être vérifié. Rechargez la page et envoyez-le à "
               "nouveau : ce que vous aviez saisi n'a pas été enregistré.")
    return _error_page(400, message=message)


def _storage_error(error: StorageError):
    from comobi.web.gestion.auth import signed_in

    log.error("Tableur inaccessible : %s", error)
    # The details (file paths, the service account) are for the clerk, not for every visitor.
    return _error_page(503, message=f"Pour le référent : {error}" if signed_in() else "")


def _unexpected_error(error: Exception):
    log.exception("Erreur inattendue")
    return _error_page(500)


_JSON_MESSAGES = {404: "Introuvable.", 500: "Erreur inattendue, réessayez plus tard.",
                  503: "Service momentanément indisponible, réessayez dans quelques minutes."}


def _error_page(code: int, message: str = "", error=None):
    """The French error page, or for JSON URLs the same in JSON; never a traceback."""
    if request.path.endswith(".json") or request.path.startswith("/api/"):
        text = message or _JSON_MESSAGES.get(code) or (error.description if error else "Erreur.")
        return jsonify({"error": text}), code
    return render_template("error.html", code=code, error=error, message=message), code
