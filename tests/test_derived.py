"""The derived-data layer: one Derived per read of the sheet and day, each part built once,
even when several threads ask at the same time; the link policy chosen per render."""
from __future__ import annotations

import os
import threading
from datetime import UTC, date, datetime

import pytest
from flask import render_template_string

from comobi.freeze import freeze_site
from comobi.storage import get_storage
from comobi.web.derived import Derived, get_derived
from comobi.web.links import current_links, use_links
from comobi.web.static_links import StaticLinks
from tests.workbooks import trip_row, trips_workbook


class FakeBoard:
    trips: list = []


def test_a_part_is_built_once_while_many_threads_ask_for_it():
    derived = Derived(FakeBoard(), {}, date(2026, 1, 5))
    calls, all_in = [], threading.Event()
    threads_count = 8

    def build():
        calls.append(threading.get_ident())
        if len(calls) == threads_count:
            all_in.set()
        all_in.wait(timeout=0.3)  # a second builder, if the lock let one in, would arrive meanwhile
        return object()

    results = []
    threads = [threading.Thread(target=lambda: results.append(derived.once("part", build)))
               for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert len(results) == threads_count and all(r is results[0] for r in results)


def test_two_parts_are_built_side_by_side_and_each_once():
    derived = Derived(FakeBoard(), {}, date(2026, 1, 5))
    counts = {"a": 0, "b": 0}

    def build(name):
        counts[name] += 1
        if name == "a":  # a part built from another: no deadlock, no second build
            return derived.once("b", lambda: build("b")) + 1
        return 1

    assert derived.once("a", lambda: build("a")) == 2
    assert derived.once("b", lambda: build("b")) == 1
    assert counts == {"a": 1, "b": 1}


@pytest.fixture
def app(make_app, sheet_path):
    trips_workbook(sheet_path, [trip_row(id="T1", **{"Départ": "Figeac", "Arrivée": "Cahors"}),
                                trip_row(id="T2", **{"Départ": "Gramat", "Arrivée": "Figeac"})])
    return make_app(sheet_path)


def test_one_derived_per_read_of_the_sheet(app, sheet_path):
    with app.test_request_context():
        first = get_derived()
    with app.test_request_context():
        assert get_derived() is first
        assert [t.id for t in first.listed_trips] == ["T1", "T2"]
        assert first.trip_index is first.trip_index
        trips_workbook(sheet_path, [trip_row(id="T3")])
        get_storage().invalidate()
    with app.test_request_context():  # the next request reads the sheet again
        second = get_derived()
        assert second is not first and [t.id for t in second.listed_trips] == ["T3"]


def test_threads_of_one_board_share_one_derived_and_one_index(app):
    found, start = [], threading.Barrier(6)

    def ask():
        with app.test_request_context():
            start.wait()
            derived = get_derived()
            found.append((derived, derived.trip_index))

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(d) for d, _ in found}) == 1 and len({id(i) for _, i in found}) == 1


def test_pages_read_the_communes_from_the_derived_data(app):
    client = app.test_client()
    assert "Figeac" in client.get("/communes").get_data(as_text=True)
    with app.test_request_context():
        derived = get_derived()
        assert "figeac" in derived.communes and derived.served(derived.communes["figeac"].place)
    assert client.get("/communes/figeac").status_code == 200


def test_the_link_policy_is_chosen_per_render(app):
    template = "{{ url_for('public.trip', trip_id='T1') }} {{ static_mode }} {{ site_root() }}"
    with app.test_request_context("/trajets/T2"):
        assert render_template_string(template) == "/trajets/T1 False /"
        assert current_links().trip_url("T1") == "http://localhost/trajets/T1"
    with app.app_context():
        use_links(StaticLinks(app, "https://x.example/site/"))
        with app.test_request_context("/trajets/T2"):
            assert render_template_string(template) == "../T1/index.html True ../../"
            assert current_links().trip_url("T1") == "https://x.example/site/trajets/T1/index.html"
    with app.test_request_context("/trajets/T2"):  # nothing left behind
        assert render_template_string(template) == "/trajets/T1 False /"


def test_freezing_swaps_nothing_in_the_app(app, tmp_path):
    app.config["FREEZE_BUILT_AT"] = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    globals_before, config_before = dict(app.jinja_env.globals), set(app.config)
    freeze_site(app, tmp_path / "site")
    assert dict(app.jinja_env.globals) == globals_before
    assert {key for key in set(app.config) - config_before if not key.startswith("FREEZER_")} == set()
    home = (tmp_path / "site/index.html").read_text()
    assert "Liste mise à jour le lundi 5 janvier 2026" in home
    assert "Liste mise à jour" not in app.test_client().get("/").get_data(as_text=True)


def test_freezing_again_rewrites_only_the_files_that_changed(app, sheet_path, tmp_path):
    app.config["FREEZE_BUILT_AT"] = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    site = tmp_path / "site"
    first = freeze_site(app, site)
    files = [p for p in site.rglob("*") if p.is_file()]
    assert first["files"] == len(files) and first["bytes"] == sum(p.stat().st_size for p in files)
    for path in files:
        os.utime(path, ns=(1, 1))  # as if written long ago
    trips_workbook(sheet_path, [trip_row(id="T1", **{"Départ": "Figeac", "Arrivée": "Cahors"}),
                                trip_row(id="T2", **{"Départ": "Gramat", "Arrivée": "Figeac", "Places": "1"})])
    get_storage_of(app).invalidate()
    freeze_site(app, site)
    rewritten = {str(p.relative_to(site)) for p in site.rglob("*") if p.is_file() and p.stat().st_mtime_ns != 1}
    assert "trajets/T2/index.html" in rewritten and "trajets.json" in rewritten
    assert {"trajets/T1/index.html", "404.html", "static/style.css", "contact/index.html"}.isdisjoint(rewritten)


def get_storage_of(app):
    with app.app_context():
        return get_storage()
