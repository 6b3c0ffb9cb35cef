"""E-mail: the service reaches out. Messages wait in a durable outbox and go out over SMTP.

``init_app`` sets up the ``Mailer`` (``get_mailer()``), the ``flask mail`` and
``flask notify`` commands, the private pages and a hook that retries waiting mail on
later requests. Without ``mail.host`` nothing is queued or sent.
"""
from __future__ import annotations

from flask import Flask

from comobi.mail.mailer import HOOK_INTERVAL_SECONDS, PASSWORD_VARIABLE, Mailer, _deliver_waiting_mail, get_mailer  # noqa: F401
from comobi.mail.outbox import MailOutbox


def init_app(app: Flask) -> None:
    from comobi.mail import cli, views
    from comobi.storage import project_path

    settings = app.config["COMOBI"]
    app.extensions["comobi.mail"] = Mailer(settings, MailOutbox(project_path(settings["mail.path"])))
    app.register_blueprint(views.bp)
    app.before_request(_deliver_waiting_mail)
    app.cli.add_command(cli.mail_cli)
    app.cli.add_command(cli.notify_command)
    views.init_app(app)
