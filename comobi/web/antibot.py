"""Against bots on the public forms: a honeypot field, a minimum fill time, a rate limit.

A refused post is never lost: the form comes back filled in, with a polite message, and
the person only has to send it again. The fill time is measured from a timestamp signed
with the app's secret key, put in the form when it is shown.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from wtforms import HiddenField, StringField

from comobi.web import limits

now = time.time  # replaced in tests

TOO_FAST = ("Le formulaire a été envoyé très vite, comme le ferait un robot. Vérifiez vos réponses puis "
            "cliquez à nouveau sur le bouton d'envoi : rien n'a été perdu.")
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


def prepare(form: BotTrap) -> None:
    """Before showing the form: stamp it, keeping a valid earlier stamp (time already spent counts)."""
    if _started_at(form.started.data) is None:
        form.started.data = _serializer().dumps(int(now()))


def refusal(form: BotTrap) -> Refusal | None:
    """Why this valid-looking post is refused, or None. Counts it against the address's limit."""
    if (form.site_web.data or "").strip():
        form.site_web.data = ""
        return Refusal(TRAP_FILLED, 422)
    minimum = current_app.config["COMOBI"]["security.min_fill_seconds"]
    started = _started_at(form.started.data)
    if minimum > 0 and (started is None or now() - started < minimum):
        return Refusal(TOO_FAST, 422)
    wait = limits.retry_after("form")
    if wait:
        phone = current_app.config["COMOBI"]["service.phone"]
        return Refusal(TOO_MANY.format(wait=limits.in_minutes(wait), phone=phone), 429)
    return None


def _started_at(token: str | None) -> int | None:
    if not token:
        return None
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="comobi-form-started")
