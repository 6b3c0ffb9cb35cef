"""Talking to the SMTP server with smtplib, and saying in plain French what went wrong."""
from __future__ import annotations

import smtplib
import socket
import ssl
from contextlib import contextmanager
from email.message import EmailMessage

TIMEOUT_SECONDS = 10.0


class SendError(Exception):
    """A message was not accepted. ``str()`` is plain French; ``temporary`` says whether
    trying again later may work (server down, 4xx answers, settings to fix)."""

    def __init__(self, message: str, temporary: bool = True, whole_server: bool = True):
        super().__init__(message)
        self.temporary = temporary
        self.whole_server = whole_server  # False: only this message was refused


@contextmanager
def session(settings: dict, password: str, timeout: float = TIMEOUT_SECONDS):
    """An open, logged-in connection to the configured server; SendError otherwise."""
    host, port, security = settings["mail.host"], int(settings["mail.port"]), settings["mail.security"]
    try:
        if security == "ssl":
            client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(host, port, timeout=timeout)
    except Exception as error:  # noqa: BLE001 - every failure becomes a French sentence
        raise explain(error, host=host, port=port) from error
    try:
        if security == "starttls":
            try:
                client.starttls(context=ssl.create_default_context())
            except (smtplib.SMTPException, ssl.SSLError) as error:
                raise _tls_refused(host, port) from error
            except Exception as error:  # noqa: BLE001
                raise explain(error, host=host, port=port) from error
        if settings["mail.username"]:
            try:
                client.login(settings["mail.username"], password)
            except smtplib.SMTPNotSupportedError as error:
                raise SendError(f"{host}:{port} ne propose pas de connexion par identifiant : laissez mail.username "
                                "vide, ou choisissez mail.security = « starttls » ou « ssl ».") from error
            except Exception as error:  # noqa: BLE001
                raise explain(error, host=host, port=port) from error
        yield Connection(client, host, port)
    finally:
        try:
            client.quit()
        except Exception:  # noqa: BLE001 - the server may already be gone
            client.close()


class Connection:
    def __init__(self, client: smtplib.SMTP, host: str, port: int):
        self.client, self.host, self.port = client, host, port

    def send(self, message: EmailMessage) -> None:
        try:
            refused = self.client.send_message(message)
        except Exception as error:  # noqa: BLE001
            raise explain(error, host=self.host, port=self.port) from error
        if refused:
            code = next(iter(refused.values()))[0]
            raise SendError(f"destinataire refusé par le serveur ({code}).", temporary=400 <= code < 500,
                            whole_server=False)


def explain(error: Exception, host: str = "", port: int = 0) -> SendError:
    """A SendError in plain French for any failure of smtplib, ssl or the network."""
    where = f"{host}:{port}" if host else "le serveur"
    if isinstance(error, SendError):
        return error
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return SendError(f"connexion refusée par {where} : identifiant (mail.username) ou mot de passe "
                         "(variable COMOBI_SMTP_PASSWORD) incorrect.")
    if isinstance(error, ssl.SSLError):
        return _tls_refused(host, port)
    if isinstance(error, smtplib.SMTPSenderRefused):
        return SendError(f"adresse d'expédition (mail.sender) refusée par {where} ({error.smtp_code}) : "
                         "utilisez une adresse que ce serveur accepte d'envoyer.", temporary=error.smtp_code < 500)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        temporary = all(400 <= code < 500 for code in codes)
        return SendError(f"destinataire refusé par {where} ({', '.join(map(str, codes))}).", temporary=temporary,
                         whole_server=False)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return SendError(f"{where} a coupé la connexion : réessai plus tard.")
    if isinstance(error, smtplib.SMTPResponseException):
        code = error.smtp_code
        return SendError(f"{where} a répondu {code} : {_text(error.smtp_error)}", temporary=code < 500,
                         whole_server=code < 500)
    if isinstance(error, socket.gaierror):
        return SendError(f"serveur « {host} » introuvable : vérifiez mail.host.")
    if isinstance(error, (ConnectionError, TimeoutError, socket.timeout, OSError)):
        return SendError(f"serveur injoignable ({where}) : il est arrêté, ou l'adresse ou le port est faux.")
    return SendError(f"échec inattendu de l'envoi ({type(error).__name__}).")


def _tls_refused(host: str, port: int) -> SendError:
    return SendError(f"chiffrement TLS refusé par {host}:{port} : vérifiez mail.security (« starttls » pour le "
                     "port 587, « ssl » pour le port 465) et le port.")


def _text(raw) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
