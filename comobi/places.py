"""Communes and known places: finding them from what people type, measuring distances.

The bundled list of French communes is read once per process and shared; a
`Places` set scopes it to a territory (départements and/or EPCI) and adds the
clerk's own places (tab `Lieux`). Reading a file is the only I/O, and it happens
in `Places.load`.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

from .communes_data import COMMUNES_CSV, Commune, Country
from .communes_data import country as _country
from .models import Place
from .parsing import normalise_key, strip_accents

__all__ = ["Places", "slugify", "distance_km", "COMMUNES_CSV"]

EARTH_RADIUS_KM = 6371.0
# A prefix ("Limogne" for "Limogne-en-Quercy") is tried only from this length on.
MIN_PREFIX_KEY = 4


# --- pure helpers ----------------------------------------------------------

def slugify(name: str) -> str:
    """'Saint-Céré' -> 'saint-cere', "L'Hospitalet" -> 'l-hospitalet'."""
    return re.sub(r"[^a-z0-9]+", "-", strip_accents(name).lower()).strip("-")


def _point(place) -> tuple[float, float]:
    if hasattr(place, "latitude"):
        return place.latitude, place.longitude
    return place[0], place[1]


def distance_km(a, b) -> float:
    """Great-circle distance between two places or (latitude, longitude) pairs."""
    lat1, lon1 = map(math.radians, _point(a))
    lat2, lon2 = map(math.radians, _point(b))
    # Squares as products, not `** 2` (libm's pow may round differently): the numpy index
    # (comobi.matching) and static/search.js compute the very same bits.
    half_lat, half_lon = math.sin((lat2 - lat1) / 2), math.sin((lon2 - lon1) / 2)
    h = half_lat * half_lat + math.cos(lat1) * math.cos(lat2) * half_lon * half_lon
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


_SAINTS = [(re.compile(r"\bst\b\.?"), "saint"), (re.compile(r"\bste\b\.?"), "sainte")]


def name_key(text: str) -> str:
    """Key for matching a typed name: like normalise_key, with St/Ste read as Saint/Sainte."""
    plain = strip_accents(text).lower()
    for pattern, full in _SAINTS:
        plain = pattern.sub(full, plain)
    return normalise_key(plain)


_CODE = r"(?P<code>\d{5}|\d{2,3}|2[ab])"
_QUERY_FORMS = [
    re.compile(rf"^{_CODE}$"),
    re.compile(rf"^{_CODE}[\s,\-]+(?P<name>.+)$"),
    re.compile(rf"^(?P<name>.+?)\s*\(\s*{_CODE}\s*\)$"),
    re.compile(rf"^(?P<name>.+?)[\s,\-]+{_CODE}$"),
]
_TRAILING_ARTICLE = re.compile(r"^(?P<name>.+?)\s*\((?P<article>le|la|les|l')\)$")


def split_query(text: str) -> tuple[str, str, str]:
    """'Figeac (46100)' -> ('Figeac', '46100', ''); 'Cahors 46' -> ('Cahors', '', '46')."""
    query = " ".join(text.lower().split())
    name, code = query, ""
    for form in _QUERY_FORMS:
        found = form.match(query)
        if found:
            name, code = found.groupdict().get("name") or "", found["code"]
            break
    article = _TRAILING_ARTICLE.match(name)
    if article:  # "Vigan (Le)", the old INSEE way of writing "Le Vigan"
        name = f"{article['article']} {article['name']}"
    if len(code) == 5:
        return name, code, ""
    return name, "", _departement_code(code) if code else ""


def _departement_code(code: str) -> str:
    code = str(code).strip().upper()
    return code.zfill(2) if code.isdigit() and len(code) == 1 else code


def _most_populous(communes: Sequence[Commune]) -> Commune:
    return max(communes, key=lambda commune: commune.population)


# --- a scoped set of places ------------------------------------------------

class Places:
    """The communes of one territory, the clerk's own places, and the rest of France."""

    def __init__(self, country: Country, scope: frozenset[str] | None,
                 extra: Iterable[tuple[Sequence[str], float, float]] = (), scoped: list[Commune] | None = None):
        self._country = country
        self._scope = scope  # INSEE codes, or None for the whole country
        self._cache: dict[str, Place] = {}
        self._overrides: dict[str, tuple[float, float]] = {}
        self._extra_by_key: dict[str, Place] = {}
        self._extra_places: list[Place] = []
        self._sorted: list[Place] | None = None
        self._scoped = scoped  # the communes of the scope, when known
        for names, latitude, longitude in extra:
            self._add_extra(names, float(latitude), float(longitude))

    @classmethod
    def load(cls, departements: Iterable[str] = (), epcis: Iterable[str] = (),
             extra: Iterable[tuple[Sequence[str], float, float]] = ()) -> Places:
        """Scope = communes in any of the départements or EPCI (SIREN or name); none = all."""
        country = _country()
        deps = {_departement_code(code) for code in departements}
        epci_keys = {normalise_key(str(epci)) for epci in epcis}
        scope, scoped = None, None
        if deps or epci_keys:
            epci_codes = _epci_codes(country, epci_keys) if epci_keys else set()
            scoped = country.within(deps, epci_codes)
            scope = frozenset(c.insee for c in scoped)
        return cls(country, scope, extra, scoped)

    # -- queries --

    def find(self, text: str | None) -> Place | None:
        """The place meant by `text`, leniently; None when nothing fits."""
        name, postcode, departement = split_query(text or "")
        return self.find_key(name_key(name), postcode, departement)

    def find_key(self, key: str, postcode: str = "", departement: str = "") -> Place | None:
        """`find` once the text is split (`split_query`) and its name made a key (`name_key`)."""
        if not key:
            return self._from_postcode(postcode) if postcode else None
        candidates = self._country.named(key)
        if postcode or departement:
            given = [c for c in candidates if _has_code(c, postcode, departement)]
            if given:
                return self._place(_most_populous(given))
        if key in self._extra_by_key:
            return self._extra_by_key[key]
        local = [c for c in candidates if self._commune_in_scope(c)]
        if local or candidates:
            return self._place(_most_populous(local or candidates))
        return self._unique_prefix_match(key)

    def homonyms(self, key: str) -> list[tuple[tuple[str, ...], str]]:
        """The postcodes and département of every commune of France with this key."""
        return [(c.postcodes, c.departement) for c in self._country.named(key)]

    def is_key(self, key: str) -> bool:
        """Whether `find_key` finds this key as a whole name (a prefix is not tried then)."""
        return self._country.has_key(key) or key in self._extra_by_key

    def prefix_keys(self) -> list[tuple[str, object]]:
        """The keys that `find_key` tries prefixes of, sorted, each with its place's identity
        (`identity`): several keys may lead to one place."""
        keys = [(c.key, c.insee) for c in self._scope_communes()]
        keys += [(key, identity(place)) for key, place in self._extra_by_key.items()]
        return sorted(keys, key=lambda pair: pair[0])

    def in_scope(self) -> list[Place]:
        """Communes of the territory and the clerk's places, sorted by name."""
        if self._sorted is None:
            places = [self._place(c) for c in self._scope_communes()] + self._extra_places
            self._sorted = sorted(places, key=lambda p: (normalise_key(p.name), p.name))
        return list(self._sorted)

    def populations(self) -> dict[str, int]:
        """Population of each commune of the territory, by INSEE code."""
        return {c.insee: c.population for c in self._scope_communes()}

    def by_slug(self, slug: str) -> Place | None:
        slug = (slug or "").strip().lower()
        for place in self._slug_candidates(slug):
            if place.slug == slug:
                return place
        return None


    # -- building places --

    def _place(self, commune: Commune) -> Place:
        place = self._cache.get(commune.insee)
        if place is None:
            latitude, longitude = self._overrides.get(
                commune.insee, (commune.latitude, commune.longitude))
            place = Place(commune.name, self._slug(commune), latitude, longitude,
                          commune.insee, commune.departement, commune.postcodes)
            self._cache[commune.insee] = place
        return place

    def _slug(self, commune: Commune) -> str:
        """Bare slug for a commune of the territory unless it has a homonym there;
        communes outside the territory always carry their département."""
        base = slugify(commune.name)
        if self._commune_in_scope(commune):
            homonyms = [c for c in self._country.named(commune.key) if self._commune_in_scope(c)]
            if len(homonyms) == 1:
                return base
        return f"{base}-{commune.departement.lower()}"

    def _add_extra(self, names: Sequence[str], latitude: float, longitude: float) -> None:
        names = [name.strip() for name in names if name and name.strip()]
        if not names:
            return
        commune = self._only_local_commune(names)
        if commune is not None:
            # The clerk knows better where people meet in this commune.
            self._overrides[commune.insee] = (latitude, longitude)
            self._cache.pop(commune.insee, None)
            place = self._place(commune)
        else:
            place = Place(names[0], self._free_extra_slug(slugify(names[0])), latitude, longitude)
            self._extra_places.append(place)
        for name in names:
            self._extra_by_key[name_key(name)] = place

    def _only_local_commune(self, names: Sequence[str]) -> Commune | None:
        for name in names:
            local = [c for c in self._country.named(name_key(name))
                     if self._commune_in_scope(c)]
            if len(local) == 1:
                return local[0]
        return None

    def _free_extra_slug(self, base: str) -> str:
        taken = {place.slug for place in self._extra_places}
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        return slug

    # -- lookups --

    def _commune_in_scope(self, commune: Commune) -> bool:
        return self._scope is None or commune.insee in self._scope

    def _scope_communes(self) -> list[Commune]:
        if self._scoped is None:  # scanning the whole country costs ~10 ms
            self._scoped = self._country.communes  # no scope: the whole country
        return self._scoped

    def _from_postcode(self, postcode: str) -> Place | None:
        communes = self._country.with_postcode(postcode)
        if not communes:
            return None
        local = [c for c in communes if self._commune_in_scope(c)]
        return self._place(_most_populous(local or communes))

    def _unique_prefix_match(self, key: str) -> Place | None:
        """'Limogne' -> Limogne-en-Quercy, but only when one local place starts so."""
        if len(key) < MIN_PREFIX_KEY:
            return None
        found = {id(place): place for extra_key, place in self._extra_by_key.items()
                 if extra_key.startswith(key)}
        for commune in self._scope_communes():
            if commune.key.startswith(key):
                place = self._place(commune)
                found[id(place)] = place
        return next(iter(found.values())) if len(found) == 1 else None

    def _slug_candidates(self, slug: str) -> Iterable[Place]:
        keys = [normalise_key(slug)]
        suffixed = re.match(r"^(.+)-(\d[0-9ab]\d?)$", slug)
        if suffixed:
            keys.append(normalise_key(suffixed[1]))
        for key in keys:
            yield from (p for p in self._extra_places if normalise_key(p.slug) == key)
            for commune in self._country.named(key):
                yield self._place(commune)


def identity(place: Place) -> object:
    """What tells places apart in `Places.prefix_keys`: a commune's INSEE code (its place
    may carry the clerk's point), else the clerk's place itself."""
    return place.insee or place


def _epci_codes(country: Country, wanted_keys: set[str]) -> set[str]:
    """SIREN codes of the EPCI given by code or by name."""
    names = country.epci_names
    return {code for code, name in names.items()
            if code in wanted_keys or normalise_key(name) in wanted_keys}


def _has_code(commune: Commune, postcode: str, departement: str) -> bool:
    if postcode:
        return postcode in commune.postcodes
    return commune.departement == departement
