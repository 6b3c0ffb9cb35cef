"""The frozen site's search opened from disk (file://), as on a USB stick: no server at all."""
from comobi.freeze import freeze_site
from tests.browser.live import live_app_on


def test_the_search_works_from_disk(open_page, tmp_path):
    site = tmp_path / "site"
    freeze_site(live_app_on(tmp_path), site)
    page = open_page(360, 640)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((site / "trajets" / "index.html").as_uri())
    page.fill("#depart", "Lalbenque")
    page.fill("#arrivee", "Cahors")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_role("heading", name="3 trajets").wait_for()
    assert page.locator("#communes-trajets option").count() > 100  # suggestions came with the trips
    page.locator("#resultats-statiques").get_by_role("link", name="Limogne-en-Quercy → Cahors").click()
    page.wait_for_load_state()
    assert page.url.endswith("/site/trajets/T1/index.html") and errors == []
