"""A volunteer's Disponibilités typed the way a clerk says them."""
from datetime import time

import pytest

from comobi.availability import AFTERNOON, MORNING, WHOLE_DAY, Slot, is_available, parse_availability

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
WEEK = frozenset(range(5))
ALL = frozenset(range(7))


def slots(*triples):
    return tuple(Slot(frozenset(days), start, end) for days, (start, end) in triples)


@pytest.mark.parametrize("text, expected", [
    ("lun matin, mer après-midi", slots(({MON}, MORNING), ({WED}, AFTERNOON))),
    ("mardi 14h-18h", slots(({TUE}, (time(14), time(18))),)),
    ("tous les matins", slots((ALL, MORNING),)),
    ("du lundi au vendredi 9h-12h", slots((WEEK, (time(9), time(12))),)),
    ("sauf le week-end", slots((WEEK, WHOLE_DAY),)),
    ("mardi matin", slots(({TUE}, MORNING),)),
    ("le jeudi", slots(({THU}, WHOLE_DAY),)),
    ("lundi et jeudi après-midi", slots(({MON, THU}, AFTERNOON),)),
    ("semaine", slots((WEEK, WHOLE_DAY),)),
    ("tous les jours sauf dimanche", slots((ALL - {SUN}, WHOLE_DAY),)),
    ("mer 9h30-12h", slots(({WED}, (time(9, 30), time(12))),)),
    ("Lundi de 9h à 12h et jeudi l'après-midi", slots(({MON}, (time(9), time(12))), ({THU}, AFTERNOON))),
    ("lun-ven 14-18h", slots((WEEK, (time(14), time(18))),)),
    ("en semaine le matin", slots((WEEK, MORNING),)),
    ("L M J matin", slots(({MON, TUE, THU}, MORNING),)),
    ("l'après-midi du lundi", slots(({MON}, AFTERNOON),)),
    ("MARDI MATIN ; Vendredi", slots(({TUE}, MORNING), ({FRI}, WHOLE_DAY))),
    ("tous les jours sauf le samedi et le dimanche", slots((WEEK, WHOLE_DAY),)),
    ("entre 10h et 16h le mercredi", slots(({WED}, (time(10), time(16))),)),
    ("", ()),
])
def test_clerk_styles(text, expected):
    assert parse_availability(text) == expected


@pytest.mark.parametrize("text", ["n'importe quand", "mardi 18h-9h", "lundi au", "quand il fait beau",
                                  "sauf mardi matin", "sauf tous les jours"])
def test_unreadable_cells_say_why_in_french(text):
    with pytest.raises(ValueError, match="disponibilités illisibles"):
        parse_availability(text)


def test_available_around_the_wished_time():
    tuesday_morning = parse_availability("mardi matin")
    assert is_available(tuesday_morning, TUE, time(10))
    assert is_available(tuesday_morning, TUE, time(13, 15))  # an hour's margin after 12h30
    assert not is_available(tuesday_morning, TUE, time(15))
    assert not is_available(tuesday_morning, WED, time(10))
    assert is_available(tuesday_morning, TUE, None)
    assert is_available((), SUN, time(3))  # not said: the clerk asks on the phone
