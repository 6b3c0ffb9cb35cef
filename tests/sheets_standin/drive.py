"""The few Drive v3 ``files`` calls gspread makes: create, get, list, delete."""

import re

from .errors import ApiError
from .model import Spreadsheet
from .store import Store

SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
_NAME_FILTER = re.compile(r"""name\s*=\s*(["'])(.*?)\1""")


def create(store: Store, body: dict) -> dict:
    if body.get("mimeType", SPREADSHEET_MIME) != SPREADSHEET_MIME:
        raise ApiError.invalid("The stand-in only creates spreadsheets.")
    book = store.create(title=body.get("name", "Untitled spreadsheet"))
    return {"kind": "drive#file", "id": book.id, "name": book.title, "mimeType": SPREADSHEET_MIME}


def get(store: Store, file_id: str, fields: str | None) -> dict:
    book = _visible(store, file_id)
    return _select(_file(book), fields)


def list_files(store: Store, query: str | None) -> dict:
    wanted = _NAME_FILTER.search(query or "")
    files = [
        _select(_file(book), "id,name,createdTime,modifiedTime")
        for book in store.books.values()
        if book.shared and (wanted is None or book.title == wanted.group(2))
    ]
    return {"kind": "drive#fileList", "incompleteSearch": False, "files": files}


def delete(store: Store, file_id: str) -> None:
    _visible(store, file_id)
    del store.books[file_id]


def _visible(store: Store, file_id: str) -> Spreadsheet:
    book = store.books.get(file_id)
    if book is None or not book.shared:
        raise ApiError(404, f"File not found: {file_id}.")
    return book


def _file(book: Spreadsheet) -> dict:
    return {
        "kind": "drive#file",
        "id": book.id,
        "name": book.title,
        "mimeType": SPREADSHEET_MIME,
        "createdTime": book.created_time,
        "modifiedTime": book.modified_time,
    }


def _select(record: dict, fields: str | None) -> dict:
    if not fields:
        return {k: record[k] for k in ("kind", "id", "name", "mimeType")}
    names = [name.strip() for name in fields.split(",")]
    return {name: record[name] for name in names if name in record}
