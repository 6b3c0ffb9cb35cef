"""The one table of French day and month names, and the ways dates are written in words."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from comobi import french_dates
from comobi.french_dates import day_month, long_date, month_year, short_month_year


@pytest.mark.parametrize("value, expected", [
    (date(2026, 1, 6), "mardi 6 janvier 2026"),
    (date(2026, 2, 1), "dimanche 1 février 2026"),
    (date(2026, 8, 15), "samedi 15 août 2026"),
    (date(2026, 12, 31), "jeudi 31 décembre 2026"),
    (datetime(2027, 3, 1, 23, 59), "lundi 1 mars 2027"),
])
def test_long_date(value, expected):
    assert long_date(value) == expected


@pytest.mark.parametrize("value, expected", [
    (date(2026, 1, 6), "mardi 6 janvier"),
    (date(2026, 7, 3), "vendredi 3 juillet"),
    (date(2026, 10, 7), "mercredi 7 octobre"),
])
def test_day_month(value, expected):
    assert day_month(value) == expected


@pytest.mark.parametrize("value, expected", [
    (date(2026, 1, 1), "janvier 2026"),
    (date(2026, 6, 30), "juin 2026"),
    (date(2030, 11, 2), "novembre 2030"),
])
def test_month_year(value, expected):
    assert month_year(value) == expected


@pytest.mark.parametrize("value, expected", [
    (date(2026, 1, 1), "janv. 26"),
    (date(2026, 2, 1), "févr. 26"),
    (date(2026, 5, 1), "mai 26"),
    (date(2026, 9, 1), "sept. 26"),
    (date(2105, 12, 1), "déc. 05"),
])
def test_short_month_year(value, expected):
    assert short_month_year(value) == expected


def test_every_month_and_day_has_one_name():
    assert len(set(french_dates.MONTHS)) == len(set(french_dates.SHORT_MONTHS)) == 12
    assert [long_date(date(2026, 1, 5 + n)).split()[0] for n in range(7)] == list(french_dates.WEEKDAYS)
    assert all(full.startswith(short.rstrip(".")) for full, short in zip(french_dates.MONTHS, french_dates.SHORT_MONTHS))


def test_the_app_uses_this_table():
    from comobi import models, parsing
    from comobi.interop import external
    from comobi.web import helpers

    assert models.WEEKDAYS is french_dates.WEEKDAYS
    assert parsing.parse_days("mardi, vendredi") == frozenset({1, 4})
    assert helpers.long_date is long_date
    paris = ZoneInfo("Europe/Paris")
    moment = datetime(2026, 1, 6, 7, 10, tzinfo=paris).timestamp()
    assert external._date_text(moment, paris) == "mardi 6 janvier à 7h10"


@pytest.mark.parametrize("month", range(1, 13))
def test_the_cells_read_every_month_we_write(month):
    from comobi.parsing import parse_date

    written = date(2027, month, 3)
    assert parse_date(f"3 {french_dates.MONTHS[month - 1]} 2027") == written
    assert parse_date(f"3 {french_dates.SHORT_MONTHS[month - 1]} 2027") == written
    assert parse_date(long_date(written)) == written
