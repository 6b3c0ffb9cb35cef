"""Cells written into one worksheet's XML text, leaving every other byte as it was.

Pure text surgery, no I/O: the worksheet part (``xl/worksheets/sheetN.xml``) is edited in
place, so that what the app does not own (formulas and their cached results, styles,
validation, conditional formatting, panes, column widths, extensions of newer Excel
versions...) stays exactly as the clerk's spreadsheet program wrote it. Parsing the part
into a tree and serialising it again would rename namespace prefixes, which Excel's
``mc:Ignorable`` declarations depend on; so rows and cells are found with regular
expressions, which is safe here because element text is always escaped (no ``<`` inside).

Values are written as inline strings (``t="inlineStr"``): plain text, never a formula, and
the shared strings part stays untouched.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from openpyxl.utils.cell import column_index_from_string, get_column_letter

from comobi.storage.port import StorageError

MAX_ROW = 1_048_576
MAX_COLUMN = 16_384
_ROOT = re.compile(r"<(?:([A-Za-z_][\w.-]*):)?worksheet\b")
_ROW_NUMBER = re.compile(r"""\sr\s*=\s*["'](\d+)["']""")
_CELL_REF = re.compile(r"""\sr\s*=\s*["']([A-Za-z]{1,3})(\d+)["']""")
_ATTRIBUTE = re.compile(r"""\s([\w:.-]+)\s*=\s*("[^"]*"|'[^']*')""")
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Excel reads _xHHHH_ in text as an escaped character: a literal one is escaped itself.
_EXCEL_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


class SheetEditError(StorageError):
    """The worksheet cannot be edited without damaging it (message in French)."""


@dataclass
class Edit:
    """What an edit did, so that ranges elsewhere (tables, filter names) can follow."""
    text: str
    last_used_before: int = 0  # last row holding a value before the edit
    last_row_after: int = 0  # last row holding a value after it


@dataclass
class _Row:
    number: int
    start: int
    end: int
    text: str


class WorksheetXml:
    """One worksheet part, as text; ``set_cells`` and ``append_rows`` give the edited text."""

    def __init__(self, text: str, where: str = "l'onglet"):
        self.text = text
        self.where = where
        root = _ROOT.search(text)
        if root is None:
            raise SheetEditError(f"{where} n'est pas une feuille de calcul ordinaire (graphique, macro ?).")
        self.p = f"{root.group(1)}:" if root.group(1) else ""
        p = re.escape(self.p)
        self._row_re = re.compile(rf"<{p}row\b[^>]*?(?:/>|>.*?</{p}row>)", re.S)
        self._cell_re = re.compile(rf"<{p}c\b[^>]*?(?:/>|>.*?</{p}c>)", re.S)
        opening = re.compile(rf"<{p}sheetData\b[^>]*?(/?)>").search(text)
        closing = text.rfind(f"</{self.p}sheetData>")
        if opening is None or (not opening.group(1) and closing < opening.end()):
            raise SheetEditError(f"{where} n'a pas de zone de données lisible.")
        # where the rows are (None for <sheetData/>), and the whole element
        self._body = None if opening.group(1) else (opening.end(), closing)
        self._element = (opening.start(), opening.end() if opening.group(1) else closing + len(f"</{self.p}sheetData>"))

    # -- reading -----------------------------------------------------------------
    def rows(self) -> list[_Row]:
        if self._body is None:
            return []
        found, previous = [], 0
        for match in self._row_re.finditer(self.text, *self._body):
            row = self._row(match, previous)
            if row is None or row.number <= previous or row.number > MAX_ROW:
                raise SheetEditError(f"{self.where} a des lignes dans le désordre : fichier abîmé ?")
            found.append(row)
            previous = row.number
        return found

    def _row(self, match, previous: int | None) -> _Row | None:
        """The row of ``match``; without an ``r`` attribute it is ``previous + 1`` (None if unknown)."""
        text = match.group(0)
        number = _ROW_NUMBER.search(text, 0, text.index(">") + 1)
        if number is None and previous is None:
            return None
        return _Row(int(number.group(1)) if number else previous + 1, match.start(), match.end(), text)

    def _tail(self) -> tuple[list[_Row], int] | None:
        """The rows after the last one holding a value, and that one's number, found from the
        end (a large sheet is not parsed whole); None if they cannot be numbered that way."""
        if self._body is None:
            return [], 0
        start, position = self._body
        marker, tail = f"<{self.p}row", []
        while True:
            at = self.text.rfind(marker, start, position)
            while at != -1 and self.text[at + len(marker)] not in " \t\r\n/>":
                at = self.text.rfind(marker, start, at)
            if at == -1:
                return tail[::-1], 0
            match = self._row_re.match(self.text, at, position)
            row = self._row(match, None) if match else None
            if row is None or (tail and row.number >= tail[-1].number):
                return None
            if self._holds_value(row.text):
                return tail[::-1], row.number
            tail.append(row)
            position = at

    def last_used_row(self, rows: list[_Row] | None = None) -> int:
        for row in reversed(self.rows() if rows is None else rows):
            if self._holds_value(row.text):
                return row.number
        return 0

    def formulas_without_result(self) -> list[tuple[int, int]]:
        """(row, column) of formulas saved without their result (by a tool that does not
        compute): the app would read them as empty. An empty text result (``t="str"``) is a result."""
        p = re.escape(self.p)
        cached = re.compile(rf"<{p}v>[^<]")
        missing = []
        for row in self.rows():
            if f"<{self.p}f" not in row.text:
                continue
            for column, cell in self._cells(row):
                if re.search(rf"<{p}f\b", cell) and not cached.search(cell) and _attribute(cell, "t") != "str":
                    missing.append((row.number, column))
        return missing

    def _holds_value(self, row_text: str) -> bool:
        p = re.escape(self.p)
        return re.search(rf"<{p}f\b|<{p}v>[^<]|<{p}t\b[^>]*>[^<]", row_text) is not None

    def _cells(self, row: _Row) -> list[tuple[int, str]]:
        head = row.text.index(">") + 1
        if row.text[head - 2] == "/":
            return []
        cells, previous = [], 0
        for match in self._cell_re.finditer(row.text, head):
            start_tag = match.group(0)[: match.group(0).index(">") + 1]
            ref = _CELL_REF.search(start_tag)
            column = column_index_from_string(ref.group(1).upper()) if ref else previous + 1
            cells.append((column, match.group(0)))
            previous = column
        return cells

    # -- writing -----------------------------------------------------------------
    def append_rows(self, rows: list[list[str]]) -> Edit:
        """Write ``rows`` after the last row holding a value (rows only formatted are reused)."""
        found = self._tail()
        if found is None:
            existing = self.rows()
            last = self.last_used_row(existing)
        else:
            existing, last = found
        cells = {}
        for offset, values in enumerate(rows, start=1):
            for column, value in enumerate(values, start=1):
                if value != "":
                    cells[(last + offset, column)] = value
        edit = self._write(cells, existing)
        edit.last_used_before = last
        edit.last_row_after = last + len(rows) if rows else last
        return edit

    def set_cells(self, cells: dict[tuple[int, int], str]) -> Edit:
        existing = self.rows()
        last = self.last_used_row(existing)
        edit = self._write(cells, existing)
        edit.last_used_before = last
        edit.last_row_after = max([last] + [r for r, _ in cells])
        return edit

    def _write(self, cells: dict[tuple[int, int], str], existing: list[_Row]) -> Edit:
        for row, column in cells:
            if not (1 <= row <= MAX_ROW and 1 <= column <= MAX_COLUMN):
                raise SheetEditError(f"{self.where} : la cellule ({row}, {column}) dépasse la taille d'une feuille.")
        by_row: dict[int, dict[int, str]] = {}
        for (row, column), value in sorted(cells.items()):
            by_row.setdefault(row, {})[column] = value
        styles = _column_styles(self.text[: self._element[0]], self.p)  # <cols> comes before the rows
        numbered = all(_ROW_NUMBER.search(r.text[: r.text.index(">") + 1]) for r in existing)
        pending = sorted(by_row)
        if self._body is None:  # <sheetData/>: no rows at all
            body = "".join(self._new_row(n, by_row[n], styles) for n in pending)
            start, end = self._element
            text = f"{self.text[:start]}<{self.p}sheetData>{body}</{self.p}sheetData>{self.text[end:]}"
            return Edit(_widen_dimension(text, self.p, cells, start))
        position, data_end = self._body
        pieces = [self.text[:position]]
        for row in existing:
            while pending and pending[0] < row.number:
                pieces.append(self.text[position:row.start])
                pieces.append(self._new_row(pending[0], by_row[pending.pop(0)], styles))
                position = row.start
            pieces.append(self.text[position:row.start])
            if pending and pending[0] == row.number:
                pieces.append(self._merged_row(row, by_row[pending.pop(0)], styles))
            elif not numbered:
                pieces.append(_with_attribute(row.text, "r", str(row.number)))
            else:
                pieces.append(row.text)
            position = row.end
        pieces.append(self.text[position:data_end])
        pieces.extend(self._new_row(n, by_row[n], styles) for n in pending)
        pieces.append(self.text[data_end:])
        text = _widen_dimension("".join(pieces), self.p, cells, self._element[0])
        return Edit(text)

    def _new_row(self, number: int, values: dict[int, str], styles: dict[int, str]) -> str:
        cells = "".join(self._new_cell(number, c, v, styles.get(c)) for c, v in sorted(values.items()))
        return f'<{self.p}row r="{number}">{cells}</{self.p}row>'

    def _merged_row(self, row: _Row, values: dict[int, str], styles: dict[int, str]) -> str:
        head_end = row.text.index(">") + 1
        self_closing = row.text[head_end - 2] == "/"
        head = row.text[: head_end - 2] + ">" if self_closing else row.text[:head_end]
        head = _with_attribute(head, "r", str(row.number))
        attributes = dict(_ATTRIBUTE.findall(head))
        custom = attributes.get("customFormat", "").strip("\"'") in ("1", "true")
        row_style = attributes.get("s", "").strip("\"'") if custom else ""
        merged: dict[int, str] = {}
        for column, cell in self._cells(row):
            ref_missing = _CELL_REF.search(cell[: cell.index(">") + 1]) is None
            reference = f"{get_column_letter(column)}{row.number}"
            merged[column] = _with_attribute(cell, "r", reference) if ref_missing else cell
        for column, value in values.items():
            old = merged.get(column)
            if old is not None and re.search(rf"<{re.escape(self.p)}f\b", old):
                raise SheetEditError(
                    f"{self.where} : la cellule {get_column_letter(column)}{row.number} contient une formule, "
                    "que l'application n'écrase pas.")
            style = _attribute(old, "s") if old is not None else (row_style or styles.get(column))
            merged[column] = self._new_cell(row.number, column, value, style)
        head = _widen_spans(head, min(merged), max(merged))
        body = "".join(merged[c] for c in sorted(merged))
        tail_start = self._cells_end(row) if not self_closing else None
        tail = row.text[tail_start: -len(f"</{self.p}row>")] if tail_start is not None else ""
        return f"{head}{body}{tail}</{self.p}row>"

    def _cells_end(self, row: _Row) -> int:
        """Where the row's cells end (an extLst may follow them)."""
        end = row.text.index(">") + 1
        for match in self._cell_re.finditer(row.text, end):
            end = match.end()
        return end

    def _new_cell(self, row: int, column: int, value: str, style: str | None) -> str:
        style_attribute = f' s="{style}"' if style and style != "0" else ""
        return (f'<{self.p}c r="{get_column_letter(column)}{row}"{style_attribute} t="inlineStr">'
                f'<{self.p}is><{self.p}t xml:space="preserve">{xml_text(value)}</{self.p}t></{self.p}is></{self.p}c>')


def xml_text(value: str) -> str:
    value = _XML_UNSAFE.sub("", value)
    value = _EXCEL_ESCAPE.sub(r"_x005F_\1", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(element: str, name: str) -> str | None:
    start_tag = element[: element.index(">") + 1]
    for key, quoted in _ATTRIBUTE.findall(start_tag):
        if key == name:
            return quoted[1:-1]
    return None


def _with_attribute(element: str, name: str, value: str) -> str:
    """``element`` whose start tag has ``name="value"`` (replaced, or added after the tag name)."""
    end = element.index(">") + 1
    start_tag, rest = element[:end], element[end:]
    pattern = re.compile(rf"""(\s){re.escape(name)}\s*=\s*("[^"]*"|'[^']*')""")
    if pattern.search(start_tag):
        start_tag = pattern.sub(lambda m: f'{m.group(1)}{name}="{value}"', start_tag, count=1)
    else:
        name_end = re.match(r"<[\w:.-]+", start_tag).end()
        start_tag = f'{start_tag[:name_end]} {name}="{value}"{start_tag[name_end:]}'
    return start_tag + rest


def _widen_spans(head: str, first: int, last: int) -> str:
    spans = _attribute(head + "</x>", "spans")
    if not spans or ":" not in spans:
        return head
    try:
        low, high = (int(part) for part in spans.split(":"))
    except ValueError:
        return head
    if first >= low and last <= high:
        return head
    return _with_attribute(head, "spans", f"{min(low, first)}:{max(high, last)}")


def _column_styles(text: str, p: str) -> dict[int, str]:
    """Column index -> style of the column (``<col style>``), for new cells, as Excel does."""
    styles = {}
    for match in re.finditer(rf"<{re.escape(p)}col\b[^>]*>", text):
        tag = match.group(0)
        style, low, high = _attribute(tag, "style"), _attribute(tag, "min"), _attribute(tag, "max")
        if style and style != "0" and low and high and low.isdigit() and high.isdigit():
            for column in range(int(low), min(int(high), MAX_COLUMN) + 1):
                styles[column] = style
                if len(styles) > 2000:  # a style on whole sheets: ignored, cells stay plain
                    return {}
    return styles


def parse_range(ref: str) -> tuple[int, int, int, int] | None:
    """"A1:K50" -> (1, 1, 11, 50) as (min column, min row, max column, max row)."""
    match = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?", ref.strip())
    if match is None:
        return None
    first_col, first_row = column_index_from_string(match.group(1).upper()), int(match.group(2))
    last_col = column_index_from_string(match.group(3).upper()) if match.group(3) else first_col
    last_row = int(match.group(4)) if match.group(4) else first_row
    return first_col, first_row, last_col, last_row


def format_range(bounds: tuple[int, int, int, int]) -> str:
    first_col, first_row, last_col, last_row = bounds
    return f"{get_column_letter(first_col)}{first_row}:{get_column_letter(last_col)}{last_row}"


def _widen_dimension(text: str, p: str, cells, rows_start: int) -> str:
    """``<dimension ref>`` grown over ``cells``; it comes before the rows (``rows_start``)."""
    if not cells:
        return text
    pattern = re.compile(rf"""(<{re.escape(p)}dimension\b[^>]*?\sref\s*=\s*["'])([^"']*)(["'])""")
    match = pattern.search(text, 0, rows_start)
    if match is None:
        return text
    rows = [r for r, _ in cells]
    columns = [c for _, c in cells]
    bounds = parse_range(match.group(2)) or (min(columns), min(rows), max(columns), max(rows))
    if bounds == (1, 1, 1, 1) and match.group(2).upper() == "A1":
        bounds = (min(columns + [1]), 1, max(columns), max(rows))  # "A1" also means an empty sheet
    widened = (min(bounds[0], *columns), min(bounds[1], *rows), max(bounds[2], *columns), max(bounds[3], *rows))
    return text[: match.start(2)] + format_range(widened) + text[match.end(2):]


def extend_range_rows(ref: str, last_used_before: int, last_row_after: int) -> str | None:
    """A filter or table range ending at the last row of data, grown to the new last row;
    None when it does not end there (a range over part of the data is the clerk's own)."""
    bounds = parse_range(ref)
    if bounds is None or last_row_after <= bounds[3]:
        return None
    if bounds[3] < last_used_before or bounds[1] > last_used_before:
        return None
    return format_range((bounds[0], bounds[1], bounds[2], last_row_after))


def extend_autofilter(text: str, p: str, last_used_before: int, last_row_after: int) -> tuple[str, str | None]:
    """The sheet's ``<autoFilter ref>`` grown over appended rows; returns (text, new ref or None)."""
    pattern = re.compile(rf"""(<{re.escape(p)}autoFilter\b[^>]*?\sref\s*=\s*["'])([^"']*)(["'])""")
    match = pattern.search(text, max(0, text.rfind(f"</{p}sheetData>")))  # it follows the rows
    if match is None:
        return text, None
    grown = extend_range_rows(match.group(2), last_used_before, last_row_after)
    if grown is None:
        return text, None
    return text[: match.start(2)] + grown + text[match.end(2):], grown
