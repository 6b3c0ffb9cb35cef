import time

import pytest

from comobi import places as places_module
from comobi.models import Place
from comobi.places import Places, distance_km, slugify, split_query


@pytest.fixture(scope="module")
def lot():
    return Places.load(departements=["46"])


@pytest.fixture(scope="module")
def lot_with_extras():
    return Places.load(
        departements=["46"],
        extra=[
            (["Gare de Cahors", "Cahors gare"], 44.4487, 1.4343),
            (["Figeac", "Figeac centre"], 44.6080, 2.0300),
            (["Villeneuve", "Villeneuve-sur-Lot"], 44.4081, 0.7047),
            (["Marché", "marche couvert"], 44.45, 1.44),
            (["Marché"], 44.60, 2.03),
        ],
    )


@pytest.fixture(scope="module")
def france():
    return Places.load()


@pytest.mark.parametrize(
    "name, slug",
    [
        ("Saint-Céré", "saint-cere"),
        ("L'Hospitalet", "l-hospitalet"),
        ("Limogne-en-Quercy", "limogne-en-quercy"),
        ("Saint Géry-Vers", "saint-gery-vers"),
        ("Cœuvres-et-Valsery", "coeuvres-et-valsery"),
        ("  Cahors ", "cahors"),
        ("Bellefont-La Rauze", "bellefont-la-rauze"),
    ],
)
def test_slugify(name, slug):
    assert slugify(name) == slug


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Figeac (46100)", ("figeac", "46100", "")),
        ("46100 Figeac", ("figeac", "46100", "")),
        ("46100", ("", "46100", "")),
        ("Cahors 46", ("cahors", "", "46")),
        ("Cahors - 46", ("cahors", "", "46")),
        ("Ajaccio 2A", ("ajaccio", "", "2A")),
        ("Vigan (Le)", ("le vigan", "", "")),
        ("Saint-Céré", ("saint-céré", "", "")),
    ],
)
def test_split_query(text, expected):
    assert split_query(text) == expected


@pytest.mark.parametrize(
    "text, insee",
    [
        ("Cahors", "46042"),
        ("cahors", "46042"),
        ("CAHORS", "46042"),
        ("  Cahors  ", "46042"),
        ("Figeac", "46102"),
        ("Gourdon", "46127"),
        ("Saint-Céré", "46251"),
        ("Saint Céré", "46251"),
        ("saint cere", "46251"),
        ("St-Céré", "46251"),
        ("St Céré", "46251"),
        ("St. Céré", "46251"),
        ("ST CERE", "46251"),
        ("Souillac", "46309"),
        ("Gramat", "46128"),
        ("Lalbenque", "46148"),
        ("Limogne-en-Quercy", "46173"),
        ("Limogne en Quercy", "46173"),
        ("limogne", "46173"),
        ("Cajarc", "46045"),
        ("Sainte-Colombe", "46260"),
        ("Ste Colombe", "46260"),
        ("Saint-Géry-Vers", "46268"),
        ("46100", "46102"),
        ("Figeac (46100)", "46102"),
        ("46100 Figeac", "46102"),
        ("Figeac 46100", "46102"),
        ("Cahors 46", "46042"),
        ("46000", "46042"),
        ("Toulouse", "31555"),
        ("Brive-la-Gaillarde", "19031"),
        ("Saint-Martin 65", "65392"),
        ("Saint-Martin (32300)", "32389"),
    ],
)
def test_find(lot, text, insee):
    place = lot.find(text)
    assert place is not None and place.insee == insee


@pytest.mark.parametrize("text", ["", "   ", None, "Nulle-Part-sur-Rien", "99999", "Saint-Cir", "xx"])
def test_find_nothing(lot, text):
    assert lot.find(text) is None


def test_find_prefers_the_commune_in_scope():
    # Sainte-Colombe exists in many départements; in the Lot it means the Lot one.
    assert Places.load(departements=["46"]).find("Sainte-Colombe").departement == "46"
    assert Places.load(departements=["76"]).find("Sainte-Colombe").departement == "76"


def test_find_outside_scope_takes_the_most_populous_homonym(lot):
    assert lot.find("Valence").insee == "26362"  # Valence (Drôme), not Valence (Tarn-et-Garonne)
    assert lot.find("Valence 82").insee == "82186"


def test_find_returns_a_place(lot):
    place = lot.find("Cahors")
    assert isinstance(place, Place)
    assert place.name == "Cahors"
    assert place.slug == "cahors"
    assert place.departement == "46"
    assert place.postcodes == ("46000",)
    assert place.latitude == pytest.approx(44.45, abs=0.01)


@pytest.mark.parametrize(
    "text, name, latitude",
    [
        ("Gare de Cahors", "Gare de Cahors", 44.4487),
        ("cahors gare", "Gare de Cahors", 44.4487),
        ("Figeac", "Figeac", 44.6080),  # overrides the commune's point
        ("Figeac centre", "Figeac", 44.6080),
        ("Villeneuve", "Villeneuve", 44.4081),  # the clerk's meaning wins
        ("Villeneuve-sur-Lot", "Villeneuve", 44.4081),
        ("Cahors", "Cahors", 44.45074),
    ],
)
def test_find_extra_places(lot_with_extras, text, name, latitude):
    place = lot_with_extras.find(text)
    assert place.name == name
    assert place.latitude == pytest.approx(latitude)


def test_extra_overriding_a_commune_keeps_its_identity(lot_with_extras):
    figeac = lot_with_extras.find("Figeac centre")
    assert (figeac.insee, figeac.slug) == ("46102", "figeac")
    assert lot_with_extras.find("46100") == figeac


def test_extra_slugs_are_unique(lot_with_extras):
    slugs = [place.slug for place in lot_with_extras.in_scope()]
    assert len(slugs) == len(set(slugs))
    assert lot_with_extras.by_slug("marche").latitude == pytest.approx(44.45)
    assert lot_with_extras.by_slug("marche-2").latitude == pytest.approx(44.60)


def test_in_scope_is_sorted_and_complete(lot):
    communes = lot.in_scope()
    assert len(communes) > 300
    assert all(place.departement == "46" for place in communes)
    names = [place.name for place in communes]
    assert "Cahors" in names and "Toulouse" not in names
    assert names.index("Cabrerets") < names.index("Cahors") < names.index("Cajarc")


def test_in_scope_includes_extra_places(lot_with_extras):
    names = {place.name for place in lot_with_extras.in_scope()}
    assert {"Gare de Cahors", "Villeneuve", "Figeac"} <= names
    assert sum(1 for place in lot_with_extras.in_scope() if place.name == "Figeac") == 1


def test_scope_by_epci_code_or_name():
    by_code = Places.load(epcis=["244600532"])
    by_name = Places.load(epcis=["CC du Pays de Lalbenque-Limogne"])
    names = {place.name for place in by_code.in_scope()}
    assert {"Lalbenque", "Limogne-en-Quercy"} <= names and "Cahors" not in names
    assert names == {place.name for place in by_name.in_scope()}


def test_scope_is_the_union_of_departements_and_epcis():
    places = Places.load(departements=["46"], epcis=["200023737"])
    assert _in_scope(places, "Cahors")
    lot_and_brive = Places.load(departements=[46, "19"])
    assert _in_scope(lot_and_brive, "Brive-la-Gaillarde")


@pytest.mark.parametrize(
    "text, inside",
    [("Cahors", True), ("Figeac", True), ("Toulouse", False), ("Brive-la-Gaillarde", False)],
)
def test_in_scope(lot, text, inside):
    assert _in_scope(lot, text) is inside


def test_whole_country_when_no_scope(france):
    assert _in_scope(france, "Toulouse")
    assert len(france.in_scope()) > 34000


@pytest.mark.parametrize(
    "slug, insee",
    [
        ("cahors", "46042"),
        ("saint-cere", "46251"),
        ("limogne-en-quercy", "46173"),
        ("saint-gery-vers", "46268"),
        ("toulouse-31", "31555"),
        ("saint-martin-65", "65392"),
        ("CAHORS", "46042"),
    ],
)
def test_by_slug(lot, slug, insee):
    assert lot.by_slug(slug).insee == insee


@pytest.mark.parametrize("slug", ["toulouse", "cahors-46", "nowhere", "", "saint-martin"])
def test_by_slug_unknown(lot, slug):
    assert lot.by_slug(slug) is None


def test_slugs_round_trip(lot):
    for place in lot.in_scope():
        assert lot.by_slug(place.slug) == place
    toulouse = lot.find("Toulouse")
    assert lot.by_slug(toulouse.slug) == toulouse


def test_homonyms_in_scope_get_their_departement(france):
    slugs = {place.slug for place in france.in_scope() if place.name == "Saint-Martin"}
    assert {"saint-martin-32", "saint-martin-65"} <= slugs
    assert france.by_slug("saint-martin-65").insee == "65392"
    assert france.find("Cahors").slug == "cahors"


def test_slugs_are_unique_across_the_country(france):
    slugs = [place.slug for place in france.in_scope()]
    assert len(slugs) == len(set(slugs))


def test_communes_without_a_point_are_skipped():
    communes = places_module._country().communes
    assert all(commune.latitude and commune.longitude for commune in communes)
    assert len(communes) == 34875 - 8


@pytest.mark.parametrize(
    "a, b, km",
    [
        ("Cahors", "Figeac", 49.4),
        ("Cahors", "Gourdon", 32.0),
        ("Lalbenque", "Cahors", 16.4),
        ("Cahors", "Cahors", 0.0),
    ],
)
def test_distance_km(lot, a, b, km):
    assert distance_km(lot.find(a), lot.find(b)) == pytest.approx(km, abs=1.0)


def test_distance_km_accepts_coordinates(lot):
    cahors = lot.find("Cahors")
    assert distance_km((cahors.latitude, cahors.longitude), lot.find("Figeac")) == pytest.approx(
        distance_km(cahors, lot.find("Figeac"))
    )
    # Paris - Marseille, about 660 km as the crow flies
    assert distance_km((48.8566, 2.3522), (43.2965, 5.3698)) == pytest.approx(660, abs=5)


def test_loading_is_fast_and_cached():
    places_module._country.cache_clear()
    start = time.process_time()
    Places.load(departements=["46"])
    first = time.process_time() - start
    start = time.process_time()
    Places.load(departements=["12"])
    second = time.process_time() - start
    # Generous bound: the target is < 0.3 s, shared test machines are slower.
    assert first < 1.0
    assert second < 0.05


def test_a_territory_holds_only_its_own_communes_in_full():
    """The whole country stays as bytes and tables; communes are made for the territory and
    for what is looked up (issue 15: a worker's memory)."""
    places_module._country.cache_clear()
    lot = Places.load(departements=["46"])
    assert len(lot.in_scope()) > 300 and lot.find("Toulouse").insee == "31555"
    assert lot.find("31000").name == "Toulouse" and lot.find("Saint-Martin (65)").insee == "65392"
    made = len(places_module._country()._made)
    assert 300 < made < 500, made
    assert len(places_module._country()) == 34875 - 8


def _in_scope(places, name):
    return places.find(name) in places.in_scope()
