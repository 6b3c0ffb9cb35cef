"""A1 notation: parsing ranges such as ``'Lieux d''été'!A2:F`` and echoing them back.

Boxes are 0-based and inclusive; an end set to None means "up to the grid edge"
(``A:A``, ``A1:1``, ``'Sheet1'``).
"""

import re
from dataclasses import dataclass

from .errors import ApiError

_REF = re.compile(r"([A-Za-z]*)([0-9]*)")
_PLAIN_TITLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CELL_LIKE_TITLE = re.compile(r"[A-Za-z]{1,3}[0-9]+|[Rr][0-9]*[Cc][0-9]*")


@dataclass(frozen=True)
class Box:
    row0: int = 0
    col0: int = 0
    row1: int | None = None
    col1: int | None = None

    def clip(self, rows: int, cols: int) -> "Box":
        """Resolve open ends against a grid of ``rows`` x ``cols``."""
        row1 = rows - 1 if self.row1 is None else min(self.row1, rows - 1)
        col1 = cols - 1 if self.col1 is None else min(self.col1, cols - 1)
        return Box(self.row0, self.col0, row1, col1)

    @property
    def height(self) -> int:
        return self.row1 - self.row0 + 1

    @property
    def width(self) -> int:
        return self.col1 - self.col0 + 1


@dataclass(frozen=True)
class ParsedRange:
    title: str | None  # None: no sheet named, Google uses the first sheet
    box: Box
    is_anchor: bool  # a single cell written without ':' (e.g. "A1")


def column_letters(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_index(letters: str) -> int:
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - ord("A") + 1
    return index - 1


def quote_title(title: str) -> str:
    """Quote a sheet title the way Google echoes it (``Sheet1`` but ``'D3'``)."""
    if _PLAIN_TITLE.fullmatch(title) and not _CELL_LIKE_TITLE.fullmatch(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def format_box(box: Box) -> str:
    start = f"{column_letters(box.col0)}{box.row0 + 1}"
    if box.row0 == box.row1 and box.col0 == box.col1:
        return start
    return f"{start}:{column_letters(box.col1)}{box.row1 + 1}"


def format_range(title: str, box: Box) -> str:
    return f"{quote_title(title)}!{format_box(box)}"


def split_title(text: str) -> tuple[str | None, str | None]:
    """Split ``'Sheet 1'!A1:B2`` into its title and cell part (either may be None)."""
    if text.startswith("'"):
        title, rest = _read_quoted(text)
        if not rest:
            return title, None
        if rest.startswith("!"):
            return title, rest[1:]
        raise ApiError.bad_range(text)
    if "!" in text:
        title, cells = text.rsplit("!", 1)
        return title, cells
    return None, text


def parse_cells(cells: str) -> tuple[Box, bool] | None:
    """Parse ``A1``, ``A1:B2``, ``A:A``, ``1:3``, ``A2:2``; None when not A1 notation."""
    parts = cells.split(":")
    if len(parts) > 2 or not all(parts):
        return None
    start, end = _REF.fullmatch(parts[0]), _REF.fullmatch(parts[-1])
    if not (start and end):
        return None
    c0, r0 = start.groups()
    c1, r1 = end.groups()
    if len(parts) == 1 and not (c0 and r0):
        return None
    if r0 == "0" or r1 == "0" or len(c0) > 3 or len(c1) > 3:
        return None
    box = Box(
        row0=int(r0) - 1 if r0 else 0,
        col0=column_index(c0) if c0 else 0,
        row1=int(r1) - 1 if r1 else None,
        col1=column_index(c1) if c1 else None,
    )
    return _ordered(box), len(parts) == 1


def _ordered(box: Box) -> Box:
    row0, row1 = box.row0, box.row1
    col0, col1 = box.col0, box.col1
    if row1 is not None and row1 < row0:
        row0, row1 = row1, row0
    if col1 is not None and col1 < col0:
        col0, col1 = col1, col0
    return Box(row0, col0, row1, col1)


def parse_range(text: str, titles: list[str]) -> ParsedRange:
    """Parse a range the way the API reads it; ``titles`` disambiguates bare names."""
    title, cells = split_title(text)
    if title is None and cells in titles:
        return ParsedRange(cells, Box(), False)
    if cells is None:
        return ParsedRange(title, Box(), False)
    parsed = parse_cells(cells)
    if parsed is None:
        raise ApiError.bad_range(text)
    box, is_anchor = parsed
    return ParsedRange(title, box, is_anchor)


def _read_quoted(text: str) -> tuple[str, str]:
    title, i = "", 1
    while i < len(text):
        if text[i] == "'":
            if text[i + 1 : i + 2] == "'":
                title += "'"
                i += 2
                continue
            return title, text[i + 1 :]
        title += text[i]
        i += 1
    raise ApiError.bad_range(text)
