"""Local stand-in for the Google Sheets API v4, for tests and offline development."""

from .faults import Faults, Rule
from .server import RequestRecord, SheetsStandin

__all__ = ["Faults", "RequestRecord", "Rule", "SheetsStandin"]
