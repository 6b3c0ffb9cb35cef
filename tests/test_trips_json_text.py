"""/trajets.json written from each leg's kept text: the same bytes as jsonify of public_trips."""
import random
from dataclasses import replace

import pytest
from flask import jsonify

from comobi.matching import OUTBOUND, RETURN
from comobi.web import trips_json
from comobi.web.derived import trip_index
from comobi.web.present import public_trips
from comobi.web.trips_json import trips_json_response

ODD_TEXTS = ('"detour_km":0.0', '"url":"x"}', "<b>&amp;</b>", "Œuilly à 8h ? « oui »", "\\", "\u2028", "")


def varied_matches(seed: int) -> list:
    """The demo's matches, as both legs, with odd remarks and IDs, detours of every kind."""
    rng = random.Random(seed)
    found = []
    for match in trip_index().ranked():
        trip = replace(match.trip, remarks=rng.choice(ODD_TEXTS), id=rng.choice((match.trip.id, "a b", "é/x")))
        for leg in (OUTBOUND, RETURN):
            extra = rng.choice((0.0, 0.04, 0.05, 1.25, 12.349, 1e-7, 123456.7, 1e17, float("inf")))
            found.append(replace(match, trip=trip, leg=leg, extra_km=extra))
    return found


def envelope(count: int) -> dict:
    return {"recherche": {"depart": "Cahors <&>", "arrivee": "", "jour": ""}, "erreurs": {"jour": "« x »"},
            "nombre": count, "page": 1, "pages": 1}


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("service_url", ["", "https://covoiturage.example.fr/a&b"])
def test_the_body_is_jsonify_s(make_app, debug, service_url):
    app = make_app(**{"service.url": service_url})
    app.debug = debug
    with app.test_request_context("/trajets.json", base_url="http://127.0.0.1:5000/sous-dossier"):
        owner = trip_index()
        for seed in range(3):  # the second and third answers reuse the legs kept by the first
            matches = varied_matches(seed)
            expected = jsonify({**envelope(len(matches)), "trajets": public_trips(matches)})
            answer = trips_json_response(envelope(len(matches)), matches, owner)
            assert answer.get_data() == expected.get_data()
            assert answer.mimetype == expected.mimetype == "application/json"
        assert trips_json._kept.get(owner) or debug


@pytest.mark.parametrize("kept", [3, 4096])
def test_a_leg_kept_for_another_match_is_made_again(make_app, monkeypatch, kept):
    monkeypatch.setattr(trips_json, "LEGS_KEPT", kept)  # with 3, emptied often too
    app = make_app()
    with app.test_request_context("/trajets.json"):
        owner, matches = trip_index(), varied_matches(1)
        trips_json_response(envelope(0), matches, owner)
        moved = [replace(m, departure=m.arrival, arrival=m.departure, time=None) for m in matches]
        expected = jsonify({**envelope(len(moved)), "trajets": public_trips(moved)})
        assert trips_json_response(envelope(len(moved)), moved, owner).get_data() == expected.get_data()
        assert len(trips_json._kept[owner]) <= kept


def test_the_frozen_json_names_each_trip_s_file(make_app):
    from comobi.web.links import use_links
    from comobi.web.static_links import StaticLinks

    app = make_app()
    with app.test_request_context("/trajets.json"):
        matches = varied_matches(2)
        use_links(StaticLinks(app))
        body = trips_json_response(envelope(len(matches)), matches, trip_index()).get_json()
        expected = jsonify({**envelope(len(matches)), "trajets": public_trips(matches)}).get_json()
    assert body == expected
    assert all(t["url"].endswith("/index.html") and t["url"].startswith("trajets/") for t in body["trajets"])


@pytest.mark.parametrize("owner", [None, 7, {}])
def test_an_owner_that_cannot_keep_the_legs_still_gets_the_same_body(make_app, owner):
    app = make_app()
    with app.test_request_context("/trajets.json"):
        matches = varied_matches(3)
        expected = jsonify({**envelope(len(matches)), "trajets": public_trips(matches)})
        assert trips_json_response(envelope(len(matches)), matches, owner).get_data() == expected.get_data()
