"""The storage port: what the app asks of a spreadsheet, whatever holds it.

Adapters deal in raw cells: lists of rows of strings, row 1 being the headers. They
never rewrite what they did not change: they append rows or update given cells.
"""
from __future__ import annotations

from typing import Protocol


class StorageError(Exception):
    """The spreadsheet cannot be reached or used; ``str()`` is plain French for the clerk."""


class Spreadsheet(Protocol):
    # How long a write that failed (timeout, dropped connection) may still land in the sheet:
    # the outbox waits that long before looking for it, so that it never writes it twice.
    settle_seconds: float

    def tab_titles(self) -> list[str]:
        """Titles of the tabs, in order."""

    def read_tab(self, title: str) -> list[list[str]]:
        """Every row of a tab as text; trailing empty cells may be missing."""

    def read_tabs(self, titles: list[str]) -> dict[str, list[list[str]]]:
        """Several tabs at once (one API call where the backend allows it)."""

    def read_header(self, title: str) -> list[str]:
        """The first row of a tab, fresh (read before writing, to put values in the right columns)."""

    def append_rows(self, title: str, rows: list[list[str]]) -> None:
        """Add rows after the last row of the tab, written as plain text."""

    def update_cells(self, title: str, cells: list[tuple[int, int, str]]) -> None:
        """Set cells given as (row, column, text), 1-based, in one operation."""

    def add_tab(self, title: str, headers: list[str]) -> None:
        """Create a tab whose first row holds ``headers``."""

    def version(self) -> str | None:
        """A marker that changes when the data changes, or None when unknown."""
