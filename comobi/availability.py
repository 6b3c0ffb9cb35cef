"""A volunteer's availability, typed as the clerk would say it, read leniently.

``lun matin, mer après-midi``, ``mardi 14h-18h``, ``tous les matins``,
``du lundi au vendredi 9h-12h``, ``sauf le week-end``, ``lundi et jeudi après-midi``...

The cell is cut into parts at commas, semicolons, slashes and line ends. In each part,
days are gathered until a moment of the day (``matin``, ``14h-18h``) comes, which applies
to them all ("lundi et jeudi après-midi" is two afternoons); a moment with no days before
it applies to the part's last days, or to every day; days left without a moment are whole
days. What follows ``sauf`` is taken away from every day. Pure functions, no I/O.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from comobi.parsing import (
    ALL_DAYS,
    WEEKEND,
    WORKING_DAYS,
    format_days,
    format_time,
    parse_days,
    parse_time,
    strip_accents,
)

MORNING = (time(8, 0), time(12, 30))
AFTERNOON = (time(13, 0), time(18, 30))
EVENING = (time(18, 0), time(21, 0))
DAYTIME = (time(8, 0), time(18, 30))
WHOLE_DAY = (time(0, 0), time(23, 59))
MARGIN_MINUTES = 60  # "around the wished time": a volunteer free until 12h30 can bring someone at 13h

_MOMENTS = {"matin": MORNING, "matins": MORNING, "matinee": MORNING, "matinees": MORNING,
            "apm": AFTERNOON, "soir": EVENING, "soirs": EVENING, "soiree": EVENING, "soirees": EVENING,
            "journee": DAYTIME, "journees": DAYTIME}
_FILLERS = {"le", "les", "la", "et", "du", "de", "des", "en", "chaque", "tous", "toutes", "tout", "toute",
            "jours", "jour", "ou", "disponible", "disponibles", "dispo", "dispos", "libre", "libres", "uniquement",
            "seulement", "plutot", "surtout", "a", "au", "aux", "partir", "entiere", "entieres", "sur",
            "rendez", "vous", "rdv", "possible", "sinon", "meme"}
_RANGE = {"au", "a", "-"}
_HOUR = r"\d{1,2}(?:\s*h\s*(?:\d{2})?|\s*:\s*\d{2})?"
_TIME_SPAN = re.compile(rf"(?:\bde\s+|\bentre\s+)?({_HOUR})\s*(?:-|\ba\b|\bau\b|\bet\b|\bjusqu\s*a\b)\s*({_HOUR})")
_BEFORE = re.compile(rf"\bavant\s+({_HOUR})")
_AFTER = re.compile(rf"\b(?:apres|a partir de|des)\s+({_HOUR})")
_PHRASES = [
    (re.compile(r"\bapres\s*-?\s*midis?\b|\baprem\b|\bam\b"), " apm "),
    (re.compile(r"\bweek\s*-?\s*ends?\b|\bwe\b"), " weekend "),
    (re.compile(r"\b(?:tous les jours|chaque jour|tljs?|7\s*j?\s*/?\s*7)\b"), " tlj "),
    (re.compile(r"\b(?:jours? de (?:la )?semaine|en semaine|jours? ouvres?)\b"), " semaine "),
    (re.compile(r"\btoute la journee\b"), " journee "),
]
_ELISION = re.compile(r"\b(?:l|d|qu|j|n)'")  # "l'après-midi": a lone "l" would be lundi
_PARTS = re.compile(r"[,;/\n]+")
_ONE_HOUR = re.compile(r"^\d{1,2}(?:h\d{0,2}|:\d{2})$")
_DAY_SETS = {"semaine": WORKING_DAYS, "weekend": WEEKEND, "tlj": ALL_DAYS}


@dataclass(frozen=True)
class Slot:
    days: frozenset[int]  # 0 = Monday ... 6 = Sunday
    start: time
    end: time

    def covers(self, day: int, moment: time | None, margin: int = MARGIN_MINUTES) -> bool:
        if day not in self.days:
            return False
        if moment is None:
            return True
        minutes = moment.hour * 60 + moment.minute
        return _minutes(self.start) - margin <= minutes <= _minutes(self.end) + margin


def parse_availability(text: str | None) -> tuple[Slot, ...]:
    """The slots a cell describes; () for a blank cell; ValueError (French) if unreadable."""
    raw = (text or "").strip()
    if not raw:
        return ()
    plain = _ELISION.sub(" ", " " + strip_accents(raw).lower().replace("’", "'") + " ").replace("'", " ")
    included, _, excluded = plain.partition("sauf")
    try:
        slots = _read_included(included)
        removed = _read_excluded(excluded)
    except ValueError as error:
        raise ValueError(f"disponibilités illisibles : « {raw} » ({error}).") from None
    slots = [Slot(s.days - removed, s.start, s.end) for s in slots]
    slots = [s for s in slots if s.days]
    if not slots:
        raise ValueError(f"disponibilités illisibles : « {raw} » (aucun jour ne reste).")
    return tuple(slots)


def is_available(slots: tuple[Slot, ...], day: int, moment: time | None) -> bool:
    """Free on that weekday around that time? A blank availability is not known: say yes."""
    return not slots or any(slot.covers(day, moment) for slot in slots)


def describe(slots: tuple[Slot, ...]) -> str:
    if not slots:
        return "non précisées"
    return ", ".join(f"{format_days(s.days)}" + ("" if (s.start, s.end) == WHOLE_DAY else
                                                  f" de {format_time(s.start)} à {format_time(s.end)}")
                     for s in slots)


def _read_included(text: str) -> list[Slot]:
    if not text.strip():
        return [Slot(ALL_DAYS, *WHOLE_DAY)]
    slots = []
    for part in _PARTS.split(text):
        slots.extend(_read_part(part))
    if not slots:
        return [Slot(ALL_DAYS, *WHOLE_DAY)]
    return slots


def _read_excluded(text: str) -> frozenset[int]:
    words = _normalised(text)
    days: set[int] = set()
    for token in _tokens(words):
        if token in _MOMENTS or token.startswith("@"):
            raise ValueError("après « sauf », seulement des jours")
        days |= _one_day_token(token)
    return frozenset(days)


def _read_part(part: str) -> list[Slot]:
    tokens = _tokens(_normalised(part))
    slots: list[Slot] = []
    pending: set[int] = set()
    last_days: frozenset[int] = ALL_DAYS
    range_from: int | None = None
    previous_day: int | None = None
    floating: list[tuple[time, time]] = []  # moments said before any day: "l'après-midi du lundi"
    for token in tokens:
        moment = _moment(token)
        if moment is not None:
            if not pending and not slots:
                floating.append(moment)
                continue
            days = frozenset(pending) or last_days
            slots.append(Slot(days, *moment))
            last_days, pending, previous_day = days, set(), None
        elif token in _RANGE:
            if previous_day is None:
                raise ValueError(f"« {token} » sans jour avant")
            range_from = previous_day
        else:
            days = _one_day_token(token)
            if range_from is not None:
                if len(days) != 1:
                    raise ValueError(f"période de jours « {token} » incomplète")
                days = _day_range(range_from, next(iter(days)))
                range_from = None
            pending |= days
            previous_day = next(iter(days)) if len(days) == 1 else None
    if range_from is not None:
        raise ValueError("une période de jours n'a pas de fin")
    days = frozenset(pending)
    slots = [Slot(days or ALL_DAYS, *moment) for moment in floating] + slots
    if pending and not floating:
        slots.append(Slot(days, *WHOLE_DAY))
    return slots


def _normalised(text: str) -> str:
    words = " " + " ".join(re.sub(r"[^a-z0-9:\-]+", " ", text).split()) + " "
    for pattern, replacement in _PHRASES:
        words = pattern.sub(replacement, words)
    words = _TIME_SPAN.sub(lambda m: f" @{_clock(m[1])}-{_clock(m[2])} ", words)
    words = _BEFORE.sub(lambda m: f" @6h-{_clock(m[1])} ", words)
    return _AFTER.sub(lambda m: f" @{_clock(m[1])}-23h59 ", words)


def _tokens(words: str) -> list[str]:
    tokens = []
    for word in words.replace("-", " - ").replace("@ ", "@").split():
        if word.startswith("@"):
            tokens.append(word)
        elif word not in _FILLERS or word in _RANGE:
            tokens.append(word)
    return _rejoin_spans(tokens)


def _rejoin_spans(tokens: list[str]) -> list[str]:
    """The '-' inside '@9h-12h' was split like a day range: put the span back together."""
    joined: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.startswith("@") and index + 2 < len(tokens) and tokens[index + 1] == "-":
            joined.append(f"{token}-{tokens[index + 2]}")
            index += 3
            continue
        joined.append(token)
        index += 1
    return joined


def _moment(token: str) -> tuple[time, time] | None:
    if token in _MOMENTS:
        return _MOMENTS[token]
    if token.startswith("@"):
        start, _, end = token[1:].partition("-")
        first, last = parse_time(start), parse_time(end)
        if first is None or last is None or last <= first:
            raise ValueError(f"horaire « {start}-{end} » impossible")
        return first, last
    if _ONE_HOUR.match(token):  # "mardi 10h": around ten
        moment = parse_time(token)
        return moment, moment
    return None


def _one_day_token(token: str) -> frozenset[int]:
    if token in _DAY_SETS:
        return _DAY_SETS[token]
    if token.isdigit():
        raise ValueError(f"« {token} » non compris")
    try:
        return parse_days(token)
    except ValueError:
        raise ValueError(f"mot « {token} » non compris") from None


def _day_range(first: int, last: int) -> frozenset[int]:
    length = (last - first) % 7
    return frozenset((first + step) % 7 for step in range(length + 1))


def _clock(text: str) -> str:
    """'9' -> '9h', '9 h 30' -> '9h30', '14:00' stays."""
    text = text.replace(" ", "")
    return text if ("h" in text or ":" in text) else text + "h"


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute
