"""A spreadsheet that fails on demand, around any adapter, driven like the Sheets stand-in.

``FaultySpreadsheet(inner).faults`` is the stand-in's own ``Faults`` object, so tests
say ``faults.fail(503, times=None, ratio=0.3, only="write")``, ``faults.reset()``,
``faults.delay(1.0)``, ``faults.after_write(status=503)`` the same way whether the sheet
behind is a local workbook behind this wrapper or a Google Sheet served by the stand-in.
What the adapter would turn into a StorageError (HTTP 429/500/503, dropped connection,
timeout) arrives here as a StorageError naming the fault.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from comobi.storage.port import StorageError
from tests.sheets_standin import Faults

_KINDS = {"tab_titles": "read", "read_tab": "read", "read_tabs": "read", "version": "meta",
          "append_rows": "write", "update_cells": "write", "add_tab": "write"}


@dataclass(frozen=True)
class Call:
    op: str
    kind: str


class FaultySpreadsheet:
    settle_seconds = 0.0  # the faults below are applied (or not) before the call returns

    def __init__(self, inner, timeout: float = 0.05):
        self.inner = inner
        self.timeout = timeout  # a delay longer than this is a client timeout
        self.faults = Faults()

    def version(self):
        return self.inner.version()

    def __getattr__(self, op: str):
        method = getattr(self.inner, op)

        def call(*args, **kwargs):
            rule = self.faults.pick(Call(op, _KINDS.get(op, "read")))
            if rule is None:
                return method(*args, **kwargs)
            if rule.action is not None:
                rule.action()
            if rule.after_apply:
                result = method(*args, **kwargs)
                _misbehave(rule, self.timeout, op)
                return result
            if rule.delay > self.timeout:  # the server applies it, the client has given up
                method(*args, **kwargs)
                raise StorageError(f"{op} : délai dépassé (injecté)")
            _misbehave(rule, self.timeout, op)
            return method(*args, **kwargs)

        return call


def _misbehave(rule, timeout: float, op: str) -> None:
    time.sleep(min(rule.delay, timeout))
    if rule.status:
        raise StorageError(f"{op} : erreur HTTP {rule.status} (injectée)")
    if rule.reset:
        raise StorageError(f"{op} : connexion interrompue (injectée)")
    if rule.delay > timeout:
        raise StorageError(f"{op} : délai dépassé (injecté)")
