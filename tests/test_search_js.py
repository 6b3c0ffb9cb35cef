"""static/search.js on a frozen site, run by node: the page (against a tiny stand-in for the
DOM, tests/js/run_search.js) and the matching, which must answer what TripIndex.ranked answers."""
from __future__ import annotations

import json
import random
import shutil
import subprocess
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from bench import common, generate
from bench.workbook import board_tabs, write_workbook
from comobi import create_app
from comobi.freeze import freeze_site
from comobi.matching import TripIndex
from comobi.models import Place, Trip
from comobi.settings import PROJECT_ROOT
from comobi.storage import get_board
from comobi.web import public
from comobi.web.search_index import trip_entry
from tests.workbooks import in_days, trip_row, trips_workbook

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
JS = Path(__file__).parent / "js"
SEARCH_JS = PROJECT_ROOT / "static" / "search.js"
# Enough trips leaving Cahors for a second batch of results (20 shown at first).
FROM_CAHORS = [trip_row(id=f"C{n:02d}", Départ="Cahors", Arrivée="Lalbenque", Jours="samedi",
                        **{"Heure aller": f"{6 + n // 4}h{15 * (n % 4):02d}", "Heure retour": ""})
               for n in range(23)]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("js")
    sheet = trips_workbook(folder / "s.xlsx", [
        trip_row(id="T1", Départ="Limogne-en-Quercy", Arrivée="Cahors", Jours="lundi, jeudi"),
        trip_row(id="T2", Départ="Figeac", Arrivée="Gramat", Jours="mardi", **{"Heure retour": ""}),
        trip_row(id="T3", Départ="Cahors", Arrivée="Arcambal", Jours="", Date=in_days(3), **{"Heure retour": ""}),
        *FROM_CAHORS,
    ])
    app = create_app({"SECRET_KEY": "t", "sheet.backend": "local", "sheet.path": str(sheet),
                      "scope.departements": [], "scope.epci": ["200023737"]})
    freeze_site(app, folder / "site")
    return folder / "site"


def run(site, steps, page="trajets/index.html") -> list[dict]:
    result = subprocess.run(["node", str(JS / "run_search.js"), str(site), page, json.dumps(steps)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def search(site, depart="", arrivee="", jour="", page="trajets/index.html") -> dict:
    """Fill the form, send it, let recherche.js arrive: the page as it is then."""
    return run(site, [{"fill": {"depart": depart, "arrivee": arrivee, "jour": jour}}, {"submit": True},
                      {"load": True}], page)[-1]


# --- the page ---------------------------------------------------------------------------

def test_nothing_is_fetched_before_the_visitor_searches(site):
    opened, typed, again = run(site, [{"fill": {}}, {"type": "depart"}, {"type": "arrivee"}])
    assert opened["shown"] and opened["requested"] == [] and opened["options"] == 0
    assert typed["requested"] == ["../recherche.js"] and again["requested"] == ["../recherche.js"]
    html = (site / "trajets/index.html").read_text()
    assert "recherche.js" not in html.replace('data-index="../recherche.js"', "")


def test_a_search_waits_for_the_trips_then_shows_them(site):
    _, sent, arrived = run(site, [{"fill": {"depart": "Cahors"}}, {"submit": True}, {"load": True}])
    assert sent["returned"] is True and sent["text"] == "Recherche en cours…"
    assert sent["requested"] == ["../recherche.js"]
    assert arrived["options"] > 0 and arrived["heading"]  # suggestions come with the trips


def test_finds_the_trip_from_a_commune_to_another(site):
    found = search(site, "limogne en quercy", "CAHORS")
    assert found["heading"] == "1 trajet"
    assert found["links"][0] == "../trajets/T1/index.html Limogne-en-Quercy → Cahors"
    assert found["results"] == ["Limogne-en-Quercy → Cahors — lundi et jeudi, départ à 8h30"]
    assert (site / "trajets/T1/index.html").is_file()


def test_a_return_leg_and_a_one_off_date_are_said(site):
    back = search(site, "Cahors", "Limogne-en-Quercy")
    assert back["results"] == ["Cahors → Limogne-en-Quercy — lundi et jeudi, départ à 12h (trajet retour)"]
    one_off = search(site, "Cahors", "Arcambal")
    assert one_off["results"][0] == f"Cahors → Arcambal — {in_days(3)}, départ à 8h30"


def test_filters_by_day(site):
    assert search(site, "Limogne-en-Quercy", "Cahors", "0")["heading"] == "1 trajet"  # lundi
    tuesday = search(site, "Limogne-en-Quercy", "Cahors", "1")
    assert tuesday["results"] == [] and "Aucun trajet ne correspond" in tuesday["text"]


def test_links_to_the_pages_of_the_communes_searched(site):
    found = search(site, "Limogne-en-Quercy", "Cahors", "1")
    assert "Voir aussi tous les trajets de Limogne-en-Quercy et de Cahors." in found["text"]
    pages = [link.split()[0] for link in found["links"]]
    assert pages == ["../communes/limogne-en-quercy-46/index.html", "../communes/cahors/index.html"]
    for page in pages:
        assert (site / "trajets" / page).resolve().is_file()


def test_a_commune_page_link_searches_on_arrival(site):
    """A busy commune's page links to trajets/index.html?arrivee=Cahors: searched at once."""
    sent, arrived = run(site, [{"fill": {}}, {"load": True}], page="trajets/index.html?arrivee=Saint-C%C3%A9r%C3%A9+x")
    assert sent["text"] == "Recherche en cours…"  # recherche.js asked for before any step
    assert "Aucun trajet connu pour « Saint-Céré x »" in arrived["text"]
    found = run(site, [{"load": True}], page="trajets/index.html?arrivee=Cahors")[-1]
    assert found["heading"] and all("→ Cahors" in line for line in found["results"])
    assert run(site, [{"fill": {}}], page="trajets/index.html?page=2")[0]["requested"] == []


def test_an_unknown_commune_points_to_the_list(site):
    found = search(site, "Paris")
    assert "Aucun trajet connu pour « Paris »" in found["text"]
    assert found["links"] == ["../communes/index.html Voir la liste des communes."]
    assert "Aucun trajet connu pour « constructor »" in search(site, "Cahors", "constructor")["text"]


def test_twenty_results_then_twenty_more_on_request(site):
    shown, more = run(site, [{"fill": {"depart": "Cahors"}}, {"submit": True}, {"load": True}, {"more": True}])[2:]
    total = int(shown["heading"].split()[0])
    assert total == 25  # 23 to Lalbenque, T3, and T1's return leg
    assert len(shown["results"]) == 20 and shown["button"] == {"text": "Voir 5 trajets de plus", "type": "button"}
    assert len(more["results"]) == 25 and more["button"] is None
    assert more["focused"] == more["links"][20]  # the first of the new ones
    assert more["results"][:20] == shown["results"]


def test_the_button_counts_what_is_left(site):
    steps = [{"fill": {"depart": "Cahors", "jour": "5"}}, {"submit": True}, {"load": True}, {"more": True}]
    shown, more = run(site, steps)[2:]
    assert shown["heading"] == "23 trajets"  # T1 and T3 do not run on Saturdays
    assert shown["button"]["text"] == "Voir 3 trajets de plus" and more["button"] is None


def test_when_the_trips_cannot_be_fetched_the_list_of_communes_is_offered(site):
    steps = [{"fill": {"depart": "Cahors"}}, {"submit": True}, {"fail": True}, {"submit": True}, {"load": True}]
    _, _, failed, again, arrived = run(site, steps)
    assert "La recherche n'a pas pu être chargée." in failed["text"]
    assert failed["links"] == ["../communes/index.html Voir la liste des communes."]
    assert again["requested"] == ["../recherche.js", "../recherche.js"] and arrived["heading"] == "25 trajets"


def test_from_the_home_page_links_start_at_the_site_root(site):
    found = search(site, "Limogne-en-Quercy", "Cahors", page="index.html")
    assert found["requested"] == ["recherche.js"]
    assert found["links"][0] == "trajets/T1/index.html Limogne-en-Quercy → Cahors"


# --- the matching: the same answers as TripIndex.ranked ---------------------------------

@pytest.fixture(scope="module")
def board(tmp_path_factory):
    """A generated workbook of 200 trips (4 départements)."""
    folder = tmp_path_factory.mktemp("board")
    return folder, generate.write(folder / "board.xlsx", 200, seed=11)


def answers_of_both(folder, sheet, queries_of, **settings):
    """(node's answers, Python's answers) for the queries made from the index's communes."""
    app = create_app({"SECRET_KEY": "t", **common.settings_for(sheet), **settings})
    client = app.test_client()
    text = client.get("/recherche.js").get_data(as_text=True)
    index_file = folder / "recherche.js"
    index_file.write_text(text)
    index = json.loads(text.removeprefix("window.comobiSearchIndex = ").rstrip().rstrip(";"))
    today = date.today()
    queries = queries_of(index, today.isoformat())
    with app.test_request_context():
        places = _places_of(index["communes"])
        trips = public.trip_index()
        expected = [[[m.trip.id, m.leg, m.same_day] for m in trips.ranked(
            places[q["origin"]] if q["origin"] is not None else None,
            places[q["destination"]] if q["destination"] is not None else None,
            q["weekday"], today=today)] for q in queries]
    return node_answers(index_file, queries), expected, queries


def node_answers(index_file: Path, queries: list[dict]) -> list:
    result = subprocess.run(["node", str(JS / "run_matching.js"), str(index_file), str(SEARCH_JS)],
                            input=json.dumps(queries), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _places_of(communes: list) -> list:
    """The Place behind each commune of the index (same point, name the start of its label)."""
    board = get_board()
    known = board.places.in_scope() + [p for t in board.trips for p in (t.origin, t.destination)]
    by_point = {}
    for place in known:
        by_point.setdefault((place.latitude, place.longitude), []).append(place)
    return [next(p for p in by_point[(lat, lon)] if label.startswith(p.name)) for label, lat, lon, _ in communes]


def random_queries(index, today, count=400, seed=5):
    """Pairs of queries, the same places without a day then with one: both ends, from, to, neither."""
    rng = random.Random(seed)
    ends = [n for n, commune in enumerate(index["communes"]) if commune[3]]
    anywhere = range(len(index["communes"]))

    def place():
        return rng.choice(ends if rng.random() < 0.7 else anywhere)

    queries = []
    for number in range(count // 2):
        kind = number % 4
        query = {"origin": place() if kind in (0, 1) else None, "destination": place() if kind in (0, 2) else None,
                 "weekday": None, "today": today}
        queries += [query, {**query, "weekday": rng.randrange(7)}]
    return queries


def test_the_browser_ranks_trips_as_the_server(board):
    got, expected, queries = answers_of_both(*board, random_queries)
    mismatches = [(q, g[:5], e[:5]) for q, g, e in zip(queries, got, expected) if g != e]
    assert not mismatches, mismatches[:3]
    # The comparison says something: many answers, return legs, both ends given, days that count.
    assert sum(len(e) for e in expected) > 5000
    assert sum(1 for e in expected for _, leg, _ in e if leg == "retour") > 50
    assert sum(1 for q, e in zip(queries, expected) if q["origin"] is not None and q["destination"] is not None
               and e) > 30
    assert sum(1 for any_day, one_day in zip(expected[::2], expected[1::2]) if 0 < len(one_day) < len(any_day)) > 50


def test_the_browser_follows_the_instance_matching_settings(board):
    settings = {"matching.detour_factor": 1.3, "matching.near_km": 2.0}
    got, expected, _ = answers_of_both(*board, lambda index, today: random_queries(index, today, 200, 6),
                                       **settings)
    assert got == expected
    loose, _, _ = answers_of_both(*board, lambda index, today: random_queries(index, today, 200, 6))
    assert got != loose


def test_trips_of_unknown_days_come_after_and_past_dates_are_left_out(tmp_path):
    """Cases a sheet does not give today (every trip has days or a date), matched alike."""
    a, b = Place("A", "a", 44.0, 1.0), Place("B", "b", 44.2, 1.3)
    tuesday = date(2026, 11, 24)
    trips = [Trip("T1", 2, a, b, days=frozenset({0}), outbound_time=time(8)),
             Trip("T2", 3, a, b, outbound_time=time(7)),  # no days, no date
             Trip("T3", 4, a, b, date=tuesday, outbound_time=time(9), return_time=time(18)),
             Trip("T4", 5, a, b, date=tuesday - timedelta(days=1), outbound_time=time(6)),
             Trip("T5", 6, b, a, days=frozenset({1, 2}), outbound_time=time(10), return_time=time(17))]
    numbers = {a: 0, b: 1}
    index = {"reglages": {"detour": 1.8, "proche_km": 5.0}, "constantes": {"rayon_terre_km": 6371.0,
             "km_par_degre": 111.2}, "communes": [["A", 44.0, 1.0, ""], ["B", 44.2, 1.3, ""]],
             "trajets": [trip_entry(t, numbers) for t in trips]}
    index_file = tmp_path / "recherche.js"
    index_file.write_text("window.comobiSearchIndex = " + json.dumps(index) + ";")
    queries = [(0, None, 1, tuesday), (0, 1, 1, tuesday), (None, None, 1, tuesday), (1, None, None, tuesday),
               (None, None, None, tuesday), (0, None, 0, tuesday - timedelta(days=1)),
               (None, None, None, tuesday - timedelta(days=1))]
    got = node_answers(index_file, [{"origin": o, "destination": d, "weekday": w, "today": today.isoformat()}
                                    for o, d, w, today in queries])
    places = [a, b]
    expected = [[[m.trip.id, m.leg, m.same_day] for m in TripIndex(trips).ranked(
        places[o] if o is not None else None, places[d] if d is not None else None, w, today=today)]
        for o, d, w, today in queries]
    assert got == expected
    assert [found[0] for found in got[0]] == ["T3", "T5", "T2"]  # T2 runs on unknown days: last


# --- finding communes: the same as the live lookup (comobi.places.Places.find) ----------

def lookup_answers(index_file: Path, texts: list[str]) -> list:
    result = subprocess.run(["node", str(JS / "run_lookup.js"), str(index_file), str(SEARCH_JS)],
                            input=json.dumps(texts), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def typed_forms(name: str, postcodes, departement: str, rng) -> list[str]:
    """What people type for a commune: cases, accents, St, ligatures, codes, beginnings."""
    from comobi.parsing import strip_accents
    from comobi.places import name_key

    plain = strip_accents(name)
    forms = [name, name.upper(), name.lower(), plain, plain.lower().replace("-", " "),
             name.replace("Saint-", "St-").replace("Sainte-", "Ste "), f"  {name}  ",
             name.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae"), plain.replace("Oe", "Œ")]
    for code in postcodes[:2]:
        forms += [f"{name} ({code})", code, f"{code} {name}", f"{plain}, {code}", f"{name}-{code}"]
    forms += [f"{name} ({departement})", f"{name} {departement}", f"{departement} - {name}"]
    key = name_key(name)
    forms += [key[:length] for length in {3, 4, 5, 7, len(key) - 1} if 0 < length < len(key)]
    words = name.split("-")
    forms += ["-".join(words[:n]) for n in range(1, len(words))]
    forms.append(name[: rng.randint(1, len(name))])
    return forms


def lookup_site(folder: Path, rows: list[dict], **settings):
    """The app on these trips, its recherche.js on disk, the index's communes as Places."""
    sheet = trips_workbook(folder / "s.xlsx", rows)
    app = create_app({"SECRET_KEY": "t", "sheet.backend": "local", "sheet.path": str(sheet), **settings})
    text = app.test_client().get("/recherche.js").get_data(as_text=True)
    (folder / "recherche.js").write_text(text)
    return app, json.loads(text.removeprefix("window.comobiSearchIndex = ").rstrip().rstrip(";"))


def assert_found_alike(app, folder: Path, index: dict, texts: list[str]) -> int:
    got = lookup_answers(folder / "recherche.js", texts)
    with app.test_request_context():
        places = _places_of(index["communes"])
        number = {place: n for n, place in enumerate(places)}
        board = get_board()
        expected = [number.get(board.places.find(text)) for text in texts]
    mismatches = [(text, g, e) for text, g, e in zip(texts, got, expected) if g != e]
    assert not mismatches, mismatches[:10]
    return sum(1 for e in expected if e is not None)


def test_the_browser_finds_communes_as_the_live_site(tmp_path):
    """Lot and its neighbours: postcodes, départements, St-, prefixes such as "Limogne"."""
    rng = random.Random(3)
    rows = [trip_row(id="T1", Départ="Limogne-en-Quercy", Arrivée="Figeac"),
            trip_row(id="T2", Départ="Saint-Cirq-Lapopie", Arrivée="Cahors"),
            trip_row(id="T3", Départ="Villefranche-de-Rouergue", Arrivée="Figeac")]
    app, index = lookup_site(tmp_path, rows, **{"scope.departements": ["46"], "scope.epci": []})
    texts = ["Limogne", "limogne", "LIMOGNE-EN", "Figeac (46100)", "46100", "Figeac 46", "Cahors, 46000",
             "St-Cirq-Lapopie", "Saint Cirq", "Villefranche", "Villefranche-de-Rouergue (12)", "Paris",
             "constructor", "Cahors (12)", "46", "", "Vigan (Le)", "Le Vigan", "Lot", "Gourdon 46300"]
    with app.test_request_context():
        communes = get_board().places.in_scope()
    for place in rng.sample(communes, 120):
        texts += typed_forms(place.name, list(place.postcodes), place.departement, rng)
    found = assert_found_alike(app, tmp_path, index, texts)
    assert found > 1000
    with app.test_request_context():
        assert get_board().places.find("Limogne").name == "Limogne-en-Quercy"
        assert get_board().places.find("Figeac (46100)").name == "Figeac"


def test_the_browser_finds_communes_with_ligatures(tmp_path):
    """"Oeuilly" finds "Œuilly" (109 communes of France have œ or æ in their name)."""
    rng = random.Random(4)
    rows = [trip_row(id="T1", Départ="Œuilly (02160)", Arrivée="Laon"),
            trip_row(id="T2", Départ="Cœuvres-et-Valsery", Arrivée="Soissons")]
    app, index = lookup_site(tmp_path, rows, **{"scope.departements": ["02"], "scope.epci": []})
    from comobi.places import _country

    ligatures = [c for c in _country().communes if any(ch in c.name for ch in "œŒæÆ")]
    assert len(ligatures) >= 100
    texts = ["Oeuilly", "oeuilly", "Œuilly", "OEUILLY (02160)", "Oeuilly (51)", "Coeuvres", "Cœuvres-et-Valsery"]
    for commune in ligatures:
        texts += typed_forms(commune.name, list(commune.postcodes), commune.departement, rng)
    assert_found_alike(app, tmp_path, index, texts)
    node_found = lookup_answers(tmp_path / "recherche.js", ["Oeuilly", "Coeuvres"])
    assert [index["communes"][n][0] for n in node_found] == ["Œuilly", "Cœuvres-et-Valsery"]
