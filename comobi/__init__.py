"""Covoiturage solidaire: a trip board whose database is a spreadsheet."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from comobi import settings as settings_module
from comobi.first_start import create_once, write_private
from comobi.settings import PROJECT_ROOT


def create_app(test_config: dict | None = None) -> Flask:
    """The app factory. ``test_config`` overrides settings ("sheet.path") and Flask config."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(PROJECT_ROOT / "instance"),
    )
    overrides = dict(test_config or {})
    settings = settings_module.load()
    settings.update({k: v for k, v in overrides.items() if "." in k})
    app.config["COMOBI"] = settings
    app.config.update({k: v for k, v in overrides.items() if "." not in k})
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY") or _secret_key(Path(app.instance_path))
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # no time limit on filling a form

    from comobi import storage
    from comobi.web import init_app as init_web

    storage.init_app(app)
    init_web(app)
    return app


def _secret_key(folder: Path) -> str:
    """A key made once per instance and kept in instance/, so no one has to invent one;
    made once whatever the number of workers starting together (comobi/first_start.py)."""
    path = folder / "secret_key"
    create_once(path, lambda temporary: write_private(temporary, secrets.token_hex(32)))
    return path.read_text().strip()
