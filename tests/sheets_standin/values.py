"""The ``spreadsheets.values`` endpoints, on one in-memory spreadsheet."""

from .a1 import Box, ParsedRange, column_letters, format_range, parse_range
from .cells import parse_input, render
from .errors import ApiError
from .model import Sheet, Spreadsheet
from .tables import find_table


def resolve(book: Spreadsheet, text: str) -> tuple[Sheet, ParsedRange]:
    parsed = parse_range(text, book.titles())
    sheet = book.sheets[0] if parsed.title is None else book.sheet_by_title(parsed.title)
    if sheet is None:
        raise ApiError.bad_range(text)
    return sheet, parsed


def get(book: Spreadsheet, text: str, render_option=None, major=None) -> dict:
    sheet, parsed = resolve(book, text)
    box = _clipped(sheet, parsed, text)
    return _value_range(sheet, box, render_option or "FORMATTED_VALUE", major or "ROWS")


def batch_get(book: Spreadsheet, ranges: list[str], render_option=None, major=None) -> dict:
    value_ranges = [get(book, text, render_option, major) for text in ranges]
    return {"spreadsheetId": book.id, "valueRanges": value_ranges}


def update(book: Spreadsheet, text: str, input_option: str, body: dict, params=None) -> dict:
    sheet, parsed = resolve(book, text)
    rows = _rows_of(body)
    result, written = _write(sheet, parsed, text, rows, _input_option(input_option))
    return {"spreadsheetId": book.id, **result, **_echo(sheet, written, params)}


def batch_update(book: Spreadsheet, body: dict) -> dict:
    input_option = _input_option(body.get("valueInputOption"))
    responses, touched = [], {}
    for data in body.get("data", []):
        sheet, parsed = resolve(book, data["range"])
        result, written = _write(sheet, parsed, data["range"], _rows_of(data), input_option)
        responses.append({"spreadsheetId": book.id, **result})
        touched.setdefault(sheet.title, []).append(written)
    return {"spreadsheetId": book.id, **_totals(responses, touched), "responses": responses}


def append(book: Spreadsheet, text: str, params: dict, body: dict) -> dict:
    sheet, parsed = resolve(book, text)
    rows = _rows_of(body)
    table = find_table(sheet, _clipped(sheet, parsed, text), parsed.is_anchor)
    if table:
        start_row, start_col = table.row1 + 1, table.col0
    else:
        start_row, start_col = parsed.box.row0, parsed.box.col0
    height, width = len(rows), max((len(r) for r in rows), default=0)
    if params.get("insertDataOption") == "INSERT_ROWS" and start_row < sheet.row_count:
        sheet.insert("ROWS", start_row, height)
    sheet.ensure_size(start_row + height, start_col + width)
    anchor = ParsedRange(sheet.title, Box(start_row, start_col, start_row, start_col), True)
    input_option = _input_option(params.get("valueInputOption"))
    result, written = _write(sheet, anchor, text, rows, input_option)
    updates = {"spreadsheetId": book.id, **result, **_echo(sheet, written, params)}
    reply = {"spreadsheetId": book.id, "updates": updates}
    if table:
        reply["tableRange"] = format_range(sheet.title, table)
    return reply


def clear(book: Spreadsheet, text: str) -> dict:
    sheet, parsed = resolve(book, text)
    box = _clipped(sheet, parsed, text)
    sheet.clear(box)
    return {"spreadsheetId": book.id, "clearedRange": format_range(sheet.title, box)}


def batch_clear(book: Spreadsheet, ranges: list[str]) -> dict:
    cleared = [clear(book, text)["clearedRange"] for text in ranges]
    return {"spreadsheetId": book.id, "clearedRanges": cleared}


def _value_range(sheet: Sheet, box: Box, render_option: str, major: str) -> dict:
    reply = {"range": format_range(sheet.title, box), "majorDimension": major}
    used = sheet.used_part(box)
    if used is None:
        return reply
    grid = [[_rendered(v, render_option) for v in row] for row in sheet.read(used)]
    if major == "COLUMNS":
        grid = [list(column) for column in zip(*grid)]
    values = _trimmed(grid)
    if values:
        reply["values"] = values
    return reply


def _rendered(value, render_option: str):
    return "" if value is None else render(value, render_option)


def _trimmed(grid: list[list]) -> list[list]:
    """Google omits trailing empty cells of each row and trailing empty rows."""
    rows = []
    for row in grid:
        while row and row[-1] == "":
            row = row[:-1]
        rows.append(row)
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _clipped(sheet: Sheet, parsed: ParsedRange, text: str) -> Box:
    box = parsed.box
    if box.row0 >= sheet.row_count or box.col0 >= sheet.col_count:
        raise _grid_limits(sheet, text)
    return box.clip(sheet.row_count, sheet.col_count)


def _write(sheet: Sheet, parsed: ParsedRange, text: str, rows: list[list], input_option: str):
    """Write ``rows`` from the range's top-left cell; returns (reply fields, written box)."""
    box = parsed.box
    height, width = len(rows), max((len(r) for r in rows), default=0)
    if not parsed.is_anchor:
        _check_within(box, text, height, width)
    if box.row0 + height > sheet.row_count or box.col0 + width > sheet.col_count:
        raise _grid_limits(sheet, text)
    cells = 0
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is not None:  # null leaves the cell as it is
                sheet.write(box.row0 + i, box.col0 + j, parse_input(value, input_option))
                cells += 1
    written = Box(box.row0, box.col0, box.row0 + max(height, 1) - 1, box.col0 + max(width, 1) - 1)
    result = {
        "updatedRange": format_range(sheet.title, written),
        "updatedRows": height,
        "updatedColumns": width,
        "updatedCells": cells,
    }
    return result, written


def _echo(sheet: Sheet, box: Box, params) -> dict:
    params = params or {}
    if str(params.get("includeValuesInResponse", "")).lower() != "true":
        return {}
    render_option = params.get("responseValueRenderOption") or "FORMATTED_VALUE"
    return {"updatedData": _value_range(sheet, box, render_option, "ROWS")}


def _check_within(box: Box, text: str, height: int, width: int) -> None:
    if box.row1 is not None and box.row0 + height - 1 > box.row1:
        raise ApiError.invalid(
            f"Requested writing within range [{text}], but tried writing to row"
            f" [{box.row0 + height}]"
        )
    if box.col1 is not None and box.col0 + width - 1 > box.col1:
        raise ApiError.invalid(
            f"Requested writing within range [{text}], but tried writing to column"
            f" [{column_letters(box.col0 + width - 1)}]"
        )


def _grid_limits(sheet: Sheet, text: str) -> ApiError:
    return ApiError.invalid(
        f"Range ({text}) exceeds grid limits. Max rows: {sheet.row_count},"
        f" max columns: {sheet.col_count}"
    )


def _rows_of(body: dict) -> list[list]:
    rows = body.get("values") or []
    if (body.get("majorDimension") or "ROWS") == "COLUMNS":
        height = max((len(col) for col in rows), default=0)
        rows = [[col[i] if i < len(col) else None for col in rows] for i in range(height)]
    return rows


def _input_option(option) -> str:
    if option not in ("RAW", "USER_ENTERED"):
        raise ApiError.invalid("'valueInputOption' is required but not specified")
    return option


def _totals(responses: list[dict], touched: dict[str, list[Box]]) -> dict:
    if not responses:
        return {}
    # Google counts distinct rows/columns touched, per sheet.
    rows = sum(len({r for b in boxes for r in range(b.row0, b.row1 + 1)})
               for boxes in touched.values())
    cols = sum(len({c for b in boxes for c in range(b.col0, b.col1 + 1)})
               for boxes in touched.values())
    return {
        "totalUpdatedRows": rows,
        "totalUpdatedColumns": cols,
        "totalUpdatedCells": sum(r["updatedCells"] for r in responses),
        "totalUpdatedSheets": len(touched),
    }
