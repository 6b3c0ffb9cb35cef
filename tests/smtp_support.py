"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives.

``smtp`` fixture: ``SmtpServer`` started on a free port (bound as port 0), stopped at
the end; ``stop()`` and ``start()`` again on the same port stand for an outage.
"""
from __future__ import annotations

import email
import re
import threading
from email.message import EmailMessage
from email.policy import default

import pytest
from aiosmtpd.controller import Controller

LINK = re.compile(r"https?://[^\s/]+(/\S+)")


class _Controller(Controller):
    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]  # the port the system chose for port 0
        super()._trigger_server()


class SmtpServer:
    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.port = 0
        self._controller: _Controller | None = None
        self._lock = threading.Lock()
        self.refuse: str = ""  # an SMTP answer given to DATA instead of accepting ("451 ...")
        self.refuse_sender: str = ""  # the same for MAIL FROM
        self.refuse_recipients: dict[str, str] = {}  # address -> answer to RCPT TO
        self.password: str | None = None  # set: AUTH is required, with this password

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.refuse_sender:
            return self.refuse_sender
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse_recipients:
            return self.refuse_recipients[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return self.refuse
        with self._lock:
            self.messages.append(email.message_from_bytes(envelope.content, policy=default))
        return "250 OK"

    def start(self) -> "SmtpServer":
        auth = {}
        if self.password is not None:
            auth = {"authenticator": self._authenticate, "auth_required": True, "auth_require_tls": False}
        self._controller = _Controller(self, hostname="127.0.0.1", port=self.port, **auth)
        self._controller.start()
        self.port = self._controller.port
        return self

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult

        return AuthResult(success=auth_data.password.decode() == self.password, handled=False)

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def settings(self) -> dict:
        """Settings of an app that sends through this server."""
        return {"mail.host": "127.0.0.1", "mail.port": self.port, "mail.security": "none",
                "mail.sender": "covoiturage@example.fr", "mail.to": "referente@example.fr"}

    def to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [m for m in self.messages if m["To"] == address]


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def links(message: EmailMessage) -> list[str]:
    """The paths of the addresses in a message's text part."""
    return LINK.findall(text_of(message))


def link_to(message: EmailMessage, prefix: str) -> str:
    return next(path for path in links(message) if path.startswith(prefix))


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()
