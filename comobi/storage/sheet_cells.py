"""Pure helpers on grids of cells as the adapters return them (rows of text, row 1 the
headers): find rows by key or ID, compare, say which cells to rewrite."""
from __future__ import annotations

from comobi.schema import HeaderMap


def rows_by_key(grid: list[list[str]], keys: set[str]) -> dict[str, int]:
    """key -> 1-based row holding it in any column (a row shifted by a new column still counts)."""
    found = {}
    for number, row in enumerate(grid[1:], start=2):
        for cell in row:
            if cell.strip() in keys:
                found.setdefault(cell.strip(), number)
    return found


def repairs(header: HeaderMap, number: int, row: list[str], values: dict[str, str]) -> list[tuple[int, int, str]]:
    """Cells to rewrite so that this row of ours holds ``values`` (as written) under their headers."""
    wanted = header.row(values)
    width = max(len(wanted), len(row))
    wanted += [""] * (width - len(wanted))
    have = row + [""] * (width - len(row))
    return [(number, column + 1, wanted[column]) for column in range(width)
            if wanted[column].strip() != have[column].strip()]


def cell_text(row: list[str], column: int | None) -> str:
    return row[column].strip() if column is not None and column < len(row) else ""


def trimmed(row: list[str]) -> list[str]:
    cells = [cell.strip() for cell in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def row_of(grid: list[list[str]], id_column: int, record_id: str, hint: int | None) -> int | None:
    """The 1-based row whose ID cell is ``record_id``, trying ``hint`` first."""
    def holds(number: int) -> bool:
        row = grid[number - 1] if 1 < number <= len(grid) else []
        return id_column < len(row) and row[id_column].strip() == record_id

    if hint is not None and holds(hint):
        return hint
    return next((n for n in range(2, len(grid) + 1) if holds(n)), None)
