"""Map an HTTP request to an operation of the stand-in, and run it."""

from dataclasses import dataclass, field
from urllib.parse import unquote

from . import drive, structure, values
from .errors import ApiError
from .store import Store


@dataclass
class Call:
    """One parsed request: which operation, on what, and whether it writes."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: dict
    op: str = "unknown"
    kind: str = "read"
    spreadsheet_id: str | None = None
    ranges: list[str] = field(default_factory=list)
    target: str | None = None  # the range or file id in the path

    def param(self, name: str, default=None):
        return self.query.get(name, [default])[0]


def parse(method: str, raw_path: str, query: dict, body: dict) -> Call:
    call = Call(method, unquote(raw_path), query, body)
    segments = raw_path.strip("/").split("/")
    if segments[:2] == ["v4", "spreadsheets"]:
        _parse_sheets(call, segments[2:])
    elif segments[:3] == ["drive", "v3", "files"]:
        _parse_drive(call, segments[3:])
    return call


def _parse_sheets(call: Call, rest: list[str]) -> None:
    if not rest:
        _set(call, "spreadsheets.create", "write")
        return
    head = unquote(rest[0])
    if len(rest) == 1 and head.endswith(":batchUpdate"):
        call.spreadsheet_id = head.removesuffix(":batchUpdate")
        _set(call, "spreadsheets.batchUpdate", "write")
        return
    call.spreadsheet_id = head
    if len(rest) == 1:
        _set(call, "spreadsheets.get", "read")
    elif len(rest) == 2 and rest[1].startswith("values:"):
        _parse_values_batch(call, rest[1].removeprefix("values:"))
    elif len(rest) == 3 and rest[1] == "values":
        _parse_values_range(call, rest[2])


def _parse_values_batch(call: Call, action: str) -> None:
    if action == "batchGet":
        call.ranges = call.query.get("ranges", [])
        _set(call, "values.batchGet", "read")
    elif action == "batchUpdate":
        call.ranges = [data.get("range", "") for data in call.body.get("data", [])]
        _set(call, "values.batchUpdate", "write")
    elif action == "batchClear":
        call.ranges = call.body.get("ranges", [])
        _set(call, "values.batchClear", "write")


def _parse_values_range(call: Call, raw: str) -> None:
    # gspread percent-encodes the ':' inside the range, not the one before "append".
    for suffix, op in ((":append", "values.append"), (":clear", "values.clear")):
        if raw.endswith(suffix):
            call.target = unquote(raw.removesuffix(suffix))
            call.ranges = [call.target]
            _set(call, op, "write")
            return
    call.target = unquote(raw)
    call.ranges = [call.target]
    _set(call, "values.get" if call.method == "GET" else "values.update",
         "read" if call.method == "GET" else "write")


def _parse_drive(call: Call, rest: list[str]) -> None:
    if not rest:
        _set(call, "drive.list" if call.method == "GET" else "drive.create",
             "read" if call.method == "GET" else "write")
    elif len(rest) == 1:
        call.target = call.spreadsheet_id = unquote(rest[0])
        _set(call, "drive.get" if call.method == "GET" else "drive.delete",
             "read" if call.method == "GET" else "write")


def _set(call: Call, op: str, kind: str) -> None:
    call.op, call.kind = op, kind


def run(store: Store, call: Call) -> tuple[int, dict | None]:
    """Execute ``call`` against ``store``; returns (status, JSON body or None)."""
    handler = _HANDLERS.get((call.method, call.op))
    if handler is None:
        raise ApiError(404, f"The stand-in has no route for {call.method} {call.path}")
    return handler(store, call)


def _sheets_get(store, call):
    return 200, store.book(call.spreadsheet_id).metadata()


def _sheets_create(store, call):
    props = call.body.get("properties", {})
    tabs = {s["properties"]["title"]: [] for s in call.body.get("sheets", [])} or None
    book = store.create(title=props.get("title", "Untitled spreadsheet"), tabs=tabs)
    return 200, book.metadata()


def _sheets_batch_update(store, call):
    return 200, structure.batch_update(store.book(call.spreadsheet_id), call.body)


def _values_get(store, call):
    book = store.book(call.spreadsheet_id)
    options = call.param("valueRenderOption"), call.param("majorDimension")
    return 200, values.get(book, call.target, *options)


def _values_batch_get(store, call):
    book = store.book(call.spreadsheet_id)
    options = call.param("valueRenderOption"), call.param("majorDimension")
    return 200, values.batch_get(book, call.ranges, *options)


def _values_update(store, call):
    book = store.book(call.spreadsheet_id)
    params = {k: v[0] for k, v in call.query.items()}
    return 200, values.update(book, call.target, call.param("valueInputOption"), call.body, params)


def _values_batch_update(store, call):
    return 200, values.batch_update(store.book(call.spreadsheet_id), call.body)


def _values_append(store, call):
    params = {k: v[0] for k, v in call.query.items()}
    return 200, values.append(store.book(call.spreadsheet_id), call.target, params, call.body)


def _values_clear(store, call):
    return 200, values.clear(store.book(call.spreadsheet_id), call.target)


def _values_batch_clear(store, call):
    return 200, values.batch_clear(store.book(call.spreadsheet_id), call.ranges)


def _drive_create(store, call):
    return 200, drive.create(store, call.body)


def _drive_get(store, call):
    return 200, drive.get(store, call.target, call.param("fields"))


def _drive_list(store, call):
    return 200, drive.list_files(store, call.param("q"))


def _drive_delete(store, call):
    drive.delete(store, call.target)
    return 204, None


_HANDLERS = {
    ("GET", "spreadsheets.get"): _sheets_get,
    ("POST", "spreadsheets.create"): _sheets_create,
    ("POST", "spreadsheets.batchUpdate"): _sheets_batch_update,
    ("GET", "values.get"): _values_get,
    ("GET", "values.batchGet"): _values_batch_get,
    ("PUT", "values.update"): _values_update,
    ("POST", "values.batchUpdate"): _values_batch_update,
    ("POST", "values.append"): _values_append,
    ("POST", "values.clear"): _values_clear,
    ("POST", "values.batchClear"): _values_batch_clear,
    ("POST", "drive.create"): _drive_create,
    ("GET", "drive.get"): _drive_get,
    ("GET", "drive.list"): _drive_list,
    ("DELETE", "drive.delete"): _drive_delete,
}
