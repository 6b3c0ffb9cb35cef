"""The bundled list of French communes (comobi/data/communes-france.csv), kept compact.

A worker needs every commune of France only to find a name typed out of its territory;
it holds ~35,000 of them as the file's own bytes plus a few tables (by key, by postcode,
département and EPCI of each), about 10 MB, and makes a `Commune` only for those it is
asked about: the territory's, and those found by name or postcode. Reading the file is
the only I/O, once per process.
"""
from __future__ import annotations

import csv
import functools
import sys
import threading
from array import array
from pathlib import Path
from typing import NamedTuple

from .parsing import normalise_key

COMMUNES_CSV = Path(__file__).parent / "data" / "communes-france.csv"


class Commune(NamedTuple):
    """One row of the bundled list."""

    insee: str
    name: str
    departement: str
    epci: str
    epci_name: str
    postcodes: tuple[str, ...]
    population: int
    latitude: float
    longitude: float
    key: str


class Country:
    """Every commune of the bundled list, by row number; see the module's docstring."""

    def __init__(self, raw: bytes, starts: array, departements: list[str], epcis: list[str],
                 by_key: dict[str, int | tuple[int, ...]], by_postcode: dict[str, tuple[int, ...]],
                 epci_names: dict[str, str]):
        self._raw, self._starts = raw, starts
        self._departements, self._epcis = departements, epcis
        self._by_key, self._by_postcode, self.epci_names = by_key, by_postcode, epci_names
        self._made: dict[int, Commune] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._starts)

    @property
    def communes(self) -> list[Commune]:
        """All of them, in the file's order (makes ~35,000 objects: the whole country's scope)."""
        return [self.commune(row) for row in range(len(self))]

    def named(self, key: str) -> list[Commune]:
        rows = self._by_key.get(key, ())
        return [self.commune(rows)] if isinstance(rows, int) else [self.commune(row) for row in rows]

    def has_key(self, key: str) -> bool:
        return key in self._by_key

    def with_postcode(self, postcode: str) -> list[Commune]:
        return [self.commune(row) for row in self._by_postcode.get(postcode, ())]

    def within(self, departements: set[str], epcis: set[str]) -> list[Commune]:
        """The communes of these départements or EPCI (SIREN codes)."""
        return [self.commune(row) for row, (departement, epci) in enumerate(zip(self._departements, self._epcis))
                if departement in departements or epci in epcis]

    def commune(self, row: int) -> Commune:
        made = self._made.get(row)
        if made is None:
            start = self._starts[row]
            end = self._raw.find(b"\n", start)
            made = _commune(self._raw[start:end if end >= 0 else len(self._raw)].decode("utf-8"))
            with self._lock:
                made = self._made.setdefault(row, made)
        return made


@functools.cache
def country() -> Country:
    """Read the bundled CSV once per process."""
    return read_country(COMMUNES_CSV)


def read_country(path: Path) -> Country:
    raw = path.read_bytes()
    starts, departements, epcis = array("I"), [], []
    by_key: dict[str, int | tuple[int, ...]] = {}
    by_postcode: dict[str, tuple[int, ...]] = {}
    epci_names: dict[str, str] = {}
    start = raw.index(b"\n") + 1  # after the header
    while start < len(raw):
        end = raw.find(b"\n", start)
        end = len(raw) if end < 0 else end
        fields = _fields(raw[start:end].decode("utf-8"))
        if len(fields) > 9 and fields[8] and fields[9]:  # a few new communes have no point yet
            row = len(starts)
            starts.append(start)
            departements.append(sys.intern(fields[2]))
            epcis.append(sys.intern(fields[4]))
            epci_names.setdefault(epcis[-1], fields[5])
            key = normalise_key(fields[1])
            known = by_key.get(key)
            by_key[key] = row if known is None else (*((known,) if isinstance(known, int) else known), row)
            for code in fields[6].split("|"):
                by_postcode[code] = (*by_postcode.get(code, ()), row)
        start = end + 1
    return Country(raw, starts, departements, epcis, by_key, by_postcode, epci_names)


def _fields(line: str) -> list[str]:
    return next(csv.reader([line])) if '"' in line else line.split(",")


def _commune(line: str) -> Commune:
    insee, name, departement, _region, epci, epci_name, postcodes, population, latitude, longitude = _fields(line)
    return Commune(insee, name, departement, epci, epci_name, tuple(postcodes.split("|")), int(population or 0),
                   float(latitude), float(longitude), normalise_key(name))
