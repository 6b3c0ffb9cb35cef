"""One protection against formulas, for the cells we write and the CSV files we export."""
import csv
import io

import pytest

from comobi.storage.safe_text import DANGEROUS_START, for_sheet, from_sheet, inert
from comobi.web.gestion.bilan import csv_text

STARTS = ["=", "+", "-", "@", "\t", "\r", "\n"]


def test_one_set_of_dangerous_starts():
    assert sorted(DANGEROUS_START) == sorted(STARTS)


@pytest.mark.parametrize("start", STARTS)
def test_inert_protects_every_dangerous_start(start):
    assert inert(start + "1+1") == "'" + start + "1+1"


@pytest.mark.parametrize("value", ["", "Cahors", "06 12 34 56 78", "'=1", "a=b", " =1"])
def test_inert_leaves_other_text(value):
    assert inert(value) == value


@pytest.mark.parametrize("start", STARTS)
def test_cells_written_to_the_sheet_are_inert_and_read_back(start):
    stored = for_sheet(start + "HYPERLINK(x)")
    assert stored.startswith("'")
    assert from_sheet(stored) == (start + "HYPERLINK(x)").replace("\r", "\n")


@pytest.mark.parametrize("start", STARTS)
def test_csv_exports_are_inert(start):
    text = csv_text([[start + "cmd|' /C calc'!A0", "3"]], ["Motif", "Demandes"])
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[1] == ["'" + start + "cmd|' /C calc'!A0", "3"]
