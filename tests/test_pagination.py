"""One pagination for the trip list, its JSON twin and the frozen /trajets/page/N."""
import pytest

from comobi.web.pagination import Pagination, page_count
from tests.workbooks import trip_row


@pytest.mark.parametrize(("total", "size", "pages"), [
    (0, 20, 1), (1, 20, 1), (20, 20, 1), (21, 20, 2), (45, 20, 3), (100, 100, 1), (101, 100, 2),
    (10_000, 20, 500), (10_001, 20, 501),
])
def test_page_count(total, size, pages):
    assert page_count(total, size) == pages == Pagination(1, total, size).count


@pytest.mark.parametrize(("text", "total", "number"), [
    (None, 45, 1), ("", 45, 1), ("1", 45, 1), ("2", 45, 2), ("3", 45, 3),
    ("4", 45, 3), ("99999", 45, 3), ("0", 45, 1), ("-2", 45, 1), (" 2 ", 45, 2), ("+2", 45, 2),
    ("abc", 45, 1), ("2.5", 45, 1), ("2e1", 45, 1), ("9" * 5000, 45, 1),  # past int()'s digit limit
    ("3", 0, 1), ("1", 0, 1),
])
def test_the_page_asked_is_read_leniently_and_kept_within_the_pages(text, total, number):
    assert Pagination.asked(text, total, 20).number == number


@pytest.mark.parametrize(("number", "items"), [
    (1, list(range(0, 20))), (2, list(range(20, 40))), (3, list(range(40, 45))), (4, []),
])
def test_a_page_shows_its_slice(number, items):
    assert Pagination(number, 45, 20).of(list(range(45))) == items


@pytest.mark.parametrize(("number", "exists"), [(0, False), (1, True), (3, True), (4, False), (-1, False)])
def test_whether_a_page_exists(number, exists):
    assert Pagination(number, 45, 20).exists is exists


@pytest.fixture
def long_list(board_client):
    """45 trips (one page of JSON, three of HTML) each with a return: 90 legs from Cahors."""
    return board_client([trip_row(id=f"T{n:02d}") for n in range(45)])


@pytest.mark.parametrize(("query", "page", "cards"), [
    ("", 1, 20), ("?page=2", 2, 20), ("?page=3", 3, 5), ("?page=4", 3, 5), ("?page=0", 1, 20),
    ("?page=abc", 1, 20), ("?page=-1", 1, 20),
])
def test_the_list_pages(long_list, query, page, cards):
    text = long_list.get("/trajets" + query).get_data(as_text=True)
    assert text.count('class="trip"') == cards and f"Page {page} sur 3" in text


@pytest.mark.parametrize(("query", "page", "pages", "count"), [
    ("", 1, 1, 45), ("?page=2", 1, 1, 45), ("?depart=Cahors", 1, 1, 45),
    ("?arrivee=Limogne-en-Quercy&page=x", 1, 1, 45),
])
def test_the_json_pages(long_list, query, page, pages, count):
    answer = long_list.get("/trajets.json" + query).get_json()
    assert (answer["page"], answer["pages"], len(answer["trajets"]), answer["nombre"]) == (page, pages, count, count)


def test_the_json_pages_past_a_hundred(board_client):
    client = board_client([trip_row(id=f"T{n:03d}") for n in range(130)])
    first, second = (client.get(f"/trajets.json?page={n}").get_json() for n in (1, 2))
    assert (first["page"], first["pages"], len(first["trajets"])) == (1, 2, 100)
    assert (second["page"], second["pages"], len(second["trajets"])) == (2, 2, 30)
    ids = [t["id"] for t in first["trajets"] + second["trajets"]]
    assert len(set(ids)) == 130


@pytest.mark.parametrize(("page", "status", "cards"), [(0, 404, 0), (1, 404, 0), (2, 200, 20), (3, 200, 5),
                                                       (4, 404, 0)])
def test_the_frozen_list_pages(long_list, page, status, cards):
    response = long_list.get(f"/trajets/page/{page}")
    assert response.status_code == status
    if status == 200:
        text = response.get_data(as_text=True)
        assert text.count('class="trip"') == cards and f"Page {page} sur 3" in text


def test_the_frozen_site_counts_the_pages_it_writes(long_list, make_app, sheet_path):
    from comobi.web.pages import trips_pages_count

    app = make_app(sheet_path)
    with app.test_request_context("/"):
        assert trips_pages_count() == 3
