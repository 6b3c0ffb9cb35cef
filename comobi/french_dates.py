"""Days and months in French (pure): the one table of their names and the few ways the
app writes a date in words."""
from __future__ import annotations

from datetime import date

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")  # 0 = Monday
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
SHORT_MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")


def day_month(value: date) -> str:
    """"mardi 8 janvier"."""
    return f"{WEEKDAYS[value.weekday()]} {value.day} {MONTHS[value.month - 1]}"


def long_date(value: date) -> str:
    """"mardi 8 janvier 2026"."""
    return f"{day_month(value)} {value.year}"


def month_year(value: date) -> str:
    """"janvier 2026"."""
    return f"{MONTHS[value.month - 1]} {value.year}"


def short_month_year(value: date) -> str:
    """"janv. 26", for a chart's axis."""
    return f"{SHORT_MONTHS[value.month - 1]} {value.year % 100:02d}"
