"""Fault injection: rules consulted once per request, first match wins.

A rule says which requests it hits (``only`` = "read", "write", an operation
name such as "values.append", or a predicate on the request), how often
(``times`` requests, or every request if None; ``ratio`` for a seeded random
share) and what happens: an error status, a delay, a dropped connection, and
whether that happens before the request is applied or after (the write is then
done although the client sees a failure); or an ``action`` run just before the
request, such as an edit of the clerk's between two of the app's calls.
"""

import random
import threading
from dataclasses import dataclass, field
from typing import Callable

Selector = str | Callable[[object], bool] | None


@dataclass
class Rule:
    status: int | None = None  # answer with this HTTP error
    delay: float = 0.0  # seconds to wait before answering
    reset: bool = False  # drop the connection instead of answering
    after_apply: bool = False  # apply the request first, then misbehave
    action: Callable[[], None] | None = None  # run just before the request (a clerk's edit)
    only: Selector = None
    times: int | None = 1
    ratio: float | None = None
    seed: int = 0
    hits: int = 0
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self):
        self._rng = random.Random(self.seed)

    def matches(self, call) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        if not _selected(self.only, call):
            return False
        return self.ratio is None or self._rng.random() < self.ratio


def _selected(only: Selector, call) -> bool:
    if only is None:
        return True
    if callable(only):
        return bool(only(call))
    return only in (call.kind, call.op)


class Faults:
    def __init__(self):
        self._rules: list[Rule] = []
        self._lock = threading.Lock()

    def add(self, rule: Rule) -> Rule:
        with self._lock:
            self._rules.append(rule)
        return rule

    def fail(self, status: int = 503, times: int | None = 1, only: Selector = None,
             ratio: float | None = None, seed: int = 0) -> Rule:
        """Answer with an HTTP error (429, 500, 503...) without applying the request."""
        return self.add(Rule(status=status, times=times, only=only, ratio=ratio, seed=seed))

    def delay(self, seconds: float, times: int | None = 1, only: Selector = None) -> Rule:
        """Answer normally, ``seconds`` late (a client timeout shorter than that fires)."""
        return self.add(Rule(delay=seconds, times=times, only=only))

    def reset(self, times: int | None = 1, only: Selector = None) -> Rule:
        """Drop the connection without answering and without applying the request."""
        return self.add(Rule(reset=True, times=times, only=only))

    def after_write(self, status: int | None = None, reset: bool = False, delay: float = 0.0,
                    times: int | None = 1, only: Selector = "write") -> Rule:
        """Apply the request, then fail: error status, dropped connection or late answer."""
        return self.add(Rule(status=status, reset=reset, delay=delay, after_apply=True,
                             times=times, only=only))

    def before(self, action: Callable[[], None], times: int | None = 1, only: Selector = None) -> Rule:
        """Run ``action`` (e.g. the clerk inserting a column) just before the request, then apply it."""
        return self.add(Rule(action=action, times=times, only=only))

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def pick(self, call) -> Rule | None:
        with self._lock:
            for rule in self._rules:
                if rule.matches(call):
                    rule.hits += 1
                    return rule
        return None
