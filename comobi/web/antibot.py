"""Against bots and double clicks on the forms: a honeypot, a fill time, one use per display.

A refused post is never lost: the form comes back filled in, with a polite message, and
the person only has to send it again. Each display of a form carries a stamp signed with
the app's secret key: when it was shown and a random nonce. The fill time is measured
from it, and the nonce is consumed (in the counters every worker shares) by the post
that writes the row: the same stamp sent again (double click, refresh, back button, a bot
replaying it) writes nothing and gets the first post's confirmation.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from wtforms import HiddenField, StringField

from comobi.web import limits

now = time.time  # replaced in tests

STAMP_LIFETIME_S = 7 * 24 * 3600  # a form left open longer gets a new stamp (and nothing is lost)
ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # as rows.new_id: no 0/O, 1/I

TOO_FAST = ("Le formulaire a été envoyé très vite, comme le ferait un robot. Vérifiez vos réponses puis "
            "cliquez à nouveau sur le bouton d'envoi : rien n'a été perdu.")
TOO_OLD = ("Ce formulaire était ouvert depuis plusieurs jours. Vérifiez vos réponses puis cliquez à nouveau "
           "sur le bouton d'envoi : rien n'a été perdu.")
TRAP_FILLED = ("Le champ « Ne pas remplir » ne doit pas être rempli (seuls les robots le remplissent). "
               "Nous l'avons vidé : vérifiez vos réponses puis envoyez à nouveau le formulaire.")
TOO_MANY = ("Beaucoup de formulaires ont été envoyés depuis votre connexion en peu de temps. "
            "Réessayez dans {wait}, ou appelez le service au {phone} : rien n'a été perdu, "
            "vos réponses sont ci-dessous.")


class BotTrap:
    """Fields every public form carries (mix into a FlaskForm)."""

    site_web = StringField("Ne pas remplir", render_kw={"tabindex": "-1", "autocomplete": "off"})
    started = HiddenField()


@dataclass(frozen=True)
class Refusal:
    message: str
    status: int


@dataclass(frozen=True)
class Stamp:
    shown_at: int
    nonce: str

    def record_id(self, prefix: str) -> str:
        """The ID of the row this display may write: the same for every resend of the form."""
        key = str(current_app.config["SECRET_KEY"]).encode()
        digest = hmac.new(key, f"{prefix}/{self.nonce}".encode(), hashlib.sha256).digest()
        return prefix + "".join(ID_ALPHABET[b % len(ID_ALPHABET)] for b in digest[:6])


def prepare(form: BotTrap) -> None:
    """Before showing the form: stamp it, keeping a valid unused stamp (time already spent counts)."""
    stamp = read_stamp(form)
    if stamp is None or limits.counters().used(stamp.nonce):
        shown_at = stamp.shown_at if stamp else int(now())
        form.started.data = _serializer().dumps({"t": shown_at, "n": secrets.token_hex(12)})


def refusal(form: BotTrap, count: bool = True) -> Refusal | None:
    """Why this valid-looking post is refused, or None.

    With ``count``, the post is also counted against the client's hourly form limit;
    ``submit.public_form`` counts it itself, after making sure it is not a resend.
    """
    if (form.site_web.data or "").strip():
        form.site_web.data = ""
        return Refusal(TRAP_FILLED, 422)
    minimum = current_app.config["COMOBI"]["security.min_fill_seconds"]
    stamp = read_stamp(form)
    if minimum > 0 and (stamp is None or now() - stamp.shown_at < minimum):
        return Refusal(TOO_FAST, 422)
    if stamp and now() - stamp.shown_at > STAMP_LIFETIME_S:
        form.started.data = ""
        return Refusal(TOO_OLD, 422)
    return rate_refusal() if count else None


def first_use(stamp: Stamp | None) -> bool:
    """Consume the stamp: True for the first post that sends it (or a post without one)."""
    if stamp is None:
        return True
    return limits.counters().first_use(stamp.nonce, STAMP_LIFETIME_S * 2)


def write_once(form: BotTrap, prefix: str, write: Callable[[dict[str, str]], str]) -> tuple[str | None, bool]:
    """Write at most one row for this display of ``form`` (the clerk's forms; the public ones
    go through ``submit.public_form``, which also counts the post against the hourly limit).

    ``write(fixed)`` adds ``fixed`` (the row's ID, when the form carries a stamp) to its values
    and returns the row's ID. Returns (that ID, whether it was written now): a resend of the
    same display (double click, refresh) writes nothing and gets the first post's ID.
    """
    stamp = read_stamp(form)
    record_id = stamp.record_id(prefix) if stamp else None
    if not first_use(stamp):
        return record_id, False
    try:
        return write({"id": record_id} if record_id else {}), True
    except Exception:
        release(stamp)  # nothing kept: the same form may be sent again
        raise


def release(stamp: Stamp | None) -> None:
    """The post was refused after all (too many): the same display may be sent again."""
    if stamp is not None:
        limits.counters().unuse(stamp.nonce)


def rate_refusal() -> Refusal | None:
    """Counts this post against the client's hourly form limit."""
    wait = limits.retry_after("form")
    if not wait:
        return None
    phone = current_app.config["COMOBI"]["service.phone"]
    return Refusal(TOO_MANY.format(wait=limits.in_minutes(wait), phone=phone), 429)


def read_stamp(form: BotTrap) -> Stamp | None:
    token = form.started.data
    if not token:
        return None
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    if not (isinstance(value, dict) and isinstance(value.get("t"), int) and isinstance(value.get("n"), str)):
        return None
    return Stamp(value["t"], value["n"])


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="comobi-form-stamp")
