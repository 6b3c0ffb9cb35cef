"""Write-backs from /gestion while the clerk edits the sheet, on both storages (issue 18.1, 17.4).

Each test reads the page, lets the clerk change the sheet behind the app's back, then
clicks: the follow-up lands on its own row, only on the cells changed, or is refused
with what changed shown, never written elsewhere.
"""
import re

import pytest

from comobi.schema import PLACES, REQUESTS, TRIPS
from comobi.storage.writer import WriteConflict
from tests.fault_backends import backend  # noqa: F401 - fixture
from tests.gestion_support import JOSETTE, PASSWORD, log_in, request_row

REQUEST_HEADERS = REQUESTS.headers


def _request(**values) -> list[str]:
    row = request_row(**values)
    return [row.get(h, "") for h in REQUEST_HEADERS]


def _trips() -> list[list[str]]:
    return [TRIPS.headers, [JOSETTE.get(h, "") for h in TRIPS.headers]]


def _requests() -> list[list[str]]:
    return [REQUEST_HEADERS, _request(id="D0001", first_name="Louis"), _request(id="D0002", first_name="Marie"),
            _request(id="D0003", first_name="Germaine")]


@pytest.fixture
def clerk(backend):  # noqa: F811 - the fixture above
    backend.put_rows(TRIPS.title, _trips())
    backend.put_rows(REQUESTS.title, _requests())
    backend.put_rows(PLACES.title, [PLACES.headers])
    client = backend.make_app(**{"COMOBI_ADMIN_PASSWORD": PASSWORD, "sheet.cache_seconds": 0}).test_client()
    log_in(client)
    return client


def _form(client, request_id: str) -> dict[str, str]:
    """The follow-up form's hidden fields as the page shows them."""
    page = client.get(f"/gestion/demandes/{request_id}").get_data(as_text=True)
    form = page[page.index('id="suivi"'):]
    return dict(re.findall(r'<input[^>]*name="(row|shown_status|shown_trip)"[^>]*value="([^"]*)"', form))


def _text(response) -> str:
    """The page as read: apostrophes unescaped, French thin and non-breaking spaces as spaces."""
    return response.get_data(as_text=True).replace("&#39;", "'").replace("\u00a0", " ").replace("\u202f", " ")


def _by_id(backend) -> dict[str, dict[str, str]]:
    return {r["ID"]: r for r in backend.records(REQUESTS.title)}


def test_the_page_carries_what_it_showed(backend, clerk):
    assert _form(clerk, "D0002") == {"row": "3", "shown_status": "nouvelle", "shown_trip": ""}


def test_rows_inserted_above_meanwhile_do_not_take_the_follow_up(backend, clerk):
    shown = _form(clerk, "D0002")
    backend.insert_rows(REQUESTS.title, 2, [_request(id="D0009", first_name="Nouvelle"),
                                            _request(id="D0008", first_name="Autre")])
    response = clerk.post("/gestion/demandes/D0002/suivi", data={**shown, "status": "trouvée", "note": "OK"})
    assert response.status_code == 302
    rows = _by_id(backend)
    assert rows["D0002"]["Statut"] == "trouvée" and rows["D0002"]["Notes"].endswith(" : OK")
    assert {i: r["Statut"] for i, r in rows.items() if i != "D0002"} == {
        "D0009": "nouvelle", "D0008": "nouvelle", "D0001": "nouvelle", "D0003": "nouvelle"}
    assert "maintenant à la ligne 5" in clerk.get("/gestion/demandes/D0002").get_data(as_text=True)


def test_rows_sorted_meanwhile_do_not_take_the_follow_up(backend, clerk):
    shown = _form(clerk, "D0003")
    backend.put_rows(REQUESTS.title, [REQUEST_HEADERS, *reversed(_requests()[1:])])
    clerk.post("/gestion/demandes/D0003/suivi", data={**shown, "status": "en cours"})
    assert {i: r["Statut"] for i, r in _by_id(backend).items()} == {
        "D0003": "en cours", "D0002": "nouvelle", "D0001": "nouvelle"}


def test_a_status_changed_in_the_sheet_meanwhile_is_not_overwritten(backend, clerk):
    shown = _form(clerk, "D0002")
    backend.set_cell(REQUESTS.title, 3, REQUEST_HEADERS.index("Statut") + 1, "sans solution")
    response = clerk.post("/gestion/demandes/D0002/suivi", data={**shown, "status": "trouvée", "note": "Vu"})
    page = _text(response)
    assert response.status_code == 409
    assert "rien n'a été écrit" in page
    assert "Statut : la page montrait « nouvelle », le tableur contient maintenant « sans solution »" in page
    row = _by_id(backend)["D0002"]
    assert row["Statut"] == "sans solution" and not row.get("Notes")
    assert "Vu</textarea>" in page  # what she typed is kept
    # She has seen it and decides: sending again writes over the new value, knowingly.
    again = dict(re.findall(r'<input[^>]*name="(row|shown_status|shown_trip)"[^>]*value="([^"]*)"',
                            page[page.index('id="suivi"'):]))
    assert again["shown_status"] == "sans solution"
    assert clerk.post("/gestion/demandes/D0002/suivi", data={**again, "status": "trouvée"}).status_code == 302
    assert _by_id(backend)["D0002"]["Statut"] == "trouvée"


def test_only_the_cells_she_changed_are_written(backend, clerk):
    shown = _form(clerk, "D0001")
    backend.set_cell(REQUESTS.title, 2, REQUEST_HEADERS.index("Trajet proposé") + 1, "T0001")
    response = clerk.post("/gestion/demandes/D0001/suivi", data={**shown, "status": "en cours", "proposed_trip": ""})
    assert response.status_code == 302
    row = _by_id(backend)["D0001"]
    assert (row["Statut"], row["Trajet proposé"]) == ("en cours", "T0001")  # her trip stays


def test_nothing_changed_writes_nothing(backend, clerk):
    shown = _form(clerk, "D0001")
    before = backend.grid(REQUESTS.title)
    response = clerk.post("/gestion/demandes/D0001/suivi", data={**shown, "status": "nouvelle"},
                          follow_redirects=True)
    assert "Rien n&#39;a changé" in response.get_data(as_text=True)
    assert backend.grid(REQUESTS.title) == before


def test_a_sheet_that_fails_gets_a_clear_refusal_and_keeps_the_note(backend, clerk):
    shown = _form(clerk, "D0001")
    before = backend.grid(REQUESTS.title)
    backend.faults.fail(503, times=None, only="write")
    response = clerk.post("/gestion/demandes/D0001/suivi", data={**shown, "status": "trouvée", "note": "À rappeler"})
    page = _text(response)
    assert response.status_code == 503 and "Le tableur ne répond pas : rien n'a été écrit" in page
    assert "À rappeler" in page and "Traceback" not in page
    backend.recover()
    assert backend.grid(REQUESTS.title) == before


@pytest.mark.parametrize("row", ["²", "٣", "-1", "99999999999999999999", "x"])
def test_an_odd_row_number_is_only_a_hint(backend, clerk, row):
    response = clerk.post("/gestion/demandes/D0002/suivi", data={"row": row, "status": "en cours"})
    assert response.status_code == 302
    assert _by_id(backend)["D0002"]["Statut"] == "en cours"


def test_a_note_written_but_not_acknowledged_is_not_added_twice(backend, clerk):
    storage = clerk.application.extensions["comobi.storage"]
    for _ in range(2):  # the first answer lost (timeout after the write): the clerk clicks again
        storage.update_by_id(REQUESTS, "D0003", {}, append={"notes": "04/12/2026 10:00 : rappelée"})
    assert _by_id(backend)["D0003"]["Notes"] == "04/12/2026 10:00 : rappelée"


def test_update_by_id_refuses_with_what_changed(backend, clerk):
    storage = clerk.application.extensions["comobi.storage"]
    with pytest.raises(WriteConflict) as raised:
        storage.update_by_id(REQUESTS, "D0001", {"status": "trouvée"}, expected={"status": "en cours"})
    [change] = raised.value.changes
    assert (change.header, change.shown, change.now) == ("Statut", "en cours", "nouvelle")
    assert _by_id(backend)["D0001"]["Statut"] == "nouvelle"
    assert storage.update_by_id(REQUESTS, "D0001", {"status": "trouvée"}, expected={"status": "Nouvelle "}) == 2


# -- write-backs kept while the sheet is down (Storage.queue_update) ----------------------------

def test_a_queued_write_back_waits_for_the_sheet_and_follows_the_row_it_changes(backend, clerk, tmp_path):
    storage = clerk.application.extensions["comobi.storage"]
    storage.settings["outbox.retry_seconds"] = 0
    backend.faults.fail(503, times=None, only="write")
    new = storage.submit(REQUESTS, {"first_name": "Odette", "origin": "Varaire", "destination": "Cahors"}, "D")
    change = storage.queue_update(REQUESTS, new.id, {"status": "en cours"}, append={"notes": "rappelée"})
    assert not new.delivered and not change.delivered
    assert [e.kind for e in storage.outbox.entries()] == ["append", "update"]
    backend.recover()
    assert storage.deliver(force=True) == 2
    row = _by_id(backend)[new.id]
    assert (row["Statut"], row["Notes"]) == ("en cours", "rappelée")
    assert storage.outbox.entries() == []


def test_a_queued_write_back_over_a_changed_cell_is_set_aside_for_the_clerk(backend, clerk):
    storage = clerk.application.extensions["comobi.storage"]
    backend.faults.fail(503, times=None, only="write")
    storage.queue_update(REQUESTS, "D0001", {"status": "annulée"}, expected={"status": "nouvelle"})
    storage.queue_update(REQUESTS, "D0404", {"status": "trouvée"})
    backend.recover()
    backend.set_cell(REQUESTS.title, 2, REQUEST_HEADERS.index("Statut") + 1, "trouvée")  # the clerk, meanwhile
    storage.deliver(force=True)
    assert _by_id(backend)["D0001"]["Statut"] == "trouvée"
    assert storage.outbox.entries() == []
    refused = storage.outbox.refused()
    assert [e.id for e in refused] == ["D0001", "D0404"]
    assert "« nouvelle » est devenu « trouvée »" in refused[0].reason and "n'est plus" in refused[1].reason
    check = clerk.application.test_cli_runner().invoke(args=["sheet", "check"]).output
    assert "D0001" in check and "D0404" in check and "refusée" in check
    page = clerk.get("/gestion/").get_data(as_text=True)
    assert "2 modifications non écrites dans le tableur" in page and "D0404" in page


def _update_op(backend) -> str:  # noqa: F811
    return "values.batchUpdate" if backend.name == "google" else "update_cells"


def test_a_column_inserted_just_before_the_write_back_does_not_misplace_it(backend, clerk):
    shown = _form(clerk, "D0002")
    status_column = REQUEST_HEADERS.index("Statut") + 1
    backend.faults.before(lambda: backend.insert_column(REQUESTS.title, status_column - 1, "Suivi référente"),
                          only=_update_op(backend))
    response = clerk.post("/gestion/demandes/D0002/suivi", data={**shown, "status": "trouvée", "note": "Vu"})
    assert response.status_code == 302
    rows = _by_id(backend)
    assert rows["D0002"]["Statut"] == "trouvée" and rows["D0002"]["Notes"].endswith(" : Vu")
    assert rows["D0002"]["Suivi référente"] == ""
    others = [(i, r["Statut"], r["Suivi référente"], r["Canal"]) for i, r in rows.items() if i != "D0002"]
    assert others == [("D0001", "nouvelle", "", "téléphone"), ("D0003", "nouvelle", "", "téléphone")]
    assert rows["D0002"]["Canal"] == "téléphone" and rows["D0002"]["Motif"] == "Médecin"


def test_rows_inserted_just_before_the_write_back_do_not_take_it(backend, clerk):
    shown = _form(clerk, "D0002")
    backend.faults.before(lambda: backend.insert_rows(REQUESTS.title, 2, [_request(id="D0009", first_name="Nouvelle")]),
                          only=_update_op(backend))
    response = clerk.post("/gestion/demandes/D0002/suivi", data={**shown, "status": "trouvée", "note": "Vu"})
    assert response.status_code == 302
    rows = _by_id(backend)
    assert rows["D0002"]["Statut"] == "trouvée" and rows["D0002"]["Notes"].endswith(" : Vu")
    assert [(i, r["Statut"], r.get("Notes") or "") for i, r in rows.items() if i != "D0002"] == [
        ("D0009", "nouvelle", ""), ("D0001", "nouvelle", ""), ("D0003", "nouvelle", "")]
    assert "maintenant à la ligne 4" in clerk.get("/gestion/demandes/D0002").get_data(as_text=True)


def test_two_clerks_clicking_at_once_one_wins_the_other_is_told(backend, clerk):
    """Two workers' threads (or two clerks) change the same status from the same page."""
    import threading

    storage = clerk.application.extensions["comobi.storage"]
    outcomes, start = [], threading.Barrier(4)

    def click(status):
        start.wait()
        try:
            storage.update_by_id(REQUESTS, "D0003", {"status": status}, expected={"status": "nouvelle"})
            outcomes.append(("written", status))
        except WriteConflict as conflict:
            outcomes.append(("refused", conflict.changes[0].now))

    threads = [threading.Thread(target=click, args=(s,)) for s in ("trouvée", "en cours", "sans solution", "trouvée")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    written = [status for what, status in outcomes if what == "written"]
    assert len(written) == 1 and len(outcomes) == 4
    assert _by_id(backend)["D0003"]["Statut"] == written[0]
    assert all(now == written[0] for what, now in outcomes if what == "refused")


def test_a_form_without_what_it_showed_is_checked_against_the_last_read(backend, clerk):
    """An older page (no shown_* fields): the app's last read stands for what was shown."""
    clerk.get("/gestion/demandes/D0002")
    storage = clerk.application.extensions["comobi.storage"]
    storage.cache.cache_seconds = 3600  # the app keeps its read of the page's time
    storage.invalidate()
    clerk.get("/gestion/demandes/D0002")
    seen = storage.spreadsheet.version()
    backend.set_cell(REQUESTS.title, 3, REQUEST_HEADERS.index("Statut") + 1, "sans solution")
    storage.spreadsheet.version = lambda: seen  # her save not seen yet by this worker
    response = clerk.post("/gestion/demandes/D0002/suivi", data={"row": "3", "status": "trouvée"})
    assert response.status_code == 409
    assert _by_id(backend)["D0002"]["Statut"] == "sans solution"


def test_a_row_deleted_just_before_the_write_back_is_told_and_its_neighbour_restored(backend, clerk):
    shown = _form(clerk, "D0002")

    def delete_d0002():
        backend.put_rows(REQUESTS.title, [REQUEST_HEADERS, _request(id="D0001", first_name="Louis"),
                                          _request(id="D0003", first_name="Germaine")])

    backend.faults.before(delete_d0002, only=_update_op(backend))
    response = clerk.post("/gestion/demandes/D0002/suivi", data={**shown, "status": "trouvée", "note": "Vu"})
    page = _text(response)
    assert response.status_code == 409 and "supprimée ou déplacée" in page and "Traceback" not in page
    rows = _by_id(backend)
    assert sorted(rows) == ["D0001", "D0003"]
    assert [(r["Statut"], r.get("Notes") or "") for r in rows.values()] == [("nouvelle", ""), ("nouvelle", "")]
