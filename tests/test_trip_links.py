"""Trip addresses built once per list (/trajets cards, /trajets.json) are those url_for gives."""
import random
import re
from dataclasses import replace

import pytest
from flask import url_for

from comobi.matching import OUTBOUND, RETURN
from comobi.web.derived import trip_index
from comobi.web.links import current_links, use_links
from comobi.web.present import public_trip, public_trips, trip_card_links
from comobi.wording import _marks, french_spacing


def some_matches(app) -> list:
    """Every listed trip as an outbound and a return leg, and two with IDs url_for must quote."""
    matches = list(trip_index().ranked())
    assert matches
    odd = [replace(matches[0], trip=replace(matches[0].trip, id=text)) for text in ("a b/é", "x?y#z")]
    return [replace(m, leg=leg) for m in matches + odd for leg in (OUTBOUND, RETURN)]


@pytest.mark.parametrize("service_url", ["", "https://covoiturage.example.fr", "https://example.org/covoit/"])
def test_the_json_addresses_are_url_for_s(make_app, service_url):
    app = make_app(**{"service.url": service_url})
    with app.test_request_context("/trajets.json", base_url="http://127.0.0.1:5000/sous-dossier"):
        matches = some_matches(app)
        built = public_trips(matches)
        assert [t["url"] for t in built] == [current_links().trip_url(m.trip.id) for m in matches]
        assert built == [public_trip(m) for m in matches]
        assert any("a%20b" in t["url"] for t in built)


def test_the_card_links_are_url_for_s(make_app):
    app = make_app()
    with app.test_request_context("/trajets", base_url="http://127.0.0.1:5000/sous-dossier"):
        link = trip_card_links()
        for match in some_matches(app):
            anchor = "retour" if match.leg == RETURN else None
            assert link(match) == url_for("public.trip", trip_id=match.trip.id, _anchor=anchor)


class OwnLinks:
    """A static link policy of the test's own: each link says what it was asked for."""

    static = True

    def __init__(self):
        self.asked = []

    def url_for(self, endpoint, **values):
        self.asked.append(values)
        return f"x/{values['trip_id']}#{values.get('_anchor')}"

    def trip_url(self, trip_id):
        self.asked.append(trip_id)
        return f"y/{trip_id}"


def test_the_static_site_s_links_are_asked_of_its_policy_for_each_card(make_app):
    """The static site's links are relative to each page: each card asks the policy."""
    app = make_app()
    links = OwnLinks()
    with app.test_request_context("/trajets"):
        matches = some_matches(app)
        use_links(links)
        assert [trip_card_links()(m) for m in matches] == [
            f"x/{m.trip.id}#{'retour' if m.leg == RETURN else None}" for m in matches]
        assert [t["url"] for t in public_trips(matches)] == [f"y/{m.trip.id}" for m in matches]
    assert len(links.asked) == 2 * len(matches)


def test_the_list_page_links_each_card_to_its_trip(client):
    page = client.get("/trajets").get_data(as_text=True)
    links = re.findall(r'<h3><a href="([^"]+)">', page)
    assert links and all(re.fullmatch(r"/trajets/[A-Za-z0-9_-]+(#retour)?", link) for link in links)
    for link in links[:3]:
        assert client.get(link.split("#")[0]).status_code == 200


def test_the_marks_are_found_as_a_regex_finds_them():
    rng = random.Random(5)
    alphabet = "ab é<>?!:;«»\u00a0\n"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
        assert _marks(text) == [m.start() for m in re.finditer(r"[?!:;«»]", text)]
    assert french_spacing("<p>Où ? « Là » !</p>") == "<p>Où\u00a0? «\u00a0Là\u00a0» !</p>".replace(" !", "\u00a0!")


def test_ids_take_the_marker_s_place_with_one_call():
    from comobi.web.present import ids_into

    calls = []

    def make(trip_id):
        calls.append(trip_id)
        return f"/t/{trip_id}?x=1"

    build = ids_into(make)
    assert [build(i) for i in ("T1", "a_b-9", "Z" * 40)] == ["/t/T1?x=1", "/t/a_b-9?x=1", f"/t/{'Z' * 40}?x=1"]
    assert len(calls) == 1  # the marker's
    assert build("a b") == "/t/a b?x=1" and build("Z" * 41) == f"/t/{'Z' * 41}?x=1" and len(calls) == 3


def test_ids_into_gives_up_when_the_marker_is_not_once_in_the_text():
    from comobi.web.present import ids_into

    twice = ids_into(lambda trip_id: f"/{trip_id}/{trip_id}")
    never = ids_into(lambda trip_id: "/same")
    assert twice("T1") == "/T1/T1" and never("T1") == "/same"
