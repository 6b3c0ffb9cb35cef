"""All spreadsheets of one stand-in, behind one lock."""

import itertools
import threading

from .a1 import parse_range
from .cells import parse_input
from .errors import ApiError
from .model import DEFAULT_COLS, DEFAULT_ROWS, Spreadsheet

Rows = list[list]


class Store:
    def __init__(self):
        self.lock = threading.RLock()
        self.books: dict[str, Spreadsheet] = {}
        self._ids = itertools.count(1)

    def book(self, spreadsheet_id: str) -> Spreadsheet:
        """The spreadsheet as an API caller sees it: 404 if unknown, 403 if not shared."""
        book = self.books.get(spreadsheet_id)
        if book is None:
            raise ApiError(404)
        if not book.shared:
            raise ApiError(403)
        return book

    def create(
        self,
        spreadsheet_id: str | None = None,
        title: str = "Untitled spreadsheet",
        tabs: dict[str, Rows] | None = None,
        shared: bool = True,
        input_option: str = "RAW",
    ) -> Spreadsheet:
        spreadsheet_id = spreadsheet_id or self.new_id()
        book = Spreadsheet(spreadsheet_id, title, shared=shared)
        for tab_title, rows in (tabs or {"Sheet1": []}).items():
            width = max((len(row) for row in rows), default=0)
            sheet = book.add_sheet(
                tab_title, max(DEFAULT_ROWS, len(rows)), max(DEFAULT_COLS, width)
            )
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    sheet.write(r, c, parse_input(value, input_option))
        self.books[spreadsheet_id] = book
        return book

    def new_id(self) -> str:
        return f"standin-{next(self._ids):04d}-" + "x" * 30

    def tabs_of(self, spreadsheet_id: str | None, ranges: list[str]) -> tuple[str, ...]:
        """Sheet titles named by ``ranges`` (a bare cell range means the first sheet)."""
        book = self.books.get(spreadsheet_id or "")
        if book is None:
            return ()
        titles = []
        for text in ranges:
            try:
                title = parse_range(text, book.titles()).title
            except ApiError:
                continue
            title = title if title is not None else (book.titles() or [None])[0]
            if title is not None and title not in titles:
                titles.append(title)
        return tuple(titles)

    def titles_of_sheet_ids(self, spreadsheet_id: str | None, sheet_ids: list[int]) -> list[str]:
        book = self.books.get(spreadsheet_id or "")
        if book is None:
            return []
        return [s.title for s in book.sheets if s.sheet_id in sheet_ids]
