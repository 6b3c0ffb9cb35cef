"""A gspread client whose calls go to the stand-in instead of Google."""

import functools

import gspread
from google.auth.credentials import AnonymousCredentials
from gspread.http_client import HTTPClient

GOOGLE_BASES = ("https://sheets.googleapis.com", "https://www.googleapis.com")


class RedirectedHTTPClient(HTTPClient):
    """gspread's HTTP client with Google's base URLs replaced by ``endpoint``."""

    def __init__(self, auth, session=None, *, endpoint: str):
        super().__init__(auth, session)
        self.endpoint = endpoint.rstrip("/")

    def request(self, method, endpoint, *args, **kwargs):
        for base in GOOGLE_BASES:
            if endpoint.startswith(base):
                endpoint = self.endpoint + endpoint[len(base):]
                break
        return super().request(method, endpoint, *args, **kwargs)


def gspread_client(endpoint: str, timeout: float | None = None) -> gspread.Client:
    factory = functools.partial(RedirectedHTTPClient, endpoint=endpoint)
    client = gspread.Client(AnonymousCredentials(), http_client=factory)
    client.set_timeout(timeout)
    return client
