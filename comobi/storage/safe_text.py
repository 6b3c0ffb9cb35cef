"""Text the app writes into the sheet, made inert; and the same text read back.

Both adapters already store what we write as plain text (openpyxl data type "s", Google
RAW). But the clerk exports the sheet to CSV, or retypes a cell, and then a value such as
``=HYPERLINK(...)`` or ``-2+3+cmd|' /C calc'!A0`` becomes live in Excel or LibreOffice.
Following OWASP's advice on CSV injection, a value starting with ``= + - @``, a tab or a
carriage return gets a leading apostrophe. That includes harmless-looking remarks like
"- marché le jeudi": a leading ``-`` is exactly how DDE payloads start, and the cost is
one visible apostrophe in a rare cell. Values we produce ourselves (normalised phone
numbers "06 ...", times, dates, IDs) never start with these characters.

``inert`` is that protection alone, for the CSV files of ``/gestion``.

Reading removes that apostrophe again when it stands before one of those characters, so
pages show what the person typed. A clerk typing ``'=1`` in LibreOffice or Google Sheets
stores ``=1`` (the apostrophe only marks text), so stripping never eats her data.

Control characters that an .xlsx cannot hold (NUL, vertical tab...) are dropped: they
are never meant, and they would make the workbook unwritable. Line ends become "\n"
(an .xlsx turns a lone "\r" into "\n" anyway), so both adapters keep the same text; a
leading line end is protected too, so that it reads back exactly.
"""
from __future__ import annotations

import re

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n")
PROTECTION = "'"
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def for_sheet(value: str) -> str:
    """The text to store for ``value``: storable, and inert if exported or retyped."""
    value = _UNSTORABLE.sub("", value).replace("\r\n", "\n").replace("\r", "\n")
    if _looks_protected(value):
        return PROTECTION + value  # keeps a typed "'=x" from losing its apostrophe on reading
    return inert(value)


def inert(value: str) -> str:
    """``value`` with a leading apostrophe if a spreadsheet could read it as a formula:
    for cells we write and for CSV files we export alike."""
    return PROTECTION + value if value.startswith(DANGEROUS_START) else value


def from_sheet(value: str) -> str:
    """The text as it was meant, for display: the protective apostrophe removed."""
    return value[1:] if _looks_protected(value) else value


def _looks_protected(value: str) -> bool:
    return value.startswith(PROTECTION) and value[1:].lstrip(PROTECTION).startswith(DANGEROUS_START)
