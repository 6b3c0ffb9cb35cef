"""The app's Google backend in tests: real gspread over HTTP against the Sheets API stand-in.

Import the fixtures into a test module: ``from tests.google_backend import standin  # noqa: F401``.
"""
from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from comobi.settings import SETTINGS
from comobi.storage.google import GoogleSpreadsheet
from comobi.storage.google_auth import ENDPOINT_VARIABLE, KEY_VARIABLE
from comobi.storage.service import Storage
from tests.sheets_standin import SheetsStandin

SHEET_ID = "1CoMobiTestSheet_0123456789abcdef"
SERVICE_EMAIL = "comobi@covoiturage-46.iam.gserviceaccount.com"
DEFAULTS = {s.key: s.default for s in SETTINGS}


@pytest.fixture
def standin(monkeypatch):
    """A running stand-in; the app's Google calls go to it (GOOGLE_SHEETS_API_ENDPOINT)."""
    with SheetsStandin() as server:
        monkeypatch.setenv(ENDPOINT_VARIABLE, server.endpoint)
        monkeypatch.delenv(KEY_VARIABLE, raising=False)
        yield server


def google_settings(**settings) -> dict:
    return {**DEFAULTS, "sheet.backend": "google", "sheet.spreadsheet_id": SHEET_ID, **settings}


def google_config(**config) -> dict:
    """create_app overrides for the Google backend on the stand-in's test spreadsheet."""
    return {"sheet.backend": "google", "sheet.spreadsheet_id": SHEET_ID,
            "legal.controller": "Communauté de communes du Grand Figeac", **config}


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def google_spreadsheet(clock=None, sleeps=None, **settings) -> GoogleSpreadsheet:
    """The adapter as the app builds it; 429 back-off delays are recorded in ``sleeps``, not slept."""
    sleeps = [] if sleeps is None else sleeps
    options = {"sleep": sleeps.append}
    if clock is not None:
        options["clock"] = clock
    return GoogleSpreadsheet.from_settings(google_settings(**settings), **options)


def google_storage(clock=None, sleeps=None, **settings) -> Storage:
    clock = clock or FakeClock()
    spreadsheet = google_spreadsheet(clock, sleeps, **settings)
    return Storage(spreadsheet, google_settings(**settings), clock=clock)


def use_storage(app, storage: Storage) -> Storage:
    """Run ``app`` on ``storage`` (a fake clock, recorded back-off delays)."""
    app.extensions["comobi.storage"] = storage
    return storage


def service_account_key(email: str = SERVICE_EMAIL) -> str:
    """A service-account key file's JSON, with a real (throw-away) RSA key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return json.dumps({
        "type": "service_account", "project_id": "covoiturage-46", "private_key_id": "0" * 40,
        "private_key": pem, "client_email": email, "client_id": "1" * 21,
        "token_uri": "https://oauth2.googleapis.com/token",
    })
