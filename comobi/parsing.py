"""Lenient reading of what a clerk types in a spreadsheet cell.

Every parser accepts surrounding spaces and any case, returns None (or an empty
value) for a blank cell and raises ValueError with a short French message for a
value it cannot understand. Nothing here does I/O.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date, time, timedelta

from .french_dates import MONTHS, SHORT_MONTHS, WEEKDAYS

__all__ = [
    "normalise_key",
    "normalise_keys",
    "parse_time",
    "parse_days",
    "parse_date",
    "parse_seats",
    "parse_yes",
    "normalise_phone",
    "phone_is_valid",
    "format_time",
    "format_days",
    "MAX_SEATS",
]

MAX_SEATS = 8


def _quote(text: str) -> str:
    return f"« {text.strip()} »"


# --- keys ------------------------------------------------------------------

# Ligatures that NFKD leaves alone.
_LIGATURES = (("œ", "oe"), ("Œ", "Oe"), ("æ", "ae"), ("Æ", "Ae"), ("ß", "ss"))


def _expand_ligatures(text: str) -> str:
    for ligature, letters in _LIGATURES:  # str.replace is much faster than str.translate
        text = text.replace(ligature, letters)
    return text
_NOT_KEY = re.compile(r"[^a-z0-9]+")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", _expand_ligatures(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _ascii_lower(text: str) -> str:
    # Dropping every non-ASCII character after NFKD removes the accents, in C.
    decomposed = unicodedata.normalize("NFKD", _expand_ligatures(text))
    return decomposed.encode("ascii", "ignore").decode("ascii").lower()


def normalise_key(text: str) -> str:
    """Lower case, no accents, nothing but a-z0-9: "Date d'inscription" -> "datedinscription"."""
    return _NOT_KEY.sub("", _ascii_lower(text or ""))


def normalise_keys(texts: list[str]) -> list[str]:
    """normalise_key of each text, in one pass over a joined string: several times
    faster than one call per text, which matters for the 35,000 commune names."""
    joined = _ascii_lower("\n".join(text.replace("\n", " ") for text in texts))
    return re.sub(r"[^a-z0-9\n]+", "", joined).split("\n")


def _words(text: str) -> str:
    """Lower case, no accents, punctuation turned to single spaces (hyphens kept)."""
    plain = strip_accents(text).lower()
    return " ".join(re.sub(r"[^a-z0-9\-]+", " ", plain).split())


# --- time ------------------------------------------------------------------

_TIME_WORDS = {"midi": time(12, 0), "minuit": time(0, 0)}
_TIME_FILLERS = re.compile(r"^(?:vers|environ|a|à|~)\s+|\s+(?:environ|env\.?)$")
_H_FORM = re.compile(r"^(?P<h>\d{1,2})\s*(?:h|heures?)\s*(?:(?P<m>\d{2})\s*(?:min|mn)?)?$")
_COLON_FORM = re.compile(r"^(?P<h>\d{1,2})\s*[:.]\s*(?P<m>\d{2})(?:\s*:\s*\d{2})?$")
_COMPACT_FORM = re.compile(r"^(?P<h>\d{1,2})(?P<m>\d{2})$")
_BARE_HOUR = re.compile(r"^(?P<h>\d{1,2})$")
_DAY_FRACTION = re.compile(r"^0?[.,](\d{3,})$")
_DATETIME_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}[ t]")


def parse_time(text: str | None) -> time | None:
    """'8h', '8h30', '8 h 30', '08:30', '8:30:00', '8.30', '0830', 'midi'... -> time."""
    raw = (text or "").strip()
    if not raw:
        return None
    cleaned = _TIME_FILLERS.sub("", raw.lower()).strip()
    # A spreadsheet may export a time cell as "1899-12-30 08:30:00".
    cleaned = _DATETIME_PREFIX.sub("", cleaned)
    if cleaned in _TIME_WORDS:
        return _TIME_WORDS[cleaned]
    fraction = _DAY_FRACTION.match(cleaned)
    if fraction:
        return _time_from_day_fraction(float("0." + fraction.group(1)))
    for pattern in (_H_FORM, _COLON_FORM, _COMPACT_FORM, _BARE_HOUR):
        found = pattern.match(cleaned)
        if found:
            hour, minute = int(found["h"]), int(found.groupdict().get("m") or 0)
            if hour < 24 and minute < 60:
                return time(hour, minute)
            break
    raise ValueError(f"heure illisible : {_quote(raw)}")


def _time_from_day_fraction(fraction: float) -> time:
    """A time cell read as a number: 0.354166 of a day is 8:30."""
    minutes = round(fraction * 24 * 60) % (24 * 60)
    return time(minutes // 60, minutes % 60)


def format_decimal(value: float, decimals: int) -> str:
    """12.5 -> '12,5': a number as a French sheet shows it, without grouping, so that it reads
    back (``rides.parse_amount``); pages use ``tariff.number_fr``."""
    return f"{value:.{decimals}f}".replace(".", ",")


def format_time(value: time | None) -> str:
    """8:30 -> '8h30', 8:00 -> '8h', 12:05 -> '12h05'."""
    if value is None:
        return ""
    return f"{value.hour}h{value.minute:02d}" if value.minute else f"{value.hour}h"


# --- days ------------------------------------------------------------------

ALL_DAYS = frozenset(range(7))
WORKING_DAYS = frozenset(range(5))
WEEKEND = frozenset({5, 6})

_DAY_WORDS: dict[str, int] = {}
for _index, _name in enumerate(WEEKDAYS):
    # "lundi", "lundis", "lun", "lu"; the two-letter forms are all distinct.
    for _form in (_name, _name + "s", _name[:3], _name[:2]):
        _DAY_WORDS[_form] = _index
# Initials; a lone "m" is resolved in context (see _read_one_day).
_DAY_WORDS.update({"l": 0, "j": 3, "v": 4, "s": 5, "d": 6})

_DAY_SETS = {"semaine": WORKING_DAYS, "weekend": WEEKEND, "tlj": ALL_DAYS}
_DAY_PHRASES = [
    (re.compile(r"\b(?:tous les jours|chaque jour|tljs?|7 ?j? ?7|quotidien(?:nement)?)\b"), " tlj "),
    (re.compile(r"\bweek ?-? ?ends?\b|\bwe\b"), " weekend "),
    (re.compile(r"\b(?:jours? de (?:la )?semaine|jours? ouvres?)\b"), " semaine "),
    (re.compile(r"\bapres ?-? ?midis?\b"), " "),
]
_DAY_FILLERS = {"le", "les", "et", "du", "de", "la", "en", "chaque", "tous", "toutes",
                "matin", "matins", "soir", "soirs", "midi", "aprem", "jours", "jour", "ou"}
_RANGE_WORDS = {"au", "a", "-"}
# "LMMJV": letters only, each one a day initial.
_INITIALS = re.compile(r"^[lmjvsd]{2,7}$")


def parse_days(text: str | None) -> frozenset[int]:
    """'lundi, jeudi', 'lun-ven', 'du lundi au vendredi', 'L M J', 'LMMJV'... -> {0..6}."""
    raw = (text or "").strip()
    if not raw:
        return frozenset()
    words = _words(raw)
    for pattern, replacement in _DAY_PHRASES:
        words = pattern.sub(replacement, words)
    included, _, excluded = words.partition("sauf")
    try:
        days = _read_day_list(included) if included.strip() else ALL_DAYS
        if excluded.strip():
            days = days - _read_day_list(excluded)
    except ValueError:
        raise ValueError(f"jours illisibles : {_quote(raw)}") from None
    if not days:
        raise ValueError(f"jours illisibles : {_quote(raw)}")
    return frozenset(days)


def _day_tokens(words: str) -> list[str]:
    tokens = []
    for word in words.replace("-", " - ").split():
        if _INITIALS.match(word):
            tokens.extend(word)
        elif word not in _DAY_FILLERS:
            tokens.append(word)
    return tokens


def _read_day_list(words: str) -> frozenset[int]:
    """Read days and ranges ('lundi - mercredi', 'lun au ven') from tokens."""
    days: set[int] = set()
    pending_range_from: int | None = None
    previous: int | None = None
    for token in _day_tokens(words):
        if token in _RANGE_WORDS:
            if previous is None:
                raise ValueError(token)
            pending_range_from = previous
            continue
        if token in _DAY_SETS:
            days |= _DAY_SETS[token]
            previous = None
            continue
        day = _read_one_day(token, days)
        if pending_range_from is not None:
            days |= _day_range(pending_range_from, day)
            pending_range_from = None
        days.add(day)
        previous = day
    if pending_range_from is not None:
        raise ValueError("range")
    return frozenset(days)


def _read_one_day(token: str, seen: set[int]) -> int:
    # A lone "M" is mardi, unless mardi is already there: then it is mercredi
    # ("L M M J V"). "L M J" therefore reads lundi, mardi, jeudi.
    if token == "m":
        return 2 if 1 in seen else 1
    if token not in _DAY_WORDS:
        raise ValueError(token)
    return _DAY_WORDS[token]


def _day_range(first: int, last: int) -> set[int]:
    """Inclusive, wrapping over the week end: vendredi-lundi is Fri, Sat, Sun, Mon."""
    length = (last - first) % 7
    return {(first + step) % 7 for step in range(length + 1)}


def format_days(days: frozenset[int] | set[int]) -> str:
    """{0..4} -> 'du lundi au vendredi', {0, 3} -> 'lundi et jeudi'."""
    return _format_day_set(frozenset(days))


@functools.lru_cache(maxsize=128)  # 128 sets of weekdays, and each list page shows 20 trips
def _format_day_set(days: frozenset[int]) -> str:
    if not days:
        return ""
    if days == ALL_DAYS:
        return "tous les jours"
    if len(days) == 6:
        (missing,) = ALL_DAYS - days
        return f"tous les jours sauf le {WEEKDAYS[missing]}"
    parts = [_format_run(run) for run in _runs(sorted(days))]
    return _join_french(parts)


def _runs(days: list[int]) -> list[list[int]]:
    """Consecutive days grouped; runs shorter than three read better as plain names."""
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    split: list[list[int]] = []
    for run in runs:
        split.extend([run] if len(run) >= 3 else [[day] for day in run])
    return split


def _format_run(run: list[int]) -> str:
    if len(run) == 1:
        return WEEKDAYS[run[0]]
    return f"du {WEEKDAYS[run[0]]} au {WEEKDAYS[run[-1]]}"


def _join_french(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " et " + parts[-1]


# --- dates -----------------------------------------------------------------

# Month words as typed, without accents: the names, their abbreviations, shorter ones still.
_MONTHS = {normalise_key(word): number for number, words in enumerate(zip(MONTHS, SHORT_MONTHS), 1)
           for word in words}
_MONTHS.update({"jan": 1, "fev": 2, "mar": 3, "sep": 9})
_ISO_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ t].*)?$")
_FRENCH_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{2}|\d{4}))?(?: .*)?$")
_WORDY_DATE = re.compile(r"^(?:[a-z]+ )?(\d{1,2})(?:er)? ([a-z]+)\.?(?: (\d{4}))?$")
# A date cell read as a number of days since 1899-12-30 (spreadsheet serial).
_SERIAL = re.compile(r"^(\d{5})(?:\.0+)?$")
_SERIAL_EPOCH = date(1899, 12, 30)


def parse_date(text: str | None, today: date | None = None) -> date | None:
    """'25/12/2026', '2026-12-25', '25/12/26', '25.12.2026', '25 décembre 2026'... -> date.

    A date without a year ('25/12') is only understood when `today` is given:
    it is then the next such day from today on.
    """
    raw = (text or "").strip()
    if not raw:
        return None
    plain = strip_accents(raw).lower()
    try:
        parts = _date_parts(plain)
    except (KeyError, TypeError):
        parts = None
    if parts is None:
        raise ValueError(f"date illisible : {_quote(raw)}")
    if isinstance(parts, date):
        return parts
    year, month, day = parts
    try:
        return _build_date(year, month, day, today)
    except ValueError:
        raise ValueError(f"date illisible : {_quote(raw)}") from None


def _date_parts(plain: str) -> tuple[int | None, int, int] | date | None:
    if found := _ISO_DATE.match(plain):
        return int(found.group(1)), int(found.group(2)), int(found.group(3))
    if found := _FRENCH_DATE.match(plain):
        year = found.group(3)
        return _full_year(year), int(found.group(2)), int(found.group(1))
    if found := _WORDY_DATE.match(" ".join(plain.replace(".", " ").split())):
        year = found.group(3)
        return _full_year(year), _MONTHS[found.group(2)], int(found.group(1))
    if found := _SERIAL.match(plain):
        return _SERIAL_EPOCH + timedelta(days=int(found.group(1)))
    return None


def _full_year(year: str | None) -> int | None:
    if year is None:
        return None
    return 2000 + int(year) if len(year) == 2 else int(year)


def _build_date(year: int | None, month: int, day: int, today: date | None) -> date:
    if year is not None:
        return date(year, month, day)
    if today is None:
        raise ValueError("year missing")
    candidate = date(today.year, month, day) if (month, day) != (2, 29) else None
    if candidate is None or candidate < today:
        return date(today.year + 1, month, day)
    return candidate


# --- seats -----------------------------------------------------------------

_SEAT_WORDS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
               "six": 6, "sept": 7, "huit": 8, "complet": 0, "aucune": 0}
_SEATS = re.compile(r"^(\d+|[a-z]+)(?:[.,]0+)?(?: ?(?:places?|pl\.?|\(s\)|passagers?))*$")


def parse_seats(text: str | None) -> int | None:
    """'3', '3 places', '3.0', 'trois' -> 3; '0' or 'complet' -> 0 (a full trip)."""
    raw = (text or "").strip()
    if not raw:
        return None
    found = _SEATS.match(strip_accents(raw).lower())
    word = found.group(1) if found else ""
    seats = int(word) if word.isdigit() else _SEAT_WORDS.get(word)
    if seats is None or seats > MAX_SEATS:
        raise ValueError(f"nombre de places illisible : {_quote(raw)} (de 0 à {MAX_SEATS})")
    return seats


# --- yes / no --------------------------------------------------------------

_YES = {"oui", "o", "x", "yes", "y", "vrai", "true", "1", "ok", "daccord",
        "jeconsens", "jaccepte", "accepte", "consens"}
_YES_PREFIXES = ("oui", "jeconsens", "jaccepte", "daccord")
_TICKS = {"✓", "✔", "☑", "✅"}


def parse_yes(text: str | None) -> bool:
    """'Oui', 'x', 'Je consens', "d'accord"... -> True; anything else -> False.

    Anything not clearly a yes counts as no: this decides whether a driver's
    phone number is shown, so doubt must keep it hidden.
    """
    raw = (text or "").strip()
    if raw in _TICKS:
        return True
    key = normalise_key(raw)
    return key in _YES or key.startswith(_YES_PREFIXES)


# --- phone numbers ---------------------------------------------------------

_FRENCH_NATIONAL = re.compile(r"^0[1-9]\d{8}$")


def normalise_phone(text: str | None) -> str:
    """'612345678' / '+33 6 12 34 56 78' / '06.12.34.56.78' -> '06 12 34 56 78'.

    A number that does not look French comes back stripped but unchanged.
    """
    raw = (text or "").strip()
    if not raw:
        return ""
    national = _french_national_digits(raw)
    if national is None:
        return raw
    return " ".join(national[i:i + 2] for i in range(0, 10, 2))


def _french_national_digits(raw: str) -> str | None:
    """The ten digits '0XXXXXXXXX' of a French number, or None."""
    text = re.sub(r"^(\d+)\.0+$", r"\1", raw)  # a number cell exported as "612345678.0"
    text = text.replace("(0)", "")
    if re.search(r"[^\d\s.\-/+()]", text):
        return None
    digits = re.sub(r"\D", "", text)
    international = text.lstrip().startswith("+") or digits.startswith("0033")
    digits = digits[2:] if digits.startswith("00") else digits
    if (international or len(digits) == 11) and digits.startswith("33"):
        digits = "0" + digits[2:]
    elif len(digits) == 9 and not international:
        digits = "0" + digits  # a sheet dropped the leading zero
    return digits if _FRENCH_NATIONAL.match(digits) else None


def phone_is_valid(text: str | None) -> bool:
    """True for a French landline or mobile number, with or without +33."""
    return _french_national_digits((text or "").strip()) is not None
