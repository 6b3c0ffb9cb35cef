"""Replay the real exchanges recorded by gspread's test suite against the stand-in.

Each cassette is replayed in order on a fresh stand-in (state carries over between
its requests); each interaction is one test comparing status and body, leaving out
what legitimately differs: ids, timestamps, URLs, locale and formatting metadata.
"""

import functools
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import requests

from tests.sheets_standin import SheetsStandin

RECORDINGS = Path(__file__).parent / "sheets_standin" / "recordings"
GOOGLE_HOSTS = re.compile(r"^https://(sheets|www)\.googleapis\.com")
SPREADSHEET_IN_URL = re.compile(r"/v4/spreadsheets/([^/?:]+)")
IGNORED_KEYS = {
    "spreadsheetId", "sheetId", "id", "spreadsheetUrl", "createdTime", "modifiedTime",
    "locale", "timeZone", "autoRecalc", "defaultFormat", "spreadsheetTheme",
}
# (cassette, interaction index) -> why the stand-in cannot reproduce it. Keep short.
SKIPPED: dict[tuple[str, int], str] = {}


def _load(name: str) -> list[dict]:
    return json.loads((RECORDINGS / f"{name}.json").read_text())["interactions"]


def _params():
    for path in sorted(RECORDINGS.glob("*.json")):
        for i, interaction in enumerate(_load(path.stem)):
            request = interaction["request"]
            where = unquote(urlsplit(request["uri"]).path).rsplit("/", 2)[-2:]
            test_id = f"{path.stem}[{i:02d}] {request['method']} {'/'.join(where)}"
            yield pytest.param(path.stem, i, id=test_id)


class IdMap:
    """Recorded ids (spreadsheets, sheets) mapped to the ones the stand-in gave out."""

    def __init__(self):
        self.strings: dict[str, str] = {}
        self.ints: dict[int, int] = {}

    def learn(self, recorded, actual) -> None:
        if isinstance(recorded, dict) and isinstance(actual, dict):
            for key, value in recorded.items():
                if key in ("id", "spreadsheetId") and isinstance(actual.get(key), str):
                    self.strings[value] = actual[key]
                elif key == "sheetId" and isinstance(actual.get(key), int):
                    self.ints[value] = actual[key]
                else:
                    self.learn(value, actual.get(key))
        elif isinstance(recorded, list) and isinstance(actual, list):
            for rec_item, act_item in zip(recorded, actual):
                self.learn(rec_item, act_item)

    def url(self, uri: str, endpoint: str) -> str:
        for recorded, actual in self.strings.items():
            uri = uri.replace(recorded, actual)
        return GOOGLE_HOSTS.sub(endpoint, uri)

    def body(self, raw: str | None) -> bytes | None:
        if not raw:
            return None
        return json.dumps(self._swap(json.loads(raw))).encode()

    def _swap(self, node):
        if isinstance(node, dict):
            return {
                k: self.ints.get(v, v) if k == "sheetId" else self._swap(v)
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [self._swap(item) for item in node]
        if isinstance(node, str):
            return self.strings.get(node, node)
        return node


def _json(text: str | bytes | None):
    return json.loads(text) if text else None


def _seed(standin: SheetsStandin, interactions: list[dict]) -> None:
    """Spreadsheets the cassette reads without creating: the 403 one exists, unshared."""
    for interaction in interactions:
        match = SPREADSHEET_IN_URL.search(interaction["request"]["uri"])
        if match and interaction["response"]["status"]["code"] == 403:
            standin.create_spreadsheet(match.group(1), "Someone else's", shared=False)


@functools.cache
def _replay(name: str) -> list[tuple[int, object, int, object]]:
    interactions = _load(name)
    outcomes = []
    with SheetsStandin() as standin, requests.Session() as session:
        _seed(standin, interactions)
        ids = IdMap()
        for interaction in interactions:
            request, recorded = interaction["request"], interaction["response"]
            response = session.request(
                request["method"],
                ids.url(request["uri"], standin.endpoint),
                data=ids.body(request["body"]),
                headers={"Content-Type": "application/json", "Authorization": "Bearer x"},
                timeout=5,
            )
            expected = _json(recorded["body"]["string"])
            actual = _json(response.content)
            ids.learn(expected, actual)
            outcomes.append((recorded["status"]["code"], expected, response.status_code, actual))
    return outcomes


def _comparable(node):
    if isinstance(node, dict):
        return {k: _comparable(v) for k, v in node.items() if k not in IGNORED_KEYS}
    if isinstance(node, list):
        return [_comparable(item) for item in node]
    return node


@pytest.mark.parametrize("cassette, index", list(_params()))
def test_standin_answers_like_google(cassette: str, index: int):
    if (cassette, index) in SKIPPED:
        pytest.skip(SKIPPED[cassette, index])
    expected_status, expected, status, actual = _replay(cassette)[index]
    assert status == expected_status
    assert _comparable(actual) == _comparable(expected)
