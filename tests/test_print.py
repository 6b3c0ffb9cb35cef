"""The printable page of a commune, for the town hall's notice board."""
from __future__ import annotations

from datetime import date

from comobi.web import long_date
from tests.workbooks import trip_row


def test_the_commune_page_links_to_its_printable_page(board_client):
    client = board_client([trip_row(id="T1")])
    page = client.get("/communes/cahors").get_data(as_text=True)
    assert 'href="/communes/cahors/imprimer"' in page


def test_the_printable_page(board_client):
    client = board_client([
        trip_row(id="T1", Prénom="Josette", Nom="Lafon", **{"Contact direct": "Non", "Téléphone": "06 39 98 77 66"}),
        trip_row(id="T2", Prénom="Ana", Nom="Vidal", Départ="Cahors", Arrivée="Figeac",
                 **{"Contact direct": "Oui", "Téléphone": "06 39 98 11 22"}),
    ])
    response = client.get("/communes/cahors/imprimer")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Covoiturage solidaire à Cahors" in page
    assert "05 65 00 00 00" in page and long_date(date.today()) in page
    assert "Josette L." in page and "Lafon" not in page and "Le service, trajet n° T1" in page
    assert "06 39 98 77 66" not in page and "0639987766" not in page
    # Even with consent, no number on a page anyone can fetch: the service relays.
    assert "Ana V." in page and "06 39 98 11 22" not in page and "trajet n° T2" in page
    assert "Pour partir de Cahors" in page and "Pour aller à Cahors" in page
    assert "print.css" in page and "<style" not in page and " style=" not in page


def test_unknown_commune_is_not_found(board_client):
    assert board_client([trip_row(id="T1")]).get("/communes/nulle-part/imprimer").status_code == 404
