"""The clerk's workspace under /gestion: phone intake, matching drivers, follow-up, figures.

Everything here shows contact details, so every view sits behind the password
(``auth.guard`` runs before each of them) and no response is cached.
"""
from __future__ import annotations

import os

from flask import Flask

from comobi.web.gestion.blueprint import bp


def init_app(app: Flask) -> None:
    from comobi.web.gestion import (  # noqa: F401  (views register routes)  # noqa: F401  (solidarity transport)
        auth,
        bilan,
        cli,
        missing,
        papers,
        rides,
        views,
        volunteers,
        workbook_notice,  # noqa: F401  (registers its context processor)
    )

    app.config.setdefault("COMOBI_ADMIN_PASSWORD", os.environ.get("COMOBI_ADMIN_PASSWORD", ""))
    app.register_blueprint(bp)
    app.cli.add_command(cli.admin_cli)
