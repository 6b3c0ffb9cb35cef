"""``spreadsheets:batchUpdate``: the structural requests an app needs (tabs, rows)."""

from .errors import ApiError
from .model import DEFAULT_COLS, DEFAULT_ROWS, Spreadsheet


def batch_update(book: Spreadsheet, body: dict) -> dict:
    replies = []
    for i, request in enumerate(body.get("requests", [])):
        (kind, params), = request.items()
        handler = _HANDLERS.get(kind)
        if handler is None:
            raise ApiError.invalid(
                f"Invalid requests[{i}]: the stand-in does not implement {kind!r}"
            )
        try:
            replies.append(handler(book, params))
        except ApiError as error:
            raise ApiError.invalid(f"Invalid requests[{i}].{kind}: {error.message}") from error
    return {"spreadsheetId": book.id, "replies": replies}


def _add_sheet(book: Spreadsheet, params: dict) -> dict:
    props = params.get("properties", {})
    grid = props.get("gridProperties", {})
    sheet = book.add_sheet(
        title=props.get("title"),
        rows=grid.get("rowCount", DEFAULT_ROWS),
        cols=grid.get("columnCount", DEFAULT_COLS),
        index=props.get("index"),
        sheet_id=props.get("sheetId"),
    )
    return {"addSheet": {"properties": sheet.properties(book.sheets.index(sheet))}}


def _delete_sheet(book: Spreadsheet, params: dict) -> dict:
    book.delete_sheet(params["sheetId"])
    return {}


def _update_sheet_properties(book: Spreadsheet, params: dict) -> dict:
    props = params.get("properties", {})
    sheet = book.sheet_by_id(props.get("sheetId", 0))
    grid = props.get("gridProperties", {})
    for field in _fields(params, props):
        if field == "title":
            _rename(book, sheet, props.get("title", ""))
        elif field == "index":
            book.sheets.remove(sheet)
            book.sheets.insert(props.get("index", 0), sheet)
        elif field == "gridProperties":
            _set_grid(sheet, grid, list(grid))
        elif field.startswith("gridProperties/"):
            _set_grid(sheet, grid, [field.split("/", 1)[1]])
        # Other properties (tabColor, hidden, ...) are accepted and ignored.
    return {}


def _fields(params: dict, props: dict) -> list[str]:
    fields = [f.strip() for f in params.get("fields", "").split(",") if f.strip()]
    if not fields:
        raise ApiError.invalid("At least one field must be updated, but none was specified.")
    return [key for key in props if key != "sheetId"] if fields == ["*"] else fields


def _rename(book: Spreadsheet, sheet, title: str) -> None:
    other = book.sheet_by_title(title)
    if other is not None and other is not sheet:
        raise ApiError.invalid(
            f'A sheet with the name "{title}" already exists. Please enter another name.'
        )
    sheet.title = title


def _set_grid(sheet, grid: dict, names: list[str]) -> None:
    for name in names:
        if name == "rowCount":
            sheet.resize(rows=grid.get("rowCount", 0))
        elif name == "columnCount":
            sheet.resize(cols=grid.get("columnCount", 0))
        else:
            sheet.extra_grid[name] = grid.get(name)


def _update_spreadsheet_properties(book: Spreadsheet, params: dict) -> dict:
    if "title" in params.get("properties", {}):
        book.title = params["properties"]["title"]
    return {}


def _insert_dimension(book: Spreadsheet, params: dict) -> dict:
    span = params["range"]
    sheet = book.sheet_by_id(span.get("sheetId", 0))
    start, end = span.get("startIndex", 0), span["endIndex"]
    sheet.insert(span["dimension"], start, end - start)
    return {}


def _append_dimension(book: Spreadsheet, params: dict) -> dict:
    sheet = book.sheet_by_id(params.get("sheetId", 0))
    length = params["length"]
    if params["dimension"] == "ROWS":
        sheet.resize(rows=sheet.row_count + length)
    else:
        sheet.resize(cols=sheet.col_count + length)
    return {}


def _delete_dimension(book: Spreadsheet, params: dict) -> dict:
    span = params["range"]
    sheet = book.sheet_by_id(span.get("sheetId", 0))
    sheet.delete(span["dimension"], span.get("startIndex", 0), span["endIndex"])
    return {}


_HANDLERS = {
    "addSheet": _add_sheet,
    "deleteSheet": _delete_sheet,
    "updateSheetProperties": _update_sheet_properties,
    "updateSpreadsheetProperties": _update_spreadsheet_properties,
    "insertDimension": _insert_dimension,
    "appendDimension": _append_dimension,
    "deleteDimension": _delete_dimension,
}
