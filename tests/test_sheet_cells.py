"""The pure rules of the write side: grids, cells to repair, what "unchanged" means."""
from comobi import rows
from comobi.schema import REQUESTS, TRIPS, HeaderMap
from comobi.storage.sheet_cells import repairs, row_of, rows_by_key, trimmed

HEADER = ["ID", "Prénom", "Suivi référente", "Départ", "Clé"]


def test_a_row_is_found_by_its_key_in_any_column():
    grid = [HEADER, ["T1", "Paul", "", "Cahors", "k1"], ["T2", "", "Luc", "Figeac", "", "k2"]]
    assert rows_by_key(grid, {"k1", "k2", "k3"}) == {"k1": 2, "k2": 3}


def test_repairs_name_only_the_cells_out_of_place():
    header = HeaderMap(TRIPS, HEADER)
    shifted = ["T2", "Luc", "Figeac", "k2"]  # written before "Suivi référente" was inserted
    assert repairs(header, 3, shifted, {"id": "T2", "first_name": "Luc", "origin": "Figeac", "key": "k2"}) == [
        (3, 3, ""), (3, 4, "Figeac"), (3, 5, "k2")]
    assert repairs(header, 3, ["T2", "Luc ", "", "Figeac", "k2"], {"id": "T2", "first_name": "Luc",
                                                                   "origin": "Figeac", "key": "k2"}) == []


def test_row_of_prefers_the_hint_then_looks_by_id():
    grid = [["ID"], ["D1"], ["D2"], ["D2"]]
    assert row_of(grid, 0, "D2", 4) == 4 and row_of(grid, 0, "D2", 2) == 3 and row_of(grid, 0, "D9", 2) is None


def test_trimmed_ignores_trailing_blanks():
    assert trimmed(["a", " b ", "", " "]) == ["a", "b"]


def test_a_status_means_what_it_says_whatever_its_spelling():
    assert rows.same_cell(REQUESTS, "status", "nouvelle", "")
    assert rows.same_cell(REQUESTS, "status", "trouvée", " Trouvee ")
    assert not rows.same_cell(REQUESTS, "status", "nouvelle", "en cours")
    assert rows.same_cell(TRIPS, "status", "publié", "Publie")
    assert rows.same_cell(REQUESTS, "proposed_trip", "t0001", "T0001 ")
    assert not rows.same_cell(REQUESTS, "proposed_trip", "", "T0001")
