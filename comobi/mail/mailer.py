"""The Mailer: the durable outbox of e-mails and their delivery over SMTP; ``get_mailer()``."""
from __future__ import annotations

import logging
import os
import time

from flask import current_app

from comobi.mail import smtp
from comobi.mail.message import build
from comobi.mail.outbox import Mail, MailOutbox

log = logging.getLogger(__name__)
PASSWORD_VARIABLE = "COMOBI_SMTP_PASSWORD"
HOOK_INTERVAL_SECONDS = 60.0


class Mailer:
    def __init__(self, settings: dict, outbox: MailOutbox, clock=time.time):
        self.settings = settings
        self.outbox = outbox
        self.clock = clock
        self._next_hook = 0.0
        self._down_until = 0.0  # after the server failed: pages only queue, the hook and commands retry

    @property
    def enabled(self) -> bool:
        return bool(self.settings["mail.host"].strip())

    @property
    def clerk_address(self) -> str:
        return (self.settings["mail.to"] or self.settings["service.email"]).strip()

    @property
    def sender(self) -> str:
        return (self.settings["mail.sender"] or self.settings["service.email"]
                or f"ne-pas-repondre@{self.settings['service.domain']}").strip()

    def queue(self, mail: Mail) -> bool:
        """Keep the message safe on disk (False: mail is off, or this event was queued before)."""
        if not self.enabled or not mail.to:
            return False
        return self.outbox.put(mail)

    def deliver(self, force: bool = False) -> int:
        """Send what waits, oldest first; return how many messages went out."""
        if not self.enabled or (not force and self.clock() < self._down_until):
            return 0
        return self.outbox.deliver(self._send_all, force=force)

    def deliver_if_due(self) -> None:
        """For a hook run on requests: looks at the folder at most once a minute."""
        now = self.clock()
        if not self.enabled or now < self._next_hook:
            return
        self._next_hook = now + HOOK_INTERVAL_SECONDS
        if self.outbox.due():
            self.deliver()

    def send_now(self, mail: Mail) -> None:
        """Send one message at once, outside the outbox (flask mail test); SendError if refused."""
        with smtp.session(self.settings, os.environ.get(PASSWORD_VARIABLE, "")) as connection:
            connection.send(self._message(mail))

    def _send_all(self, mails: list[Mail], on_sent, on_failed) -> None:
        handled: set[int] = set()
        try:
            with smtp.session(self.settings, os.environ.get(PASSWORD_VARIABLE, "")) as connection:
                for mail in mails:
                    handled.add(id(mail))
                    try:
                        connection.send(self._message(mail))
                    except smtp.SendError as error:
                        on_failed(mail, str(error), error.temporary, error.whole_server)
                        if error.whole_server:
                            raise
                    else:
                        on_sent(mail)
        except smtp.SendError as error:
            self._down_until = self.clock() + HOOK_INTERVAL_SECONDS
            log.warning("Envoi d'e-mails impossible, messages gardés en attente : %s", error)
            for mail in mails:  # the server is down or refuses us: every message waits its turn
                if id(mail) not in handled:
                    on_failed(mail, str(error), error.temporary, True)
        else:
            self._down_until = 0.0

    def _message(self, mail: Mail):
        return build(mail, self.sender, self.settings["service.name"], reply_to=self.settings["service.email"])

    def status_lines(self) -> list[str]:
        """Plain French for /gestion and flask sheet check."""
        if not self.enabled:
            return ["E-mails : aucun serveur d'envoi configuré (réglage mail.host) : aucun e-mail n'est envoyé "
                    "(ni alertes, ni confirmations, ni rappels)."]
        lines = []
        if not self.settings["service.url"].strip():
            lines.append("E-mails : service.url est vide : les liens des e-mails envoyés par flask notify "
                         "(rappels, alertes) ne mèneront pas au site. Indiquez l'adresse du site en ligne.")
        if not self.clerk_address:
            lines.append("E-mails : aucune adresse pour le référent (mail.to ou service.email) : "
                         "les alertes ne sont pas envoyées.")
        waiting = self.outbox.waiting()
        if waiting:
            lines.append(f"E-mails : {len(waiting)} en attente d'envoi (flask --app app mail send)."
                         + (f" Dernière erreur : {waiting[0].error}" if waiting[0].error else ""))
        for mail in self.outbox.given_up():
            lines.append(f"E-mail abandonné ({mail.why or 'message'}, à {mail.to}, reçu le {mail.queued_at}) : "
                         f"{mail.error}")
        return lines


def get_mailer() -> Mailer:
    return current_app.extensions["comobi.mail"]


def _deliver_waiting_mail() -> None:
    try:
        get_mailer().deliver_if_due()
    except Exception:  # noqa: BLE001 - a page must still show
        log.exception("Envoi des e-mails en attente impossible")
