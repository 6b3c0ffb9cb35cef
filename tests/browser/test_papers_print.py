"""The papers of /gestion print on one A4 page each in Chromium (page.pdf, then its pages counted)."""
from __future__ import annotations

import re

from comobi import create_app
from comobi.schema import PLACES, REQUESTS, RIDES, TRIPS, VOLUNTEERS
from tests.browser.live import LOOPBACK_SETTINGS, serving
from tests.gestion_support import PASSWORD
from tests.solidarity_support import ride_row, tuesday_request, volunteer_row
from tests.workbooks import write_workbook

DAY = "2026-02-03"
# A busy day: six passengers, long addresses and notes.
PASSENGERS = [tuesday_request(id=f"D000{n}", first_name=f"Passagère {n}", last_name="De La Bastide-Murat",
                              origin_detail="Lieu-dit Les Granges Hautes, chemin de la Croix de Pierre, "
                                            "après le lavoir",
                              destination_detail="Centre hospitalier Jean Rougier, 335 rue du Président Wilson, "
                                                 "service de radiologie, 2e étage", return_time="16h30",
                              reason="Rendez-vous de radiologie")
              for n in range(1, 7)]
RIDES_OF_DAY = [ride_row(id=f"C000{n}", request=f"D000{n}", driver="B0001", date="03/02/2026", time=f"{7 + n}h",
                         km="41,2", indemnity="13,18", tickets="11", status="prévue",
                         notes="Fauteuil pliant dans le coffre ; sonner deux fois, la passagère entend mal.")
                for n in range(1, 7)]


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_the_day_sheet_and_the_receipt_print_on_one_a4_page(browser, tmp_path):
    sheet = write_workbook(tmp_path / "sheet.xlsx", {
        TRIPS.title: [TRIPS.headers], PLACES.title: [PLACES.headers],
        REQUESTS.title: [REQUESTS.headers] + [[r.get(h, "") for h in REQUESTS.headers] for r in PASSENGERS],
        VOLUNTEERS.title: [VOLUNTEERS.headers, [volunteer_row(id="B0001").get(h, "") for h in VOLUNTEERS.headers]],
        RIDES.title: [RIDES.headers] + [[r.get(h, "") for h in RIDES.headers] for r in RIDES_OF_DAY],
    })
    app = create_app({**LOOPBACK_SETTINGS, "sheet.path": str(sheet), "outbox.path": str(tmp_path / "outbox"),
                      "COMOBI_ADMIN_PASSWORD": PASSWORD})
    with serving(app) as url:
        context = browser.new_context(base_url=url, locale="fr-FR")
        page = context.new_page()
        page.goto("/gestion/connexion")
        page.fill("#password", PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Se connecter").click()
        for path, shows in ((f"/gestion/feuille-de-route/B0001/{DAY}", "Passagère 6"),
                            ("/gestion/courses/C0001/bon", "Signature du passager"),
                            ("/gestion/releves/2026-02/B0001", "Relevé")):
            page.goto(path)
            assert shows in page.content(), path
            pdf = page.pdf(format="A4", print_background=True)
            assert _pdf_pages(pdf) == 1, (path, _pdf_pages(pdf))
        # The measure can fail: the same day sheet with twice the passengers does not fit.
        page.goto(f"/gestion/feuille-de-route/B0001/{DAY}")
        page.evaluate("const b = document.querySelector('tbody'); b.innerHTML += b.innerHTML + b.innerHTML;")
        assert _pdf_pages(page.pdf(format="A4")) > 1
        context.close()
