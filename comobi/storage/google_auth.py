"""Reaching Google Sheets: the spreadsheet ID, the service-account key, the HTTP client.

``GOOGLE_SHEETS_API_ENDPOINT``, when set, sends every call to that base URL (a local
stand-in) with anonymous credentials. Problems with the configuration are reported as
``StorageError`` in plain French, for the page and for ``flask sheet check``.
"""
from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from google.auth.credentials import AnonymousCredentials, Credentials
from google.auth.transport.requests import AuthorizedSession
from google.oauth2 import service_account
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient

from comobi.settings import PROJECT_ROOT
from comobi.storage.port import StorageError

ENDPOINT_VARIABLE = "GOOGLE_SHEETS_API_ENDPOINT"
KEY_VARIABLE = "GOOGLE_SERVICE_ACCOUNT_JSON"
GOOGLE_BASES = ("https://sheets.googleapis.com", "https://www.googleapis.com")
SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
TIMEOUT_SECONDS = 10
RETRY_DELAYS = (1.0, 2.0)  # after a 429 "quota exceeded", then give up and serve older data
_ID_IN_URL = re.compile(r"/spreadsheets/(?:u/\d+/)?d/([A-Za-z0-9_-]+)")
_BARE_ID = re.compile(r"[A-Za-z0-9_-]+")


@dataclass
class Access:
    credentials: Credentials
    client_email: str | None  # whom the clerk must share the spreadsheet with
    endpoint: str | None


def spreadsheet_id_from(text: str) -> str:
    """The ID, from the ID itself or from the whole address pasted from the browser."""
    text = (text or "").strip()
    found = _ID_IN_URL.search(text)
    if found:
        return found.group(1)
    if _BARE_ID.fullmatch(text):
        return text
    if not text:
        raise StorageError("Aucun Google Sheet configuré : renseigner sheet.spreadsheet_id "
                           "(l'adresse du tableur copiée depuis le navigateur).")
    raise StorageError(f"« {text} » n'est pas l'adresse d'un Google Sheet : copier l'adresse complète "
                       "du tableur depuis le navigateur (https://docs.google.com/spreadsheets/d/...).")


def access_from(settings: dict, environ=os.environ) -> Access:
    endpoint = environ.get(ENDPOINT_VARIABLE, "").strip().rstrip("/") or None
    if endpoint:
        info = _optional_key_info(settings, environ)
        return Access(AnonymousCredentials(), info.get("client_email") if info else None, endpoint)
    info = _key_info(settings, environ)
    try:
        credentials = service_account.Credentials.from_service_account_info(info, scopes=SCOPES)
    except (ValueError, KeyError) as error:
        raise StorageError("La clé du compte de service Google est incomplète ou abîmée : "
                           "en télécharger une nouvelle (format JSON) dans la console Google Cloud.") from error
    return Access(credentials, info["client_email"], None)


def _optional_key_info(settings: dict, environ) -> dict | None:
    try:
        return _key_info(settings, environ)
    except StorageError:
        return None


def _key_info(settings: dict, environ) -> dict:
    text, origin = _key_text(settings, environ)
    try:
        info = json.loads(text)
    except ValueError as error:
        raise StorageError(f"{origin} n'est pas une clé JSON lisible : télécharger la clé du compte "
                           "de service au format JSON dans la console Google Cloud.") from error
    if not isinstance(info, dict) or info.get("type") != "service_account" or not info.get("client_email"):
        raise StorageError(f"{origin} n'est pas la clé d'un compte de service Google "
                           "(il faut un fichier JSON contenant \"type\": \"service_account\").")
    return info


def _key_text(settings: dict, environ) -> tuple[str, str]:
    if environ.get(KEY_VARIABLE, "").strip():
        return environ[KEY_VARIABLE], f"La variable d'environnement {KEY_VARIABLE}"
    name = (settings.get("sheet.credentials") or "").strip()
    if not name:
        raise StorageError("Clé du compte de service Google absente : renseigner sheet.credentials "
                           f"(chemin du fichier .json) ou la variable d'environnement {KEY_VARIABLE}.")
    path = Path(name) if Path(name).is_absolute() else PROJECT_ROOT / name
    try:
        return path.read_text(encoding="utf-8"), f"Le fichier {path}"
    except FileNotFoundError as error:
        raise StorageError(f"Le fichier de clé du compte de service {path} est introuvable "
                           "(réglage sheet.credentials).") from error
    except (OSError, UnicodeDecodeError) as error:
        raise StorageError(f"Le fichier de clé du compte de service {path} est illisible.") from error


class SheetsHTTPClient(HTTPClient):
    """gspread's HTTP client, with a timeout, a short back-off on 429 and an optional endpoint."""

    def __init__(self, access: Access, timeout: float = TIMEOUT_SECONDS, retry_delays=RETRY_DELAYS,
                 sleep=time.sleep):
        super().__init__(None, AuthorizedSession(access.credentials, refresh_timeout=timeout))
        self.endpoint = access.endpoint
        self.retry_delays = tuple(retry_delays)
        self.sleep = sleep
        self.set_timeout(timeout)

    def request(self, method, endpoint, *args, **kwargs):
        url = self._redirected(endpoint)
        for delay in self.retry_delays:
            try:
                return super().request(method, url, *args, **kwargs)
            except APIError as error:
                if not _worth_retrying(method, error):
                    raise
            self.sleep(delay)
        return super().request(method, url, *args, **kwargs)

    def _redirected(self, url: str) -> str:
        if self.endpoint:
            for base in GOOGLE_BASES:
                if url.startswith(base):
                    return self.endpoint + url[len(base):]
        return url


def _worth_retrying(method: str, error: APIError) -> bool:
    """Quota refusals are never applied, so any call may be sent again; server errors only for reads."""
    status = error.response.status_code
    return status == 429 or (method.lower() == "get" and status in (500, 502, 503, 504))
