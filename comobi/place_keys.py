"""What a browser needs to find, among some places, the one `Places.find` finds: pure logic.

static/search.js splits what the visitor typed and makes its key as `split_query` and
`name_key` do; everything else it looks up in these tables, built here from the live lookup
itself, so that the frozen search finds what the live one finds (tests/test_search_js.py):
- ``noms``: whole keys -> place number (-1: the live site finds a place the frozen site does
  not know, so no prefix may be tried);
- ``noms_codes``: "key code" -> number or -1, for a name with a postcode or département
  ("Figeac (46100)", "Cahors 46") when the code changes what the name alone finds;
- ``codes_postaux``: a postcode alone -> number;
- ``prefixes``: [key, shortest unique prefix, number]: "Limogne" finds Limogne-en-Quercy.
"""
from __future__ import annotations

from bisect import bisect_left
from typing import Iterator, Sequence

from .models import Place
from .places import MIN_PREFIX_KEY, identity, name_key


def lookup_tables(places, chosen: Sequence[Place], labels: dict[Place, str]) -> dict:
    """The tables for `chosen` (numbered by position); `labels` are the names offered to pick,
    which find their place even when the live lookup would not ("Name (slug)")."""
    number = {place: n for n, place in enumerate(chosen)}
    by_identity = {identity(place): n for place, n in number.items()}
    keyed = places.prefix_keys()  # the territory's keys, sorted, with their place's identity

    def answer(key: str, postcode: str = "", departement: str = "") -> int:
        found = places.find_key(key, postcode, departement)
        return number.get(found, -1) if found is not None else -1

    keys = {name_key(place.name) for place in chosen} | {key for key, owner in keyed if owner in by_identity}
    names = {key: n for key in keys if (n := answer(key)) >= 0}
    with_codes = {}
    for key in keys:
        for postcodes, departement in places.homonyms(key):
            for code in postcodes:
                with_codes[f"{key} {code}"] = answer(key, postcode=code)
            with_codes[f"{key} {departement}"] = answer(key, departement=departement)
    prefixes = []
    for key, length, owner in _unique_prefixes(keyed, by_identity):
        prefixes.append([key, length, by_identity[owner]])
        for hidden in (key[:end] for end in range(length, len(key))):  # whole keys elsewhere
            if hidden not in names and places.is_key(hidden):
                names[hidden] = answer(hidden)
    for place, label in labels.items():
        names.setdefault(name_key(label), number[place])
    postcodes = {code: answer("", postcode=code) for place in chosen for code in place.postcodes}
    # Where a code changes nothing the browser falls back on the name alone: left out.
    with_codes = {key_code: n for key_code, n in with_codes.items() if n != names.get(key_code.split(" ")[0], -1)}
    return {"noms": names, "noms_codes": with_codes, "prefixes": prefixes, "prefixe_min": MIN_PREFIX_KEY,
            "codes_postaux": {code: n for code, n in postcodes.items() if n >= 0}}


def _unique_prefixes(keyed: list[tuple[str, object]], wanted) -> Iterator[tuple[str, int, object]]:
    """(key, length, owner): the shortest prefix of a wanted place's key (from MIN_PREFIX_KEY
    letters, shorter than the key) that only keys of that place start with."""
    sorted_keys = [key for key, _ in keyed]
    same_until = list(range(len(keyed)))  # last position of the run of one owner from here
    for position in range(len(keyed) - 2, -1, -1):
        if keyed[position][1] == keyed[position + 1][1]:
            same_until[position] = same_until[position + 1]
    for key, owner in keyed:
        if owner not in wanted:
            continue
        for length in range(MIN_PREFIX_KEY, len(key)):
            start = bisect_left(sorted_keys, key[:length])
            end = bisect_left(sorted_keys, key[:length] + "\x7f", start)
            if same_until[start] >= end - 1:
                yield key, length, owner
                break
