"""How ``values:append`` finds "the table" to append after.

Model fitted to the recordings and to reports of the real service: with a single
cell (``'Sheet1'!A1``) the table is the block of filled cells around that cell, or
nothing if the cell is empty; with a wider range (``'Sheet1'``) it is the block
around the *last* filled cell of the range. A block is the bounding box of filled
cells touching each other (diagonals included), so an empty row or column ends it.
"""

from .a1 import Box
from .model import Sheet


def find_table(sheet: Sheet, box: Box, anchored: bool) -> Box | None:
    if anchored:
        filled = set(sheet.cells)
        seed = (box.row0, box.col0)
        return _block(filled, seed) if seed in filled else None
    filled = {
        (r, c) for (r, c) in sheet.cells
        if box.row0 <= r <= box.row1 and box.col0 <= c <= box.col1
    }
    return _block(filled, max(filled)) if filled else None


def _block(filled: set[tuple[int, int]], seed: tuple[int, int]) -> Box:
    seen, todo = {seed}, [seed]
    while todo:
        r, c = todo.pop()
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                cell = (r + dr, c + dc)
                if cell in filled and cell not in seen:
                    seen.add(cell)
                    todo.append(cell)
    rows = [r for r, _ in seen]
    cols = [c for _, c in seen]
    return Box(min(rows), min(cols), max(rows), max(cols))
