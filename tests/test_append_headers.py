"""New rows land under the right headers although the clerk inserts columns while the app
writes (issue 18.2), on both storages, the Google one through real gspread over HTTP."""
from comobi.schema import TRIPS
from tests.fault_backends import backend  # noqa: F401 - fixture
from tests.test_forms import OFFER

FOLLOW_UP = "Suivi référente"


def _header_read_op(backend) -> str:
    return "values.get" if backend.name == "google" else "read_header"


def _trip_id(page: str) -> str:
    return page.split("<strong>")[1].split("</strong>")[0]


def test_a_column_inserted_between_the_header_read_and_the_append(backend):
    client = backend.make_app(**{"sheet.cache_seconds": 0}).test_client()
    backend.faults.before(lambda: backend.insert_column(TRIPS.title, 3, FOLLOW_UP), only=backend.append_op)
    response = client.post("/proposer", follow_redirects=True, data={**OFFER, "remarks": "sous les bons en-têtes"})
    trip_id = _trip_id(response.get_data(as_text=True))
    assert backend.grid(TRIPS.title)[0][2] == FOLLOW_UP  # the clerk's column is there
    [row] = backend.records(TRIPS.title)
    assert row["ID"] == trip_id and row[FOLLOW_UP] == ""
    assert (row["Prénom"], row["Nom"], row["Départ"], row["Arrivée"]) == ("Paul", "Marty", "Lalbenque", "Cahors")
    assert row["Remarques"] == "sous les bons en-têtes" and row["Téléphone"] == "06 39 98 00 42"
    assert client.get(f"/trajets/{trip_id}").status_code == 200


def test_columns_that_keep_moving_keep_the_row_in_the_outbox_then_it_is_repaired(backend, tmp_path):
    client = backend.make_app(**{"sheet.cache_seconds": 0, "outbox.retry_seconds": 0}).test_client()
    inserted = []

    def insert():
        inserted.append(1)
        backend.insert_column(TRIPS.title, 2, f"Colonne {len(inserted)}")

    backend.faults.before(insert, only=backend.append_op)
    backend.faults.before(insert, times=None, only=_header_read_op(backend))
    sent = client.post("/proposer", data=OFFER)  # the confirmation is read at the end: a GET delivers too
    assert len(list((tmp_path / "outbox").glob("*.json"))) == 1
    storage = client.application.extensions["comobi.storage"]
    assert "changent pendant l'écriture" in storage.delivery_error
    backend.faults.clear()
    assert storage.deliver(force=True) == 1
    [row] = backend.records(TRIPS.title)
    assert (row["Prénom"], row["Départ"], row["Téléphone"]) == ("Paul", "Lalbenque", "06 39 98 00 42")
    assert all(row[f"Colonne {n}"] == "" for n in range(1, len(inserted) + 1))
    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "apparaîtra dans quelques minutes" in page  # kept, not acknowledged as published
    assert list((tmp_path / "outbox").glob("*.json")) == []


def test_a_shifted_row_left_by_an_earlier_try_is_repaired_not_doubled(backend, tmp_path):
    client = backend.make_app(**{"sheet.cache_seconds": 0, "outbox.retry_seconds": 0}).test_client()
    backend.faults.before(lambda: backend.insert_column(TRIPS.title, 3, FOLLOW_UP), only=backend.append_op)
    backend.faults.fail(503, times=None, only=_header_read_op(backend))  # the check after the append fails
    client.post("/proposer", follow_redirects=True, data=OFFER)
    assert len(list((tmp_path / "outbox").glob("*.json"))) == 1
    backend.recover()
    client.application.extensions["comobi.storage"].deliver(force=True)
    [row] = backend.records(TRIPS.title)
    assert (row["Prénom"], row["Nom"], row[FOLLOW_UP]) == ("Paul", "Marty", "")
