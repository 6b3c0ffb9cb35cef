"""Where the app's values go when the clerk moved things between the app's read and its write.

The app computes row and column numbers from a read of the tab. If the file changed on disk
since (the clerk inserted a column, sorted, added a row above), those numbers may point
elsewhere. Before writing, the tab is read again: columns are found again by their header,
rows by their whole content (as the app read them). When that is not certain (a header
now twice, the row changed or gone), nothing is written and the clerk is told why.
Pure logic: no file here.
"""
from __future__ import annotations

from comobi.storage.port import StorageError


class Moved(StorageError):
    """The place the app meant to write to cannot be found again for sure (French)."""


def fingerprint(row: list[str]) -> int:
    cells = list(row)
    while cells and cells[-1] == "":
        cells.pop()
    return hash(tuple(cells))


class Alignment:
    """Old (as read) -> new (as now) row and column numbers, 1-based."""

    def __init__(self, header_then: list[str], rows_then: list[int], grid_now: list[list[str]], where: str):
        self.then = list(header_then)
        self.rows_then = rows_then
        self.grid = grid_now
        self.now = list(grid_now[0]) if grid_now else []
        self.where = where
        self._columns: dict[int, int | Moved] = {}

    def column(self, old: int) -> int:
        if old > len(self.then):  # past the header (new columns): same distance from its end
            return old - len(self.then) + len(self.now)
        if old not in self._columns:
            self._columns[old] = self._find_column(old)
        if isinstance(self._columns[old], Moved):
            raise self._columns[old]
        return self._columns[old]

    def _find_column(self, old: int) -> int | Moved:
        heading = self.then[old - 1]
        if old <= len(self.now) and self.now[old - 1] == heading:
            return old
        places = [n for n, text in enumerate(self.now, start=1) if text == heading]
        if heading == "" or len(places) != 1:
            return Moved(f"{self.where} : la colonne « {heading or old} » a été déplacée ou renommée depuis la "
                        "lecture de l'application : rien n'a été écrit. Nouvel essai après une nouvelle lecture.")
        return places[0]

    def row(self, old: int) -> int:
        if old == 1:
            return 1
        wanted = self.rows_then[old - 1] if old <= len(self.rows_then) else fingerprint([])
        if wanted == -1:
            raise Moved(f"{self.where} : la ligne {old} a changé depuis la lecture de l'application : "
                        "rien n'a été écrit. Nouvel essai après une nouvelle lecture.")
        if old <= len(self.rows_then) and old <= len(self.grid) and fingerprint(self._as_then(old)) == wanted:
            return old
        places = [n for n in range(2, len(self.grid) + 1) if fingerprint(self._as_then(n)) == wanted]
        if len(places) != 1 or old > len(self.rows_then):
            raise Moved(f"{self.where} : la ligne {old} a été modifiée, déplacée ou supprimée depuis la lecture "
                        "de l'application : rien n'a été écrit, pour ne pas mettre une valeur au mauvais endroit.")
        return places[0]

    def cells(self, cells: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        return [(self.row(r), self.column(c), v) for r, c, v in cells]

    def rows(self, rows: list[list[str]]) -> list[list[str]]:
        """Rows to append, each value under the column of its header now."""
        moved = []
        for values in rows:
            placed: dict[int, str] = {}
            for old, value in enumerate(values, start=1):
                if value != "":
                    placed[self.column(old)] = value
            moved.append([placed.get(c, "") for c in range(1, max(placed, default=0) + 1)])
        return moved

    def _as_then(self, number: int) -> list[str]:
        """Row ``number`` of now, laid out as the columns were then."""
        row = self.grid[number - 1]
        width = max(len(self.then), len(row) - len(self.now) + len(self.then))
        laid = []
        for old in range(1, width + 1):
            try:
                new = self.column(old)
            except Moved:
                laid.append(None)  # a column gone: this row cannot be matched on it
                continue
            laid.append(row[new - 1] if 0 < new <= len(row) else "")
        return laid
