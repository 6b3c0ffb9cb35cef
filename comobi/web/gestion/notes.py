"""A note added to a request's Notes cell, with when it was written."""
from __future__ import annotations

from comobi import rows


def dated(note: str) -> str:
    return f"{rows.timestamp()} : {note}"
