"""The durable mail queue: one JSON file per message, sent oldest first, never twice.

Like the row outbox (``comobi/storage/outbox.py``, whose lock it shares the design of),
a message is written to disk (fsync) before the page thanks anyone. Each message stands
for one event ("confirmation of T7K2QF", "reminder of T7K2QF for 01/03/2026"): once sent,
the event is noted in ``sent/`` and never queued again. While the server is down or
answers 4xx, messages wait with a growing delay; after ``MAX_ATTEMPTS`` they move to
``failed/`` and the clerk is told (``flask sheet check``, ``/gestion``).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from comobi.storage.outbox import _fsync_folder, folder_lock

log = logging.getLogger(__name__)

FIRST_DELAY_SECONDS = 60.0
LONGEST_DELAY_SECONDS = 6 * 3600.0
MAX_ATTEMPTS = 20  # about four days of a server that does not answer


@dataclass
class Mail:
    """One message: what the templates made, and for which event."""

    event: str
    to: str
    subject: str
    text: str
    html: str
    why: str = ""  # for the clerk: "confirmation", "rappel"...
    attempts: int = 0
    next_try: float = 0.0
    error: str = ""
    queued_at: str = ""
    path: Path | None = field(default=None, compare=False)

    def as_json(self) -> str:
        data = {k: v for k, v in self.__dict__.items() if k != "path"}
        return json.dumps(data, ensure_ascii=False)


def event_hash(event: str) -> str:
    return hashlib.sha256(event.encode("utf-8")).hexdigest()[:32]


def backoff(attempts: int) -> float:
    """Seconds to wait after the ``attempts``-th failure: 1 min, 2, 4... at most 6 h."""
    return min(FIRST_DELAY_SECONDS * 2 ** max(attempts - 1, 0), LONGEST_DELAY_SECONDS)


class MailOutbox:
    def __init__(self, folder: str | Path, clock=time.time):
        self.folder = Path(folder)
        self.queue = self.folder / "outbox"
        self.sent = self.folder / "sent"
        self.failed = self.folder / "failed"
        self.clock = clock

    # -- events ---------------------------------------------------------------
    def seen(self, event: str) -> bool:
        """Whether this event was sent, is waiting, or was given up."""
        name = event_hash(event)
        return ((self.sent / name).exists() or any(self.queue.glob(f"*-{name}.json"))
                or any(self.failed.glob(f"*-{name}.json")))

    def delivered(self, event: str) -> bool:
        """Whether this event's message was handed to the mail server."""
        return (self.sent / event_hash(event)).exists()

    def mark(self, event: str) -> bool:
        """Note an event that sends nothing (an answer used, a row put in a digest);
        False if it was noted already."""
        with self._locked():
            if self.seen(event):
                return False
            self._note_sent(event, "")
            return True

    # -- the queue ------------------------------------------------------------
    def put(self, mail: Mail) -> bool:
        """Store the message durably, unless its event was already queued or sent;
        raise OSError if the disk refuses."""
        with self._locked():
            if self.seen(mail.event):
                return False
            self.queue.mkdir(parents=True, exist_ok=True)
            mail.queued_at = datetime.fromtimestamp(self.clock()).isoformat(timespec="seconds")
            name = f"{time.time_ns():020d}-{event_hash(mail.event)}.json"
            self._write(self.queue / name, mail)
            return True

    def waiting(self) -> list[Mail]:
        """What is waiting, oldest first."""
        return self._read_folder(self.queue)

    def given_up(self) -> list[Mail]:
        return self._read_folder(self.failed)

    def due(self) -> bool:
        now = self.clock()
        return any(mail.next_try <= now for mail in self.waiting())

    def deliver(self, send_all, force: bool = False) -> int:
        """Hand what waits to ``send_all(mails, on_sent, on_failed)``, oldest first.

        Nothing is tried while every message waits out its delay, unless ``force``.
        """
        with self._locked():
            mails = self.waiting()
            now = self.clock()
            if not mails or (not force and all(m.next_try > now for m in mails)):
                return 0
            sent = 0

            def on_sent(mail: Mail) -> None:
                nonlocal sent
                self._note_sent(mail.event, mail.to)
                mail.path.unlink(missing_ok=True)
                sent += 1

            def on_failed(mail: Mail, reason: str, temporary: bool, whole_server: bool = False) -> None:
                if whole_server and temporary and not force and mail.next_try > now:
                    return  # not its turn yet: the server being down does not count against it
                mail.attempts += 1
                mail.error = reason
                mail.next_try = self.clock() + backoff(mail.attempts)
                if temporary and mail.attempts < MAX_ATTEMPTS:
                    self._write(mail.path, mail)
                    return
                self.failed.mkdir(parents=True, exist_ok=True)
                self._write(self.failed / mail.path.name, mail)
                mail.path.unlink(missing_ok=True)
                log.error("E-mail abandonné (%s, à %s) : %s", mail.why or "message", mail.to, reason)

            send_all(mails, on_sent, on_failed)
            return sent

    # -- files ----------------------------------------------------------------
    def _locked(self):
        """One writer at a time, across threads and processes (the web app and flask notify)."""
        return folder_lock(self.folder)

    def _note_sent(self, event: str, to: str) -> None:
        self.sent.mkdir(parents=True, exist_ok=True)
        record = {"at": datetime.fromtimestamp(self.clock()).isoformat(timespec="seconds"), "to": to}
        self._write_text(self.sent / event_hash(event), json.dumps(record))

    def _write(self, path: Path, mail: Mail) -> None:
        self._write_text(path, mail.as_json())

    @staticmethod
    def _write_text(path: Path, text: str) -> None:
        temporary = path.with_name(f".{path.name}.tmp")
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        _fsync_folder(path.parent)

    @staticmethod
    def _read_folder(folder: Path) -> list[Mail]:
        if not folder.is_dir():
            return []
        mails = []
        for path in sorted(folder.glob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                mails.append(Mail(**data, path=path))
            except FileNotFoundError:
                continue
            except (ValueError, TypeError):
                log.error("E-mail en attente illisible, laissé de côté : %s", path)
        return mails
