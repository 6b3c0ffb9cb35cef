"""Private links. Pure: no I/O.

- A row's own link (a driver's trip page, a passenger's cancel page) carries a random
  token of 192 bits; the sheet keeps only its SHA-256 hash (column « Jeton »), so a
  copy of the sheet opens nothing, and sending the links again makes new ones.
- A driver's answer to one request (Oui / Non) is signed with the app's secret key:
  it names the request, the trip, the answer, its day of issue and a nonce, so it
  cannot be turned into another, and it expires after ``mail.answer_days``.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from itsdangerous import BadSignature, URLSafeSerializer

TOKEN_BYTES = 24  # 192 bits
HASH_PREFIX = "sha256:"


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hashed(token: str) -> str:
    return HASH_PREFIX + hashlib.sha256(token.encode("utf-8")).hexdigest()


def holds(stored_hash: str, token: str) -> bool:
    """Whether a row's « Jeton » cell stands for this token (in constant time)."""
    if not stored_hash.startswith(HASH_PREFIX) or not token or len(token) > 100:
        return False
    return hmac.compare_digest(stored_hash.strip(), hashed(token))


def find(items, token: str):
    """The item (trip, request) whose token hash matches, or None."""
    return next((item for item in items if holds(item.token, token)), None)


@dataclass(frozen=True)
class Answer:
    request_id: str
    trip_id: str
    yes: bool
    issued: date
    nonce: str

    def expired(self, today: date, days: int) -> bool:
        return today > self.issued + timedelta(days=days)


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt="comobi-answer", signer_kwargs={"digest_method": hashlib.sha256})


def answer_tokens(secret: str, request_id: str, trip_id: str, today: date) -> tuple[str, str]:
    """The « Oui » and « Non » tokens of one question to one driver."""
    nonce = secrets.token_urlsafe(12)
    make = _serializer(secret).dumps
    return tuple(make([request_id, trip_id, yes, today.isoformat(), nonce]) for yes in (True, False))


def read_answer(secret: str, token: str) -> Answer | None:
    """The answer a token carries, or None if it was not made by us (or was altered)."""
    try:
        request_id, trip_id, yes, issued, nonce = _serializer(secret).loads(token)
        return Answer(str(request_id), str(trip_id), bool(yes), date.fromisoformat(issued), str(nonce))
    except (BadSignature, ValueError, TypeError):
        return None
