from datetime import date, time
from itertools import combinations

import pytest

from comobi.parsing import (
    format_days,
    format_time,
    normalise_key,
    normalise_phone,
    parse_date,
    parse_days,
    parse_seats,
    parse_time,
    parse_yes,
    phone_is_valid,
)

MON_FRI = frozenset(range(5))
EVERY_DAY = frozenset(range(7))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("8h", time(8, 0)),
        ("8h30", time(8, 30)),
        ("8 h 30", time(8, 30)),
        ("08:30", time(8, 30)),
        ("8:30", time(8, 30)),
        ("8:30:00", time(8, 30)),
        ("08:30:00", time(8, 30)),
        ("7H45", time(7, 45)),
        ("8.30", time(8, 30)),
        ("0830", time(8, 30)),
        ("830", time(8, 30)),
        ("midi", time(12, 0)),
        ("Midi", time(12, 0)),
        ("minuit", time(0, 0)),
        ("12h", time(12, 0)),
        ("18H", time(18, 0)),
        ("12h05", time(12, 5)),
        ("8h00", time(8, 0)),
        ("8 heures", time(8, 0)),
        ("8 heures 30", time(8, 30)),
        ("8h30min", time(8, 30)),
        ("  17h15 ", time(17, 15)),
        ("8", time(8, 0)),
        ("vers 8h", time(8, 0)),
        ("8h environ", time(8, 0)),
        ("à 9h", time(9, 0)),
        ("0.354166", time(8, 30)),
        ("0.5000", time(12, 0)),
        ("1899-12-30 08:30:00", time(8, 30)),
        ("23h59", time(23, 59)),
        ("0h", time(0, 0)),
    ],
)
def test_parse_time(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["", "   ", None])
def test_parse_time_blank(text):
    assert parse_time(text) is None


@pytest.mark.parametrize(
    "text",
    ["25h", "24h", "8h75", "8h5", "le matin", "demain", "8h30-9h", "12:60", "2500", "-8h", "8h 30 40"],
)
def test_parse_time_rejects(text):
    with pytest.raises(ValueError, match="heure illisible"):
        parse_time(text)


def test_parse_time_message_quotes_the_cell():
    with pytest.raises(ValueError) as error:
        parse_time(" 25h ")
    assert str(error.value) == "heure illisible : « 25h »"


@pytest.mark.parametrize(
    "value, expected",
    [
        (time(8, 30), "8h30"),
        (time(8, 0), "8h"),
        (time(12, 5), "12h05"),
        (time(0, 0), "0h"),
        (None, ""),
    ],
)
def test_format_time(value, expected):
    assert format_time(value) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("lundi, jeudi", {0, 3}),
        ("Lundi et jeudi", {0, 3}),
        ("LUNDI ET JEUDI", {0, 3}),
        ("lundi;jeudi", {0, 3}),
        ("lundi/jeudi", {0, 3}),
        ("lun-ven", MON_FRI),
        ("lun - ven", MON_FRI),
        ("Lun au Ven", MON_FRI),
        ("lun. mar.", {0, 1}),
        ("du lundi au vendredi", MON_FRI),
        ("Du Lundi Au Vendredi", MON_FRI),
        ("de lundi à vendredi", MON_FRI),
        ("tous les jours", EVERY_DAY),
        ("Tous les jours", EVERY_DAY),
        ("7j/7", EVERY_DAY),
        ("7/7", EVERY_DAY),
        ("L M J", {0, 1, 3}),
        ("L, M, J", {0, 1, 3}),
        ("LMMJV", MON_FRI),
        ("L M M J V", MON_FRI),
        ("LMJV", {0, 1, 3, 4}),
        ("M J", {1, 3}),
        ("Me J", {2, 3}),
        ("S D", {5, 6}),
        ("L-V", MON_FRI),
        ("semaine", MON_FRI),
        ("en semaine", MON_FRI),
        ("jours de semaine", MON_FRI),
        ("week-end", {5, 6}),
        ("Week-end", {5, 6}),
        ("weekend", {5, 6}),
        ("le week end", {5, 6}),
        ("semaine et samedi", {0, 1, 2, 3, 4, 5}),
        ("sauf le mercredi", {0, 1, 3, 4, 5, 6}),
        ("tous les jours sauf le dimanche", {0, 1, 2, 3, 4, 5}),
        ("du lundi au vendredi sauf mercredi", {0, 1, 3, 4}),
        ("les lundis", {0}),
        ("les lundis et jeudis", {0, 3}),
        ("mercredi", {2}),
        ("mer", {2}),
        ("samedi", {5}),
        ("dimanche", {6}),
        ("lundi mardi mercredi", {0, 1, 2}),
        ("vendredi au lundi", {4, 5, 6, 0}),
        ("lundi matin et jeudi après-midi", {0, 3}),
        ("Jeudi", {3}),
        ("jeudi.", {3}),
    ],
)
def test_parse_days(text, expected):
    assert parse_days(text) == frozenset(expected)


@pytest.mark.parametrize("text", ["", "  ", None])
def test_parse_days_blank(text):
    assert parse_days(text) == frozenset()


@pytest.mark.parametrize(
    "text",
    ["n'importe quand", "lundi, blabla", "jours", "lundi au", "- vendredi", "x", "sauf tous les jours"],
)
def test_parse_days_rejects(text):
    with pytest.raises(ValueError, match="jours illisibles"):
        parse_days(text)


@pytest.mark.parametrize(
    "days, expected",
    [
        (MON_FRI, "du lundi au vendredi"),
        ({0, 3}, "lundi et jeudi"),
        (EVERY_DAY, "tous les jours"),
        ({0, 1, 3}, "lundi, mardi et jeudi"),
        ({2}, "mercredi"),
        ({5, 6}, "samedi et dimanche"),
        ({0, 1, 2, 4}, "du lundi au mercredi et vendredi"),
        ({0, 1, 2, 3, 4, 5}, "tous les jours sauf le dimanche"),
        (set(), ""),
    ],
)
def test_format_days(days, expected):
    assert format_days(frozenset(days)) == expected


def test_format_days_reads_back_for_every_set_of_days():
    for size in range(1, 8):
        for days in combinations(range(7), size):
            assert parse_days(format_days(frozenset(days))) == frozenset(days)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("25/12/2026", date(2026, 12, 25)),
        ("2026-12-25", date(2026, 12, 25)),
        ("25/12/26", date(2026, 12, 25)),
        ("25-12-2026", date(2026, 12, 25)),
        ("25.12.2026", date(2026, 12, 25)),
        ("5/1/2027", date(2027, 1, 5)),
        ("2026-12-25 00:00:00", date(2026, 12, 25)),
        ("2026-12-25T00:00:00", date(2026, 12, 25)),
        ("25/12/2026 14:03:22", date(2026, 12, 25)),
        ("2026/12/25", date(2026, 12, 25)),
        ("25 décembre 2026", date(2026, 12, 25)),
        ("25 DECEMBRE 2026", date(2026, 12, 25)),
        ("vendredi 25 décembre 2026", date(2026, 12, 25)),
        ("1er mai 2026", date(2026, 5, 1)),
        ("3 févr. 2027", date(2027, 2, 3)),
        ("29/02/2028", date(2028, 2, 29)),
        ("46381", date(2026, 12, 25)),
        (" 25/12/2026 ", date(2026, 12, 25)),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text, today, expected",
    [
        ("25/12", date(2026, 6, 1), date(2026, 12, 25)),
        ("25/12", date(2026, 12, 26), date(2027, 12, 25)),
        ("3 janvier", date(2026, 12, 20), date(2027, 1, 3)),
    ],
)
def test_parse_date_without_year_needs_today(text, today, expected):
    assert parse_date(text, today=today) == expected


@pytest.mark.parametrize(
    "text",
    ["31/02/2026", "29/02/2026", "32/01/2026", "25/13/2026", "demain", "25 brumaire 2026", "25/12", "2026"],
)
def test_parse_date_rejects(text):
    with pytest.raises(ValueError, match="date illisible"):
        parse_date(text)


@pytest.mark.parametrize("text", ["", "  ", None])
def test_parse_date_blank(text):
    assert parse_date(text) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("3", 3),
        ("3 places", 3),
        ("3 Places", 3),
        ("1 place", 1),
        ("2 place(s)", 2),
        ("3.0", 3),
        ("3,0", 3),
        ("3pl", 3),
        ("trois", 3),
        ("8", 8),
        ("0", 0),
        ("complet", 0),
        ("Complet", 0),
        (" 4 ", 4),
    ],
)
def test_parse_seats(text, expected):
    assert parse_seats(text) == expected


@pytest.mark.parametrize("text", ["-1", "9", "12", "2.5", "beaucoup", "places", "3 ou 4"])
def test_parse_seats_rejects(text):
    with pytest.raises(ValueError, match="nombre de places illisible"):
        parse_seats(text)


@pytest.mark.parametrize("text", ["", " ", None])
def test_parse_seats_blank(text):
    assert parse_seats(text) is None


@pytest.mark.parametrize(
    "text",
    ["Oui", "oui", "OUI", "o", "O", "x", "X", "yes", "vrai", "VRAI", "true", "TRUE", "1",
     "Je consens", "je consens", "d'accord", "D’accord", "ok", "Oui, j'accepte d'être appelé", "✓"],
)
def test_parse_yes_true(text):
    assert parse_yes(text) is True


@pytest.mark.parametrize(
    "text",
    ["", " ", None, "Non", "non", "NON", "no", "0", "false", "FAUX", "Je ne consens pas", "peut-être", "?"],
)
def test_parse_yes_false(text):
    assert parse_yes(text) is False


@pytest.mark.parametrize(
    "text, expected",
    [
        ("0612345678", "06 12 34 56 78"),
        ("06 12 34 56 78", "06 12 34 56 78"),
        ("06.12.34.56.78", "06 12 34 56 78"),
        ("06-12-34-56-78", "06 12 34 56 78"),
        ("612345678", "06 12 34 56 78"),
        ("612345678.0", "06 12 34 56 78"),
        ("565123456", "05 65 12 34 56"),
        ("+33 6 12 34 56 78", "06 12 34 56 78"),
        ("+33612345678", "06 12 34 56 78"),
        ("+33 (0)6 12 34 56 78", "06 12 34 56 78"),
        ("0033 6 12 34 56 78", "06 12 34 56 78"),
        ("33612345678", "06 12 34 56 78"),
        ("05 65 12 34 00", "05 65 12 34 00"),
        (" 05 65 12 34 56 ", "05 65 12 34 56"),
        ("+44 20 7946 0958", "+44 20 7946 0958"),
        ("3631", "3631"),
        ("06 12 34 56 78 (portable)", "06 12 34 56 78 (portable)"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_phone(text, expected):
    assert normalise_phone(text) == expected


@pytest.mark.parametrize(
    "text, valid",
    [
        ("06 12 34 56 78", True),
        ("0565123456", True),
        ("+33 6 12 34 56 78", True),
        ("07.12.34.56.78", True),
        ("612345678", True),
        ("06 12 34 56", False),
        ("00 12 34 56 78", False),
        ("+44 20 7946 0958", False),
        ("pas de téléphone", False),
        ("", False),
        (None, False),
    ],
)
def test_phone_is_valid(text, valid):
    assert phone_is_valid(text) is valid


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Date d'inscription", "datedinscription"),
        ("date dinscription", "datedinscription"),
        ("DATE D INSCRIPTION", "datedinscription"),
        ("Téléphone", "telephone"),
        ("N° de téléphone", "ndetelephone"),
        ("E-mail", "email"),
        ("Saint-Céré", "saintcere"),
        ("L'Hospitalet", "lhospitalet"),
        ("Cœuvres-et-Valsery", "coeuvresetvalsery"),
        ("  Heure aller ", "heurealler"),
        ("", ""),
    ],
)
def test_normalise_key(text, expected):
    assert normalise_key(text) == expected
