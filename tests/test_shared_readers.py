"""Readers the tabs share: status cells, a person's cells (comobi/rows.py), and the
"deliver a queue now" flow of flask sheet flush / flask mail send."""
import pytest

from comobi import rides, volunteers
from comobi.flush_command import flush_now
from comobi.rows import RowError, person_values, read_status, status_keys

KEYS = status_keys(("en pause", "archivé"), {"pause": "en pause"})


@pytest.mark.parametrize("text, expected", [
    ("", "défaut"), ("  ", "défaut"), ("En Pause", "en pause"), ("ARCHIVE", "archivé"), ("pause", "en pause"),
])
def test_read_status(text, expected):
    assert read_status(text, KEYS, "défaut", "en pause ou archivé") == expected


def test_an_unknown_status_names_the_known_ones():
    with pytest.raises(RowError, match="statut inconnu : « fini » \\(en pause ou archivé\\)"):
        read_status("fini", KEYS, "défaut", "en pause ou archivé")


@pytest.mark.parametrize("parse, text, expected", [
    (rides.parse_status, "", rides.PLANNED), (rides.parse_status, "Effectuée", rides.DONE),
    (rides.parse_status, "annule", rides.CANCELLED),
    (volunteers.parse_status, "", volunteers.ACTIVE), (volunteers.parse_status, "inactive", volunteers.PAUSED),
])
def test_each_tab_keeps_its_words(parse, text, expected):
    assert parse(text) == expected


def test_person_values_normalise_the_phone_only():
    record = {"first_name": " Léa ", "last_name": "Martin", "phone": "0612345678", "email": "Lea@X.fr", "x": "y"}
    assert person_values(record) == {"first_name": " Léa ", "last_name": "Martin", "phone": "06 12 34 56 78",
                                     "email": "Lea@X.fr"}
    assert person_values({}) == {"first_name": "", "last_name": "", "phone": "", "email": ""}


def test_flush_now_says_nothing_waits(capsys):
    flush_now(False, lambda: pytest.fail("nothing to deliver"), "Rien.", "{} parti(s).", lambda: 0)
    assert capsys.readouterr().out == "Rien.\n"


def test_flush_now_delivers_then_exits_1_while_something_still_waits(capsys):
    flush_now(True, lambda: 3, "Rien.", "{} parti(s).", lambda: 0)
    assert capsys.readouterr().out == "3 parti(s).\n"
    with pytest.raises(SystemExit) as stopped:
        flush_now(True, lambda: 1, "Rien.", "{} parti(s).", lambda: 2)
    assert stopped.value.code == 1


@pytest.mark.parametrize("value, decimals, text", [(12.5, 1, "12,5"), (3, 2, "3,00"), (1234.567, 2, "1234,57")])
def test_format_decimal_reads_back(value, decimals, text):
    from comobi.parsing import format_decimal

    assert format_decimal(value, decimals) == text
    assert rides.parse_amount(text, "km") == round(value, decimals)


def test_a_request_names_its_ends_as_found_or_as_typed():
    from comobi.models import Place, RideRequest

    cahors = Place("Cahors", "cahors", 44.45, 1.44)
    request = RideRequest("D1", 2, cahors, None, origin_name="cahors", destination_name="la gare de Figeac")
    assert (request.origin_text, request.destination_text) == ("Cahors", "la gare de Figeac")


@pytest.mark.parametrize("parse, text, expected", [
    (volunteers.parse_radius, "", volunteers.DEFAULT_RADIUS_KM), (volunteers.parse_radius, "15 km", 15.0),
    (volunteers.parse_radius, "20\u00a0km", 20.0), (lambda t: rides.parse_amount(t, "km"), "1\u202f234,5", 1234.5),
    (lambda t: rides.parse_amount(t, "km"), "", None),
])
def test_numbers_typed_by_hand(parse, text, expected):
    assert parse(text) == expected


def test_an_unreadable_number_says_which_and_gives_an_example():
    with pytest.raises(RowError, match="rayon illisible : « loin » \\(exemple : 20\\)"):
        volunteers.parse_radius("loin")
    with pytest.raises(RowError, match="indemnité illisible : « beaucoup » \\(exemple : 12,5\\)"):
        rides.parse_amount("beaucoup", "indemnité")
