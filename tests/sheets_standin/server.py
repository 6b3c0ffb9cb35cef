"""A local stand-in for the Google Sheets API v4 (and the Drive v3 calls gspread makes).

    with SheetsStandin() as standin:
        standin.create_spreadsheet("sheet-id", "Comobi", {"Trajets": [["id", "depart"]]})
        client = gspread_client(standin.endpoint)
        ...
        assert standin.count(kind="read", tab="Trajets") == 1

Every call goes to ``{endpoint}/v4/spreadsheets/...`` or ``{endpoint}/drive/v3/files...``.
"""

import copy
import json
import socket
import struct
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import routes
from .cells import Formula
from .errors import ApiError
from .faults import Faults, Rule
from .store import Rows, Store
from .values import get as values_get
from .values import resolve


@dataclass
class RequestRecord:
    method: str
    path: str
    op: str
    kind: str  # "read" or "write"
    spreadsheet_id: str | None
    tabs: tuple[str, ...]
    status: int | None = None
    fault: str | None = None


@dataclass
class Reply:
    status: int = 200
    body: dict | None = None
    reset: bool = False


class SheetsStandin:
    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.store = Store()
        self.faults = Faults()
        self._records: list[RequestRecord] = []
        self._records_lock = threading.Lock()
        self._stopping = threading.Event()
        self._in_flight = 0  # calls received and not answered yet (a delay fault holds one)
        self._idle = threading.Condition()
        self._server = _Server((host, port), _Handler)
        self._server.standin = self
        self._thread: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------
    @property
    def endpoint(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "SheetsStandin":
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        self._stopping.set()  # releases requests held by delay faults
        if self._thread is not None:
            self._server.shutdown()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> "SheetsStandin":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- seeding and inspection -----------------------------------------
    def create_spreadsheet(self, spreadsheet_id: str, title: str = "Untitled spreadsheet",
                           tabs: dict[str, Rows] | None = None, shared: bool = True,
                           input_option: str = "RAW") -> None:
        """Add a spreadsheet; ``tabs`` maps titles to rows (stored as RAW by default)."""
        with self.store.lock:
            self.store.create(spreadsheet_id, title, tabs, shared, input_option)

    def set_shared(self, spreadsheet_id: str, shared: bool) -> None:
        """A spreadsheet that is not shared answers 403 to every call."""
        with self.store.lock:
            self.store.books[spreadsheet_id].shared = shared

    def delete_spreadsheet(self, spreadsheet_id: str) -> None:
        with self.store.lock:
            del self.store.books[spreadsheet_id]

    def values(self, spreadsheet_id: str, tab: str) -> list[list[str]]:
        """The tab's formatted values, trimmed like the API does (no trailing blanks)."""
        with self.store.lock:
            book = self.store.books[spreadsheet_id]
            return values_get(book, _whole(tab)).get("values", [])

    def cell(self, spreadsheet_id: str, tab: str, a1: str):
        """The stored value of one cell (str, int, float, bool, "=formula" or None)."""
        with self.store.lock:
            book = self.store.books[spreadsheet_id]
            sheet, parsed = resolve(book, f"{_whole(tab)}!{a1}")
            value = sheet.cells.get((parsed.box.row0, parsed.box.col0))
            return value.text if isinstance(value, Formula) else value

    def sheet_size(self, spreadsheet_id: str, tab: str) -> tuple[int, int]:
        with self.store.lock:
            sheet = self.store.books[spreadsheet_id].sheet_by_title(tab)
            return sheet.row_count, sheet.col_count

    # --- request counting ---------------------------------------------------
    @property
    def requests(self) -> list[RequestRecord]:
        with self._records_lock:
            return list(self._records)

    def count(self, kind: str | None = None, tab: str | None = None, op: str | None = None,
              spreadsheet_id: str | None = None) -> int:
        """Requests received, filtered by kind ("read"/"write"), tab, operation, spreadsheet."""
        return sum(
            1 for r in self.requests
            if (kind is None or r.kind == kind)
            and (tab is None or tab in r.tabs)
            and (op is None or r.op == op)
            and (spreadsheet_id is None or r.spreadsheet_id == spreadsheet_id)
        )

    def reset_counts(self) -> None:
        with self._records_lock:
            self._records.clear()

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Wait until no call is being handled (a delayed write has landed or been refused)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._in_flight == 0, timeout)

    # --- request handling -----------------------------------------------------
    def handle(self, call: routes.Call) -> Reply:
        with self._idle:
            self._in_flight += 1
        try:
            return self._handle(call)
        finally:
            with self._idle:
                self._in_flight -= 1
                self._idle.notify_all()

    def _handle(self, call: routes.Call) -> Reply:
        record = self._record(call)
        rule = self.faults.pick(call)
        reply = None
        if rule is not None and rule.action is not None:
            rule.action()
        if rule is not None and not rule.after_apply:
            reply = self._misbehave(rule, record)
        if reply is None:
            reply = self._execute(call)
        if rule is not None and rule.after_apply:
            reply = self._misbehave(rule, record) or reply
        record.status = None if reply.reset else reply.status
        return reply

    def _execute(self, call: routes.Call) -> Reply:
        with self.store.lock:
            before = self._snapshot(call)
            try:
                status, body = routes.run(self.store, call)
            except ApiError as error:
                self._restore(call, before)
                return Reply(error.code, error.body())
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                self._restore(call, before)
                return Reply(400, ApiError.invalid(f"Invalid request: {error!r}").body())
            if call.kind == "write" and call.spreadsheet_id in self.store.books:
                self.store.books[call.spreadsheet_id].touch()
            return Reply(status, body)

    def _snapshot(self, call: routes.Call):
        # Real batch requests are atomic: on error nothing is kept.
        if call.kind != "write" or call.spreadsheet_id not in self.store.books:
            return None
        return copy.deepcopy(self.store.books[call.spreadsheet_id])

    def _restore(self, call: routes.Call, before) -> None:
        if before is not None:
            self.store.books[call.spreadsheet_id] = before

    def _misbehave(self, rule: Rule, record: RequestRecord) -> Reply | None:
        if rule.delay:
            self._stopping.wait(rule.delay)
        if rule.reset:
            record.fault = "reset"
            return Reply(reset=True)
        if rule.status:
            record.fault = f"status {rule.status}"
            return Reply(rule.status, ApiError(rule.status).body())
        record.fault = f"delay {rule.delay}s" if rule.delay else None
        return None

    def _record(self, call: routes.Call) -> RequestRecord:
        with self.store.lock:
            tabs = self._tabs(call)
        record = RequestRecord(
            call.method, call.path, call.op, call.kind, call.spreadsheet_id, tabs
        )
        with self._records_lock:
            self._records.append(record)
        return record

    def _tabs(self, call: routes.Call) -> tuple[str, ...]:
        if call.op != "spreadsheets.batchUpdate":
            return self.store.tabs_of(call.spreadsheet_id, call.ranges)
        ids, titles = _sheet_refs(call.body)
        known = self.store.titles_of_sheet_ids(call.spreadsheet_id, ids)
        return tuple(dict.fromkeys(known + titles))


def _whole(tab: str) -> str:
    return "'" + tab.replace("'", "''") + "'"


def _sheet_refs(body) -> tuple[list[int], list[str]]:
    """sheetIds and new titles named anywhere in a batchUpdate body."""
    ids, titles = [], []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "sheetId" and isinstance(value, int):
                    ids.append(value)
                elif key == "title" and isinstance(value, str):
                    titles.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(body.get("requests", []) if isinstance(body, dict) else [])
    return ids, titles


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    standin: SheetsStandin


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self):
        super().setup()
        # Headers and body go out in two writes; without this, Nagle's algorithm
        # and delayed ACKs add ~40 ms to every answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self):
        parts = urlsplit(self.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        try:
            body = self._json_body()
        except ValueError:
            self._send(Reply(400, ApiError.invalid("Invalid JSON payload received.").body()))
            return
        reply = self.server.standin.handle(routes.parse(self.command, parts.path, query, body))
        if reply.reset:
            self._drop()
        else:
            self._send(reply)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    def _json_body(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        return json.loads(raw) if raw.strip() else {}

    def _send(self, reply: Reply) -> None:
        data = b""
        if reply.body is not None:
            data = json.dumps(reply.body, indent=2, ensure_ascii=False).encode()
        self.send_response(reply.status)
        if reply.body is not None:
            self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _drop(self) -> None:
        # Linger 0 makes close() send a TCP reset, like a connection cut mid-request.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def log_message(self, format, *args):  # noqa: A002 - signature from the base class
        pass
