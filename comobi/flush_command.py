"""What ``flask sheet flush`` and ``flask mail send`` share: deliver a queue now, in French."""
from __future__ import annotations

from collections.abc import Callable

import click


def flush_now(waiting: bool, deliver: Callable[[], int], nothing: str, done: str,
              echo_remaining: Callable[[], int]) -> None:
    """Say ``nothing`` when nothing waits; else deliver everything now (``deliver`` returns how
    many went), say ``done`` with that number, list what still waits and exit 1 if anything does."""
    if not waiting:
        click.echo(nothing)
        return
    click.echo(done.format(deliver()))
    if echo_remaining():
        raise SystemExit(1)
