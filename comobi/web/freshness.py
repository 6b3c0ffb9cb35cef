"""A discreet note on pages served from older data while the sheet does not answer."""
from __future__ import annotations

from datetime import datetime

from flask import g

from comobi.models import Board


def stale_note(board: Board | None, now: datetime) -> str:
    """"Liste mise à jour il y a 12 minutes" when the board is stale, else ""."""
    if board is None or not board.stale_reason or board.read_at is None:
        return ""
    return f"Liste mise à jour {_ago(now - board.read_at)}."


def _ago(delta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return "il y a moins d'une minute"
    if minutes < 60:
        return f"il y a {minutes} minute{'s' if minutes > 1 else ''}"
    hours = minutes // 60
    if hours < 48:
        return f"il y a {hours} heure{'s' if hours > 1 else ''}"
    return f"il y a {hours // 24} jours"


def context() -> dict:
    """For templates: ``stale_note``, from the board this request read, if any."""
    return {"stale_note": stale_note(g.get("board"), datetime.now())}
