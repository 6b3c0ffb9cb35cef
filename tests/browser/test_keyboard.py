"""Whole journeys with the keyboard alone (Tab, Shift+Tab, Enter, Space, arrows), focus visible at every step."""
from tests.browser.support import KeyboardUser, button, element_id, link_to


def use_skip_link(user: KeyboardUser) -> None:
    """First Tab on a page reaches "Aller au contenu"; Enter puts the focus on the main content."""
    skip = user.press("Tab")
    assert skip["tag"] == "a" and skip["href"] == "#contenu" and skip["text"] == "Aller au contenu", skip
    main = user.press("Enter")
    assert main["tag"] == "main" and main["id"] == "contenu", main


def field_value(page, field_id: str):
    return page.evaluate("id => { const el = document.getElementById(id);"
                         " return el.type === 'checkbox' || el.type === 'radio' ? el.checked : el.value; }", field_id)


def test_a_driver_posts_a_trip_with_the_keyboard(open_page):
    page = open_page(360, 640)
    page.goto("/")
    user = KeyboardUser(page)
    user.tab_to(link_to("/proposer"))
    user.follow("Enter")
    assert page.url.endswith("/proposer")

    use_skip_link(user)
    assert user.press("Tab")["id"] == "origin"  # the first field comes right after the skip link
    user.type("Gramat")
    user.tab_to(element_id("destination"))
    user.type("Figeac")
    assert user.press("Shift+Tab")["id"] == "origin_detail"
    assert user.press("Shift+Tab")["id"] == "origin"
    user.tab_to(element_id("days-1"))
    user.press("Space")  # mardi
    user.tab_to(element_id("outbound_time"))
    user.type("9h")
    user.tab_to(element_id("seats"))
    user.type("2")
    user.tab_to(element_id("first_name"))
    user.type("Paul")
    user.tab_to(element_id("last_name"))
    user.type("Marty")
    # The phone is forgotten: the form must say so and lose nothing.
    assert user.tab_to(element_id("preferred_contact-0"))["type"] == "radio"
    assert user.press("ArrowDown")["id"] == "preferred_contact-1"  # par SMS
    user.tab_to(element_id("direct_contact"))
    user.press("Space")
    user.tab_to(element_id("data_consent"))
    user.press("Space")
    user.tab_to(button("Proposer ce trajet"))
    arrived = user.follow("Enter")

    assert arrived is not None and arrived["id"] == "erreurs", arrived  # the error summary has the focus
    user.focus_is_visible("on the error summary")
    assert page.locator("#erreurs li").count() == 1
    link = user.press("Tab")
    assert link["href"] == "#phone" and "Téléphone" in link["text"], link
    assert user.press("Enter")["id"] == "phone"  # the summary's link moves the focus to the field
    kept = {name: field_value(page, name) for name in
            ("origin", "destination", "days-1", "outbound_time", "seats", "first_name", "last_name",
             "preferred_contact-1", "direct_contact", "data_consent")}
    assert kept == {"origin": "Gramat", "destination": "Figeac", "days-1": True, "outbound_time": "9h",
                    "seats": "2", "first_name": "Paul", "last_name": "Marty", "preferred_contact-1": True,
                    "direct_contact": True, "data_consent": True}
    user.type("06 39 98 00 43")
    user.tab_to(button("Proposer ce trajet"))
    user.follow("Enter")

    assert "votre trajet est enregistré" in page.locator("h1").inner_text()
    user.tab_to(link_to("/trajets/T"))
    user.follow("Enter")
    assert page.locator("h1").inner_text() == "Gramat → Figeac"


def test_a_passenger_finds_a_trip_from_a_village_and_the_way_to_contact(open_page):
    page = open_page(360, 640)
    page.goto("/")
    user = KeyboardUser(page)
    use_skip_link(user)
    assert user.press("Tab")["id"] == "depart"
    user.type("Lalbenque")
    assert user.press("Tab")["id"] == "arrivee"
    user.type("Cahors")
    assert user.press("Tab")["id"] == "jour"
    user.tab_to(button("Chercher"))
    user.follow("Enter")
    assert "depart=Lalbenque" in page.url and "arrivee=Cahors" in page.url

    use_skip_link(user)
    trip = user.tab_to(link_to("/trajets/T1"))
    assert trip["text"] == "Limogne-en-Quercy → Cahors"
    user.follow("Enter")
    assert page.locator("h1").inner_text() == "Limogne-en-Quercy → Cahors et retour"  # T1 comes back at 12h

    use_skip_link(user)
    assert "Josette L. accepte qu'on l'appelle directement" in page.locator("#contenu").inner_text()
    assert page.locator("a[href^='tel:0639980001']").count() == 0  # the number is shown on request only
    user.tab_to(button("Afficher le numéro"))
    user.follow("Enter")
    assert page.url.endswith("/trajets/T1/contact#contact")
    call = user.tab_to(link_to("tel:0639980001"))
    assert call["text"] == "06 39 98 00 01"


def test_a_passenger_is_shown_how_to_reach_the_service_when_the_driver_did_not_consent(open_page):
    page = open_page(360, 640)
    page.goto("/trajets/T2")
    user = KeyboardUser(page)
    use_skip_link(user)
    assert user.tab_to(link_to("tel:"))["text"] == "05 65 00 00 00"
    user.tab_to(link_to("/demander"))
    user.follow("Enter")
    assert page.locator("h1").inner_text() == "Demander un trajet"


def test_a_passenger_searches_a_frozen_site_and_sees_more_results_with_the_keyboard(open_page, sites):
    page = open_page(360, 640, url=sites["frozen"])
    fetched = []
    page.on("request", lambda request: fetched.append(request.url) if "recherche.js" in request.url else None)
    page.goto("./")
    user = KeyboardUser(page)
    use_skip_link(user)
    user.tab_to(button("Chercher"))
    assert fetched == []  # the trips come only with a search
    user.press("Enter")
    page.get_by_role("heading", name="22 trajets").wait_for()
    assert len(fetched) == 1 and page.locator("#resultats-statiques li").count() == 20
    user.tab_to(button("Voir 2 trajets de plus"))
    now = user.press("Enter")
    assert page.locator("#resultats-statiques li").count() == 22
    assert now["tag"] == "a" and now["text"] == page.locator("#resultats-statiques li a").nth(20).inner_text()
    user.follow("Enter")
    assert "→" in page.locator("h1").inner_text()
