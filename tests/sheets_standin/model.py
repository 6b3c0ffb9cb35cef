"""In-memory spreadsheets: sheets are sparse grids of stored cell values."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .a1 import Box
from .errors import ApiError

DEFAULT_ROWS = 1000
DEFAULT_COLS = 26


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Sheet:
    sheet_id: int
    title: str
    row_count: int = DEFAULT_ROWS
    col_count: int = DEFAULT_COLS
    cells: dict[tuple[int, int], object] = field(default_factory=dict)
    # Grid properties the stand-in only stores and echoes (frozenRowCount, ...).
    extra_grid: dict = field(default_factory=dict)

    def properties(self, index: int) -> dict:
        grid = {"rowCount": self.row_count, "columnCount": self.col_count, **self.extra_grid}
        return {
            "sheetId": self.sheet_id,
            "title": self.title,
            "index": index,
            "sheetType": "GRID",
            "gridProperties": grid,
        }

    def full_box(self) -> Box:
        return Box(0, 0, self.row_count - 1, self.col_count - 1)

    def read(self, box: Box) -> list[list]:
        """Stored values of ``box`` (resolved), None for empty cells."""
        return [
            [self.cells.get((r, c)) for c in range(box.col0, box.col1 + 1)]
            for r in range(box.row0, box.row1 + 1)
        ]

    def used_part(self, box: Box) -> Box | None:
        """``box`` cut down to its last filled row and column (None if all empty)."""
        inside = [
            (r, c) for (r, c) in self.cells
            if box.row0 <= r <= box.row1 and box.col0 <= c <= box.col1
        ]
        if not inside:
            return None
        return Box(box.row0, box.col0, max(r for r, _ in inside), max(c for _, c in inside))

    def write(self, row: int, col: int, value) -> None:
        if value is None:
            self.cells.pop((row, col), None)
        else:
            self.cells[(row, col)] = value

    def clear(self, box: Box) -> None:
        for r, c in list(self.cells):
            if box.row0 <= r <= box.row1 and box.col0 <= c <= box.col1:
                del self.cells[(r, c)]

    def resize(self, rows: int | None = None, cols: int | None = None) -> None:
        self.row_count = rows if rows is not None else self.row_count
        self.col_count = cols if cols is not None else self.col_count
        if self.row_count < 1 or self.col_count < 1:
            raise ApiError.invalid("Invalid grid size: a sheet needs at least one row and column.")
        self.cells = {
            (r, c): v for (r, c), v in self.cells.items()
            if r < self.row_count and c < self.col_count
        }

    def insert(self, dimension: str, start: int, count: int) -> None:
        """Insert blank rows/columns before index ``start`` (0-based)."""
        axis = _axis(dimension)
        self.cells = {_shift(key, axis, start, count): v for key, v in self.cells.items()}
        self._grow(axis, count)

    def delete(self, dimension: str, start: int, end: int) -> None:
        """Delete rows/columns ``start`` (inclusive) to ``end`` (exclusive)."""
        axis, count = _axis(dimension), end - start
        if count >= (self.row_count if axis == 0 else self.col_count):
            raise ApiError.invalid(f"You can't delete all the {dimension.lower()} on the sheet.")
        kept = {k: v for k, v in self.cells.items() if not start <= k[axis] < end}
        self.cells = {_shift(key, axis, end, -count): v for key, v in kept.items()}
        self._grow(axis, -count)

    def ensure_size(self, rows: int, cols: int) -> None:
        self.row_count = max(self.row_count, rows)
        self.col_count = max(self.col_count, cols)

    def _grow(self, axis: int, count: int) -> None:
        if axis == 0:
            self.row_count += count
        else:
            self.col_count += count


def _axis(dimension: str) -> int:
    if dimension not in ("ROWS", "COLUMNS"):
        raise ApiError.invalid(f"Invalid dimension: {dimension!r}")
    return 0 if dimension == "ROWS" else 1


def _shift(key: tuple[int, int], axis: int, start: int, count: int) -> tuple[int, int]:
    if key[axis] < start:
        return key
    return (key[0] + count, key[1]) if axis == 0 else (key[0], key[1] + count)


@dataclass
class Spreadsheet:
    id: str
    title: str
    sheets: list[Sheet] = field(default_factory=list)
    shared: bool = True
    locale: str = "en_US"
    time_zone: str = "Etc/GMT"
    created_time: str = field(default_factory=now_iso)
    modified_time: str = field(default_factory=now_iso)

    def __post_init__(self):
        self._ids = random.Random(self.id)

    def titles(self) -> list[str]:
        return [sheet.title for sheet in self.sheets]

    def sheet_by_title(self, title: str) -> Sheet | None:
        return next((s for s in self.sheets if s.title == title), None)

    def sheet_by_id(self, sheet_id: int) -> Sheet:
        for sheet in self.sheets:
            if sheet.sheet_id == sheet_id:
                return sheet
        raise ApiError.invalid(f"No grid with id: {sheet_id}")

    def add_sheet(self, title=None, rows=DEFAULT_ROWS, cols=DEFAULT_COLS,
                  index=None, sheet_id=None) -> Sheet:
        title = title or self._free_title()
        if self.sheet_by_title(title):
            raise ApiError.invalid(
                f'A sheet with the name "{title}" already exists. Please enter another name.'
            )
        sheet = Sheet(self._new_sheet_id() if sheet_id is None else sheet_id, title, rows, cols)
        self.sheets.insert(len(self.sheets) if index is None else index, sheet)
        return sheet

    def delete_sheet(self, sheet_id: int) -> None:
        sheet = self.sheet_by_id(sheet_id)
        if len(self.sheets) == 1:
            raise ApiError.invalid("You can't remove all the sheets in a document.")
        self.sheets.remove(sheet)

    def metadata(self) -> dict:
        return {
            "spreadsheetId": self.id,
            "properties": {
                "title": self.title,
                "locale": self.locale,
                "autoRecalc": "ON_CHANGE",
                "timeZone": self.time_zone,
            },
            "sheets": [{"properties": s.properties(i)} for i, s in enumerate(self.sheets)],
            "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{self.id}/edit",
        }

    def touch(self) -> None:
        self.modified_time = now_iso()

    def _new_sheet_id(self) -> int:
        used = {s.sheet_id for s in self.sheets}
        candidate = 0 if not self.sheets else self._ids.randrange(1, 2**31)
        while candidate in used:
            candidate = self._ids.randrange(1, 2**31)
        return candidate

    def _free_title(self) -> str:
        n = len(self.sheets) + 1
        while self.sheet_by_title(f"Sheet{n}"):
            n += 1
        return f"Sheet{n}"
