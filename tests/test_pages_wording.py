"""What a passenger or a clerk reads: French typography and grammar, trip cards, legs,
the forms' order, the phone number first, links to commune pages, cache headers."""
from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest

from comobi.freeze import freeze_site
from comobi.wording import NBSP, a_commune, de_commune, french_spacing
from tests.gestion_support import JOSETTE, app_with_password, gestion_workbook, log_in, request_row
from tests.workbooks import trip_row, trips_workbook

LIMOGNE_CAHORS = trip_row(id="T1", origin="Limogne-en-Quercy", destination="Cahors", return_time="12h")
ALBAS = trip_row(id="T2", origin="Albas", destination="Le Bastit", return_time="")
ARQUES = trip_row(id="T3", origin="Les Arques", destination="Figeac", direct_contact="Non", return_time="17h")
TRIPS = [LIMOGNE_CAHORS, ALBAS, ARQUES]


# --- commune names after "de" and "à" (pure) --------------------------------------------

@pytest.mark.parametrize("name, de, a", [
    ("Albas", "d'Albas", "à Albas"),
    ("Le Bastit", "du Bastit", "au Bastit"),
    ("Les Arques", "des Arques", "aux Arques"),
    ("Cahors", "de Cahors", "à Cahors"),
    ("Figeac", "de Figeac", "à Figeac"),
    ("Espédaillac", "d'Espédaillac", "à Espédaillac"),
    ("Issendolus", "d'Issendolus", "à Issendolus"),
    ("La Bastide-Murat", "de La Bastide-Murat", "à La Bastide-Murat"),
    ("L'Hospitalet", "de L'Hospitalet", "à L'Hospitalet"),
    ("Lendou-en-Quercy", "de Lendou-en-Quercy", "à Lendou-en-Quercy"),  # "Le" only as a word
    ("Leyme", "de Leyme", "à Leyme"),
])
def test_commune_names_after_de_and_a(name, de, a):
    assert de_commune(name) == de and a_commune(name) == a


# --- non-breaking spaces (pure) ----------------------------------------------------------

def test_french_spacing_in_text_only():
    html = ('<p title="Quoi ? Rien : non">Quel jour ? Demain : oui ! « Cahors » ;</p>'
            '<script>if (a ? b : c) {}</script><textarea name="m">Bonjour ? Oui : </textarea>'
            '<p>«Figeac»</p>')
    spaced = french_spacing(html)
    assert f"Quel jour{NBSP}? Demain{NBSP}: oui{NBSP}! «{NBSP}Cahors{NBSP}»{NBSP};" in spaced
    assert 'title="Quoi ? Rien : non"' in spaced  # attributes are left alone
    assert "<script>if (a ? b : c) {}</script>" in spaced and ">Bonjour ? Oui : </textarea>" in spaced
    assert f"«{NBSP}Figeac{NBSP}»" in spaced
    assert french_spacing(spaced) == spaced


class _Text(HTMLParser):
    """The text a reader sees, without scripts, styles and what form fields hold."""

    def __init__(self):
        super().__init__()
        self.skipping = 0
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.skipping += tag in ("script", "style", "textarea")

    def handle_endtag(self, tag):
        self.skipping -= tag in ("script", "style", "textarea")

    def handle_data(self, data):
        if not self.skipping:
            self.text.append(data)


BREAKABLE_BEFORE = re.compile(r"[ \t\r\n]+[?!:;»]|«[ \t\r\n]")


def breakable_spots(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    text = "".join(parser.text)
    return [text[max(0, m.start() - 30):m.end() + 10] for m in BREAKABLE_BEFORE.finditer(text)]


def public_pages(client):
    yield from ("/", "/trajets", "/trajets?depart=Atlantide&jour=x", "/trajets?depart=Cahors", "/trajets/T1",
                "/trajets/T3", "/communes", "/communes/cahors", "/communes/albas/imprimer", "/contact",
                "/mentions-legales", "/donnees-personnelles", "/retrait", "/proposer", "/demander", "/nulle-part")


def test_no_line_can_start_with_french_punctuation_on_live_pages(make_app, sheet_path):
    trips_workbook(sheet_path, TRIPS)
    client = make_app(sheet_path).test_client()
    for url in public_pages(client):
        assert breakable_spots(client.get(url).get_data(as_text=True)) == [], url
    for url, data in (("/proposer", {"origin": "Atlantide"}), ("/demander", {}), ("/retrait", {"phone": "1"}),
                      ("/trajets/T1/contact", {})):
        assert breakable_spots(client.post(url, follow_redirects=True, data=data).get_data(as_text=True)) == [], url


def test_no_line_can_start_with_french_punctuation_in_gestion(make_app, sheet_path):
    gestion_workbook(sheet_path, [JOSETTE], [request_row(id="D1"), request_row(id="D2", origin="Atlantide")])
    client = app_with_password(make_app, sheet_path).test_client()
    assert breakable_spots(client.get("/gestion/connexion").get_data(as_text=True)) == []
    log_in(client)
    for url in ("/gestion/", "/gestion/demandes/D1", "/gestion/demande-telephone", "/gestion/trajet-telephone",
                "/gestion/bilan"):
        assert breakable_spots(client.get(url).get_data(as_text=True)) == [], url
    posted = client.post("/gestion/demande-telephone", data={"origin": "Atlantide"}).get_data(as_text=True)
    assert breakable_spots(posted) == []


def test_no_line_can_start_with_french_punctuation_on_the_frozen_site(make_app, sheet_path, tmp_path):
    trips_workbook(sheet_path, TRIPS)
    site = tmp_path / "site"
    freeze_site(make_app(sheet_path), site)
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        assert breakable_spots(page.read_text()) == [], page


# --- grammar -----------------------------------------------------------------------------

def test_commune_pages_elide_and_contract(board_client):
    client = board_client(TRIPS)
    albas = unescape(client.get("/communes/albas").get_data(as_text=True))
    assert "Covoiturage à Albas" in albas and "Pour partir d'Albas" in albas and "de Albas" not in albas
    bastit = client.get("/communes/le-bastit").get_data(as_text=True)
    assert "Covoiturage au Bastit" in bastit and "Pour aller au Bastit" in bastit and "à Le Bastit" not in bastit
    arques = client.get("/communes/les-arques/imprimer").get_data(as_text=True)
    assert "Covoiturage solidaire aux Arques" in arques and "Pour partir des Arques" in arques
    assert "à Les Arques" not in arques and "de Les Arques" not in arques


def test_a_consenting_driver_is_described_whoever_they_are(board_client):
    page = unescape(board_client(TRIPS).get("/trajets/T1").get_data(as_text=True))
    assert "accepte qu'on l'appelle directement" in page and "contacté" not in page


# --- trip cards and legs -----------------------------------------------------------------

def cards(html: str) -> list[str]:
    return re.findall(r'<article class="trip">.*?</article>', html, re.S)


def test_cards_speak_of_the_route_only_after_a_search(board_client):
    client = board_client(TRIPS)
    listed = client.get("/trajets").get_data(as_text=True)
    assert cards(listed) and not any("sur le trajet" in c or "détour" in c for c in cards(listed))
    searched = client.get("/trajets?depart=Limogne-en-Quercy&arrivee=Cahors").get_data(as_text=True)
    assert "sur le trajet" in cards(searched)[0]


def test_a_return_leg_is_words_and_leads_to_its_leg(board_client):
    client = board_client(TRIPS)
    found = client.get("/trajets?depart=Cahors&arrivee=Limogne-en-Quercy").get_data(as_text=True)
    card = cards(found)[0]
    assert 'href="/trajets/T1#retour"' in card and "Cahors → Limogne-en-Quercy" in card
    assert '<span class="leg">(trajet retour)</span>' in card and 'class="tag"' not in card
    page = client.get("/trajets/T1").get_data(as_text=True)
    h1 = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
    assert "Limogne-en-Quercy → Cahors" in h1 and "et retour" in h1
    leg = re.search(r'<div class="leg-facts" id="retour">(.*?)</div>', page, re.S).group(1)
    assert "Cahors → Limogne-en-Quercy" in leg and "12h" in leg
    one_way = client.get("/trajets/T2").get_data(as_text=True)
    assert "et retour" not in re.search(r"<h1>(.*?)</h1>", one_way, re.S).group(1) and 'id="retour"' not in one_way


# --- the contact's address, reloaded -------------------------------------------------------

def test_reloading_the_contact_address_goes_back_to_the_trip(board_client):
    client = board_client(TRIPS)
    response = client.get("/trajets/T1/contact")
    assert response.status_code == 303 and response.headers["Location"].endswith("/trajets/T1#contact")
    followed = client.get("/trajets/T1/contact", follow_redirects=True)
    page = followed.get_data(as_text=True)
    assert followed.status_code == 200 and "Afficher le numéro" in page and "06 39 98 00 01" not in page
    assert client.get("/trajets/NOPE/contact").status_code == 404


# --- forms -------------------------------------------------------------------------------

def test_ask_form_is_in_the_order_of_the_offer_form_and_marks_what_is_optional(board_client):
    client = board_client(TRIPS)
    ask = unescape(client.get("/demander").get_data(as_text=True))
    offer = client.get("/proposer").get_data(as_text=True)
    for page in (ask, offer):
        assert page.index('id="days"') < page.index('id="date"')
    assert """<label for="arrival_time">Heure d'arrivée souhaitée (facultatif)</label>""" in ask


def test_the_consent_error_is_not_under_the_other_box_s_explanation(board_client):
    page = board_client(TRIPS).post("/proposer", follow_redirects=True, data={}).get_data(as_text=True)
    direct = re.search(r'<div class="field checkbox-field[^"]*">\s*(?:<p class="error"[^>]*>[^<]*</p>\s*)?'
                       r'<div class="checkbox">\s*<input[^>]*id="direct_contact".*?</div>\s*(.*?)</div>', page, re.S)
    assert direct and 'id="direct_contact-hint"' in direct.group(1)  # its hint, inside its own block
    consent = page.index('id="data_consent-error"')
    assert page.index('id="direct_contact-hint"') < page.index('<div class="field checkbox-field has-error">',
                                                               page.index('id="direct_contact-hint"')) < consent
    assert 'aria-describedby="direct_contact-hint"' in page


# --- the phone first, links to commune pages ------------------------------------------------

def test_the_service_number_is_in_the_header_of_every_public_page(board_client):
    client = board_client(TRIPS)
    for url in ("/", "/proposer", "/demander", "/trajets", "/trajets/T1", "/communes/cahors", "/contact"):
        page = client.get(url).get_data(as_text=True)
        header = page[page.index('<header class="site">'):page.index("</header>")]
        assert 'href="tel:0565000000"' in header, url


def test_live_pages_link_to_commune_pages(board_client):
    client = board_client(TRIPS)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/communes"' in home
    trip = client.get("/trajets/T1").get_data(as_text=True)
    assert 'href="/communes/limogne-en-quercy"' in trip and 'href="/communes/cahors"' in trip
    assert client.get("/communes/limogne-en-quercy").status_code == 200
    assert 'href="/communes"' in client.get("/trajets").get_data(as_text=True)


# --- head: icon, description, caches ------------------------------------------------------

def test_every_page_has_an_icon_and_a_description(board_client):
    client = board_client(TRIPS)
    descriptions = set()
    for url in ("/", "/trajets", "/trajets/T1", "/communes/cahors", "/proposer", "/communes/cahors/imprimer"):
        page = client.get(url).get_data(as_text=True)
        icon = re.search(r'<link rel="icon" href="([^"]+)"', page).group(1)
        assert client.get(icon).status_code == 200
        description = re.search(r'<meta name="description" content="([^"]+)"', page).group(1)
        assert 50 <= len(" ".join(description.split())) <= 300, url
        descriptions.add(description)
    assert len(descriptions) >= 3  # a trip's page describes that trip
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 301 and client.get(favicon.headers["Location"]).status_code == 200


def test_versioned_files_are_kept_a_year_and_brand_css_too(board_client):
    client = board_client(TRIPS)
    page = client.get("/").get_data(as_text=True)
    for link in re.findall(r'href="(/(?:static/[^"]+|brand\.css)\?v=[^"]+)"', page):
        response = client.get(link)
        control = response.headers["Cache-Control"]
        assert "no-cache" not in control and "max-age=31536000" in control and "immutable" in control, link
    assert len(re.findall(r'href="/brand\.css\?v=', page)) == 1
    unversioned = client.get("/brand.css").headers["Cache-Control"]
    assert "max-age=3600" in unversioned and "immutable" not in unversioned


# --- /gestion: its own menu and footer ----------------------------------------------------

def test_gestion_pages_drop_the_public_menu_and_footer(make_app, sheet_path):
    gestion_workbook(sheet_path, [JOSETTE], [request_row(id="D1")])
    client = app_with_password(make_app, sheet_path).test_client()
    log_in(client)
    page = client.get("/gestion/").get_data(as_text=True)
    assert '<body class="gestion">' in page and 'aria-label="Menu principal"' not in page
    assert '<footer class="site">' not in page and '<footer class="gestion-footer">' in page
    assert page.count('aria-label="Espace de gestion"') == 1
