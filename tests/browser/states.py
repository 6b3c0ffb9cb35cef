"""Every page in every state the browser tests check, and how to get there.

``PAGES`` is a list of ``State(name, reach, site)``: ``reach(page)`` takes a fresh Playwright
page (its context has the base URL of the State's ``site``, one of tests/browser/live.py's
sites, so paths are enough), brings it to the state and checks it got there. To cover a new
page, append a State; every check (axe, layout, text size, touch targets, screenshots) then
runs on it. The frozen site lives under a sub-path: its paths are relative ("trajets/T1/").
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from tests.gestion_support import PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import Page

OFFER = {
    "origin": "Gramat", "destination": "Figeac", "outbound_time": "9h", "return_time": "11h30",
    "first_name": "Paul", "last_name": "Marty", "phone": "06 39 98 00 42",
}
OFFER_CHECKS = ["days-1", "direct_contact", "data_consent"]
NEXT_CHRISTMAS = f"25/12/{date.today().year + 1}"  # trip dates are accepted up to three years ahead
REQUEST = {
    "origin": "Aujols", "destination": "Cahors", "date": NEXT_CHRISTMAS, "arrival_time": "9h",
    "first_name": "Jeanne", "last_name": "Teulières", "phone": "06 39 98 50 99", "reason": "Médecin",
}
REQUEST_CHECKS = ["data_consent"]
REMOVAL = {"reference": "T1", "phone": "06 39 98 00 01", "message": "Je ne fais plus ce trajet."}
PHONE_REQUEST = {"origin": "Varaire", "destination": "Cahors", "date": NEXT_CHRISTMAS, "arrival_time": "9h",
                 "first_name": "Marguerite", "phone": "06 39 98 50 01"}
PHONE_TRIP = {"origin": "Lalbenque", "destination": "Cahors", "outbound_time": "8h",
              "first_name": "Paul", "phone": "12"}


@dataclass(frozen=True)
class State:
    name: str
    reach: Callable[[Page], None]
    site: str = "public"

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
           before=None, button: str | None = None):
    """Open a form, fill it (by field id), send it with its button (the first in main, or the one named)."""

    def reach(page: Page) -> None:
        from playwright.sync_api import expect

        page.goto(path)
        for field, value in (fields or {}).items():
            page.fill(f"#{field}", value)
        for box in checks:
            page.check(f"#{box}")
        if before:
            before(page)
        sender = (page.locator("main").get_by_role("button", name=button, exact=True) if button
                  else page.locator("main form button[type=submit]").first)
        with page.expect_navigation():
            sender.click()
        page.wait_for_load_state()
        expect(page.locator("h1")).to_contain_text(heading)
        if shows:
            expect(page.locator(shows).first).to_be_visible()

    return reach


def reveal(path: str, heading: str, button: str, shows: str, until_refused: bool = False):
    """Open a trip page and press its button that shows the driver's contact (again, if
    ``until_refused``, until the address's limit refuses it)."""

    def reach(page: Page) -> None:
        from playwright.sync_api import expect

        for _ in range(3 if until_refused else 1):
            page.goto(path)
            with page.expect_navigation():
                page.get_by_role("button", name=button).click()
            page.wait_for_load_state()
            if not until_refused or page.locator(".callout p.error[role=alert]").count():
                break
        expect(page.locator("h1")).to_contain_text(heading)
        expect(page.locator(shows).first).to_be_visible()

    return reach


def static_search(fields: dict[str, str], shows: str, more: str | None = None):
    """On the frozen home page: fill the search (by field id), send it, wait for static/search.js's
    answer (it fetches the trips first); then, if ``more`` names it, press the button showing more."""

    def reach(page: Page) -> None:
        from playwright.sync_api import expect

        page.goto("./")
        for field, value in fields.items():
            page.fill(f"#{field}", value)
        page.get_by_role("button", name="Chercher").click()
        if more:
            page.get_by_role("button", name=more).click()
        expect(page.locator("#resultats-statiques")).to_contain_text(shows)

    return reach


def signed_in(reach_after, password: str = PASSWORD):
    """Log in to /gestion first, then reach the state."""

    def reach(page: Page) -> None:
        page.goto("/gestion/connexion")
        page.fill("#password", password)
        with page.expect_navigation():
            page.get_by_role("button", name="Se connecter").click()
        assert page.url.endswith("/gestion/"), page.url
        reach_after(page)

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
    State("trajet-contact-direct", visit("/trajets/T1", "Limogne-en-Quercy → Cahors",
                                         shows="button:has-text('Afficher le numéro')")),
    State("trajet-numero-affiche", reveal("/trajets/T1", "Limogne-en-Quercy → Cahors", "Afficher le numéro",
                                          shows=".contact a[href^='tel:']")),
    State("trajet-via-service", visit("/trajets/T2", "Figeac → Cahors", shows="text=Le service vous met en relation")),
    State("trajet-par-email", visit("/trajets/T4", "Saint-Cirq-Lapopie",
                                    shows="button:has-text(\"Afficher l'adresse e-mail\")")),
    State("trajet-email-affiche", reveal("/trajets/T4", "Saint-Cirq-Lapopie", "Afficher l'adresse e-mail",
                                         shows=".contact a[href^='mailto:']")),
    State("trajet-numero-refuse", reveal("/trajets/T1", "Limogne-en-Quercy → Cahors", "Afficher le numéro",
                                         shows=".callout p.error[role=alert]", until_refused=True), site="strict"),
    State("commune", visit("/communes/cahors", "Covoiturage à Cahors", shows="article.trip")),
    State("commune-sans-trajet", visit("/communes/rocamadour", "Covoiturage à Rocamadour",
                                       shows="text=Aucun trajet pour le moment")),
    State("commune-imprimer", visit("/communes/cahors/imprimer", "Covoiturage solidaire à Cahors", shows="table")),
    State("communes", visit("/communes", "Trajets par commune", shows=".communes-list a")),
    State("mentions-legales", visit("/mentions-legales", "Mentions légales")),
    State("donnees-personnelles", visit("/donnees-personnelles", "Données personnelles")),
    State("contact", visit("/contact", "Nous contacter", shows="#demander")),
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
    State("formulaire-trop-rapide", submit("/proposer", OFFER, OFFER_CHECKS, heading="Proposer un trajet",
                                           shows="text=envoyé très vite"), site="strict"),
    State("retrait", visit("/retrait", "Retirer mes données")),
    State("retrait-erreurs", submit("/retrait", {"reference": "T-1/2", "phone": "12"}, heading="Retirer mes données",
                                    shows=".error-summary")),
    State("retrait-confirme", submit("/retrait", REMOVAL, heading="Votre demande de retrait est")),
    State("trajet-introuvable", visit("/trajets/T999", "Page introuvable", status=404)),
    State("page-introuvable", visit("/nulle-part", "Page introuvable", status=404)),
    # The clerk's area (live.py's gestion site: password, open requests D1 to D4).
    State("gestion-connexion", visit("/gestion/connexion", "Espace de gestion", shows="#password"), site="gestion"),
    State("gestion-connexion-refusee", signed_in(submit("/gestion/connexion", {"password": "pas-le-bon"},
                                                        heading="Espace de gestion", shows=".error-summary")),
          site="gestion"),
    State("gestion-demandes", signed_in(visit("/gestion/", "Demandes à traiter", shows=".candidate .reach a")),
          site="gestion"),
    State("gestion-demande", signed_in(visit("/gestion/demandes/D1", "Jeanne Teulières", shows=".candidate")),
          site="gestion"),
    State("gestion-demande-telephone", signed_in(visit("/gestion/demande-telephone", "Demande reçue par téléphone")),
          site="gestion"),
    State("gestion-demande-telephone-erreurs",
          signed_in(submit("/gestion/demande-telephone", {**PHONE_REQUEST, "origin": "Atlantide"},
                           button="Enregistrer et chercher un conducteur", heading="Demande reçue par téléphone",
                           shows=".error-summary")), site="gestion"),
    State("gestion-trajet-telephone", signed_in(visit("/gestion/trajet-telephone", "Trajet proposé par téléphone")),
          site="gestion"),
    State("gestion-trajet-telephone-erreurs",
          signed_in(submit("/gestion/trajet-telephone", PHONE_TRIP, button="Enregistrer et publier le trajet",
                           heading="Trajet proposé par téléphone", shows=".error-summary")), site="gestion"),
    State("gestion-bilan", signed_in(visit("/gestion/bilan", "Bilan de l'activité", shows="figure.chart svg")),
          site="gestion"),
    # Solidarity transport: the volunteer sign-up and the clerk's volunteers and rides.
    State("benevole", visit("/benevole", "Devenir conducteur bénévole")),
    State("benevole-erreurs", submit("/benevole", {"home": "Atlantide", "availability": "quand il fait beau"},
                                     heading="Devenir conducteur bénévole", shows=".error-summary")),
    State("gestion-benevoles", signed_in(visit("/gestion/benevoles", "Conducteurs bénévoles")), site="gestion"),
    State("gestion-benevole-telephone", signed_in(visit("/gestion/benevole-telephone", "Bénévole inscrit par téléphone")),
          site="gestion"),
    State("gestion-courses", signed_in(visit("/gestion/courses", "Courses du transport solidaire")), site="gestion"),
    # The frozen site (``flask freeze``), served as plain files under /site/.
    State("fige-accueil", visit("./", "Covoiturage solidaire"), site="frozen"),
    State("fige-trajet", visit("trajets/T1/", "Limogne-en-Quercy → Cahors", shows="text=appelez le service"),
          site="frozen"),
    State("fige-commune", visit("communes/cahors/", "Covoiturage à Cahors", shows="article.trip"), site="frozen"),
    State("fige-communes", visit("communes/", "Trajets par commune", shows=".communes-list a"), site="frozen"),
    State("fige-contact", visit("contact/", "Nous contacter", shows="#demander"), site="frozen"),
    State("fige-introuvable", visit("nulle-part/", "Page introuvable", status=404), site="frozen"),
    State("fige-recherche", static_search({}, "Voir 2 trajets de plus"), site="frozen"),
    State("fige-recherche-plus", static_search({}, "Cajarc → Figeac", more="Voir 2 trajets de plus"), site="frozen"),
    State("fige-recherche-resultat", static_search({"depart": "Lalbenque", "arrivee": "Cahors"},
                                                   "Voir aussi tous les trajets de Cahors"), site="frozen"),
    State("fige-recherche-aucun", static_search({"depart": "Bretenoux", "arrivee": "Puy-l'Évêque"},
                                                "Aucun trajet ne correspond"), site="frozen"),
    # comobi/mail: the pages that need no private link
    State("lien-perdu", visit("/lien-perdu", "J'ai perdu mon lien", shows="#email")),
    State("alerte-sans-email", visit("/alerte?depart=Bretenoux&arrivee=Cahors", "Prévenez-moi", status=404)),
    State("lien-non-valable", visit("/prive/trajet/inconnu", "pas (ou plus) valable", status=404)),
]
