"""The clerk's day with the keyboard alone: log in, open a request, note that a driver takes the person."""
from comobi.wording import french_spacing
from tests.browser.live import gestion_app_on, serving
from tests.browser.support import KeyboardUser, button, element_id, link_to
from tests.browser.test_keyboard import use_skip_link
from tests.gestion_support import PASSWORD
from tests.workbooks import read_tab


def request_row_of(path, request_id: str) -> dict:
    rows = read_tab(path, "Demandes")
    return next(dict(zip(rows[0], row)) for row in rows[1:] if row[0] == request_id)


def test_the_clerk_marks_a_request_as_served_with_the_keyboard(open_page, tmp_path):
    app = gestion_app_on(tmp_path)  # its own workbook, to read back what the journey wrote
    sheet = app.config["COMOBI"]["sheet.path"]
    assert request_row_of(sheet, "D9")["Statut"] == "nouvelle"
    with serving(app) as url:
        page = open_page(360, 640, url=url)
        page.goto("/gestion/")
        assert "/gestion/connexion" in page.url  # the area is closed without the password
        user = KeyboardUser(page)
        use_skip_link(user)
        user.tab_to(element_id("password"))
        user.type(PASSWORD)
        user.tab_to(button("Se connecter"))
        user.follow("Enter")
        assert page.url.endswith("/gestion/"), page.url

        use_skip_link(user)
        opened = user.tab_to(link_to("/gestion/demandes/D9"))
        assert opened["text"] == "Yvette Lacombe : Varaire → Cahors", opened  # spaces folded by support.py
        user.follow("Enter")
        assert page.locator("h1").inner_text() == "Yvette Lacombe\u00a0: Varaire → Cahors"  # no line starts with ":"

        use_skip_link(user)
        user.tab_to(button("C'est d'accord : trouvée avec Josette"))
        user.follow("Enter")
        assert page.url.endswith("/gestion/demandes/D9"), page.url
        notice = page.locator("p.notice[role=status]")
        assert french_spacing("Demande D9 enregistrée dans le tableur : statut « trouvée », trajet proposé T1") in notice.inner_text()
        assert "Trouvée, trajet proposé T1 (Josette Lafon" in page.locator("dl.facts").inner_text()
        user.press("Tab")  # the page after the post still has a visible focus to start from
    row = request_row_of(sheet, "D9")
    assert (row["Statut"], row["Trajet proposé"]) == ("trouvée", "T1"), row
