"""Which slice of a list a page shows: the page number asked for, understood leniently and
kept within the pages there are, and the page count (pure logic, no I/O)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pagination:
    """Page ``number`` (from 1) of ``total`` items shown ``size`` at a time."""

    number: int
    total: int
    size: int

    @classmethod
    def asked(cls, text: str | None, total: int, size: int) -> Pagination:
        """The page a ``?page=`` asks for: 1 when absent or not a whole number, else kept
        between the first and the last page (an old link to a shorter list still shows one)."""
        pages = page_count(total, size)
        try:
            number = int(text or 1)
        except ValueError:
            number = 1
        return cls(min(max(1, number), pages), total, size)

    @property
    def count(self) -> int:
        return page_count(self.total, self.size)

    @property
    def exists(self) -> bool:
        return 1 <= self.number <= self.count

    def of(self, items):
        """This page's items out of the whole (sliced: a lazy sequence makes only these)."""
        return items[(self.number - 1) * self.size: self.number * self.size]


def page_count(total: int, size: int) -> int:
    """Pages needed for ``total`` items, at least one (an empty list still has its page)."""
    return max(1, -(-total // size))
