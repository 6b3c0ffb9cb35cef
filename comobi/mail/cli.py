"""``flask mail test ADRESSE``, ``flask mail send`` and ``flask notify``, in French."""
from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from comobi.flush_command import flush_now
from comobi.mail import smtp
from comobi.mail.mailer import get_mailer
from comobi.mail.message import render

mail_cli = AppGroup("mail", help="Les e-mails : essai du serveur, envoi de ce qui attend.")


def _context():
    """A request context, so that templates and url_for work; links go to service.url
    (``outreach.link``), else to this placeholder, which ``sheet check`` warns about."""
    return current_app.test_request_context("/", base_url="http://localhost/")


def _require_server():
    if not get_mailer().enabled:
        raise click.ClickException("Aucun serveur d'envoi configuré : renseignez mail.host (section [mail] du "
                                   "fichier de configuration). Aucun e-mail n'est envoyé.")


@mail_cli.command("test")
@click.argument("address")
def test_command(address: str):
    """Envoie un e-mail d'essai à ADRESSE et explique un échec en clair."""
    _require_server()
    settings = current_app.config["COMOBI"]
    click.echo(f"Serveur : {settings['mail.host']}:{settings['mail.port']} ({settings['mail.security']}), "
               f"expéditeur {get_mailer().sender}")
    with _context():
        mail = render("test", "test", address, "essai")
    try:
        get_mailer().send_now(mail)
    except smtp.SendError as error:
        raise click.ClickException(f"Échec de l'envoi : {error}") from error
    click.echo(f"E-mail d'essai envoyé à {address}. S'il n'arrive pas, regardez dans les indésirables.")


@mail_cli.command("send")
def send_command():
    """Envoie maintenant les e-mails en attente."""
    _require_server()
    mailer = get_mailer()
    flush_now(bool(mailer.outbox.waiting()), lambda: mailer.deliver(force=True), "Aucun e-mail en attente.",
              "{} e-mail(s) envoyé(s).", _echo_status)


@click.command("notify")
@with_appcontext
def notify_command():
    """Chaque jour : rappels aux conducteurs, alertes, récapitulatif, e-mails en attente."""
    from comobi.mail import daily
    from comobi.storage.port import StorageError

    _require_server()
    today = current_app.extensions.get("comobi.today", date.today)()
    try:
        with _context():
            report = daily.run(today)
    except StorageError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Rappels « toujours d'actualité ? » : {report.reminders}.")
    click.echo(f"Alertes « un trajet passe par là » : {report.alerts}.")
    if current_app.config["COMOBI"]["mail.digest"]:
        click.echo(f"Récapitulatif : {report.digest} nouveauté(s).")
    click.echo(f"E-mails envoyés : {report.sent}.")
    for trip in report.expired:
        click.echo(f"Trajet {trip.id} (ligne {trip.row}) plus affiché : non confirmé après le rappel du "
                   f"{trip.reminded:%d/%m/%Y}.")
    for problem in report.problems:
        click.echo(f"Attention : {problem}")
    if _echo_status():
        raise SystemExit(1)


def _echo_status() -> int:
    """Waiting and given-up mail; how many lines were printed."""
    mailer = get_mailer()
    lines = [line for line in mailer.status_lines() if "attente" in line or "abandonné" in line]
    for line in lines:
        click.echo(line)
    return len(lines)
