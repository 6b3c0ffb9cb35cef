"""Every page in every state the browser tests check, and how to get there.

``PAGES`` is a list of ``State(name, reach)``: ``reach(page)`` takes a fresh Playwright page
(its context has the app's base URL, so paths are enough), brings it to the state and
checks it got there. To cover a new page, append a State; every check (axe, layout, text
size, touch targets, screenshots) then runs on it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from playwright.sync_api import Page

OFFER = {
    "origin": "Gramat", "destination": "Figeac", "outbound_time": "9h", "return_time": "11h30",
    "first_name": "Paul", "last_name": "Marty", "phone": "06 39 98 00 42",
}
OFFER_CHECKS = ["days-1", "direct_contact", "data_consent"]
REQUEST = {
    "origin": "Aujols", "destination": "Cahors", "date": "25/12/2099", "arrival_time": "9h",
    "first_name": "Jeanne", "last_name": "Teulières", "phone": "06 39 98 50 99", "reason": "Médecin",
}
REQUEST_CHECKS = ["data_consent"]


@dataclass(frozen=True)
class State:
    name: str
    reach: Callable[[Page], None]

    def __str__(self) -> str:
        return self.name


def visit(path: str, heading: str, status: int = 200, shows: str | None = None):
    """Open a URL; its h1 must contain ``heading`` and, if given, the selector ``shows`` be visible."""

    def reach(page: Page) -> None:
        from playwright.sync_api import expect

        response = page.goto(path)
        assert response.status == status, (path, response.status)
        expect(page.locator("h1")).to_contain_text(heading)
        if shows:
            expect(page.locator(shows).first).to_be_visible()

    return reach


def submit(path: str, fields: dict[str, str] | None = None, checks=(), heading: str = "", shows: str | None = None,
           before=None):
    """Open a form, fill it (by field id), send it with its button."""

    def reach(page: Page) -> None:
        from playwright.sync_api import expect

        page.goto(path)
        for field, value in (fields or {}).items():
            page.fill(f"#{field}", value)
        for box in checks:
            page.check(f"#{box}")
        if before:
            before(page)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        expect(page.locator("h1")).to_contain_text(heading)
        if shows:
            expect(page.locator(shows).first).to_be_visible()

    return reach


def _drop_csrf_token(page: Page) -> None:
    page.evaluate("document.querySelector('input[name=csrf_token]').remove()")


PAGES = [
    State("accueil", visit("/", "Covoiturage solidaire")),
    State("trajets", visit("/trajets", "Trajets proposés", shows="article.trip")),
    State("trajets-page-2", visit("/trajets?page=2", "Trajets proposés", shows=".pages a[rel=prev]")),
    State("trajets-resultats", visit("/trajets?depart=Lalbenque&arrivee=Cahors", "Trajets proposés",
                                     shows=".external-trips")),
    State("trajets-aucun", visit("/trajets?depart=Bretenoux&arrivee=Puy-l%27%C3%89v%C3%AAque", "Trajets proposés",
                                 shows="text=Aucun trajet ne correspond")),
    State("trajets-erreur", visit("/trajets?depart=Atlantide&arrivee=Cahors&jour=lundi", "Trajets proposés",
                                  shows="#depart-error")),
    State("trajet-contact-direct", visit("/trajets/T1", "Limogne-en-Quercy → Cahors", shows=".contact a[href^='tel:']")),
    State("trajet-via-service", visit("/trajets/T2", "Figeac → Cahors", shows="text=Le service vous met en relation")),
    State("trajet-par-email", visit("/trajets/T4", "Saint-Cirq-Lapopie", shows=".contact a[href^='mailto:']")),
    State("commune", visit("/communes/cahors", "Covoiturage à Cahors", shows="article.trip")),
    State("commune-sans-trajet", visit("/communes/rocamadour", "Covoiturage à Rocamadour",
                                       shows="text=Aucun trajet pour le moment")),
    State("proposer", visit("/proposer", "Proposer un trajet")),
    State("proposer-erreurs", submit("/proposer", heading="Proposer un trajet", shows=".error-summary")),
    State("proposer-erreurs-partielles", submit("/proposer", {**OFFER, "phone": "12", "outbound_time": "25h"},
                                                ["days-1"], heading="Proposer un trajet", shows=".error-summary")),
    State("proposer-confirme", submit("/proposer", OFFER, OFFER_CHECKS, heading="votre trajet est enregistré")),
    State("demander", visit("/demander", "Demander un trajet")),
    State("demander-erreurs", submit("/demander", heading="Demander un trajet", shows=".error-summary")),
    State("demander-confirme", submit("/demander", REQUEST, REQUEST_CHECKS, heading="votre demande est enregistrée")),
    State("formulaire-expire", submit("/proposer", OFFER, OFFER_CHECKS, heading="Impossible d'afficher",
                                      before=_drop_csrf_token)),
    State("trajet-introuvable", visit("/trajets/T999", "Page introuvable", status=404)),
    State("page-introuvable", visit("/nulle-part", "Page introuvable", status=404)),
]
