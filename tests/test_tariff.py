"""The suggested contribution: arithmetic at the boundaries, French formatting, trip pages."""
import pytest

from comobi.settings import SETTINGS
from comobi.tariff import Estimate, Tariff, enabled_tariff, euros
from tests.workbooks import trip_row, trips_workbook

TARIFF = Tariff(base_eur=3.75, base_km=12, per_km_eur=0.32, road_factor=1.3, ticket_eur=1.25)


@pytest.mark.parametrize("road_km, price, tickets", [
    (0, 3.75, 3),
    (12, 3.75, 3),
    (12.1, 3.78, 4),
    (30, 9.51, 8),  # 3.75 + 18 × 0.32
])
def test_price_is_flat_up_to_base_km_then_per_km_and_tickets_round_up(road_km, price, tickets):
    assert TARIFF.price(road_km) == price
    assert TARIFF.tickets(TARIFF.price(road_km)) == tickets


def test_estimate_goes_from_straight_line_to_road_km():
    estimate = TARIFF.estimate(30 / 1.3)
    assert estimate.road_km == pytest.approx(30)
    assert (estimate.price_eur, estimate.tickets) == (9.51, 8)


def test_a_price_that_is_a_whole_number_of_tickets_needs_no_extra_ticket():
    assert Tariff(ticket_eur=1.25).tickets(5.00) == 4
    assert Tariff(ticket_eur=1.25).tickets(5.01) == 5


def test_french_formatting():
    assert euros(9.51) == "9,51\u00a0€"
    assert euros(1234.5) == "1\u202f234,50\u00a0€"
    assert Estimate(19.1, 6.02, 5).text == "6,02\u00a0€ (5 tickets mobilité)"
    assert Estimate(5, 1.0, 1).text == "1,00\u00a0€ (1 ticket mobilité)"


def test_defaults_come_from_the_settings_table():
    defaults = {s.key: s.default for s in SETTINGS}
    assert enabled_tariff(defaults) is None  # free trips by default
    assert enabled_tariff({**defaults, "tarif.enabled": True}) == TARIFF


def test_the_interop_module_uses_the_same_tariff():
    from comobi.interop import rides, standard

    assert not hasattr(rides, "Tariff")
    assert standard.Tariff is Tariff


def test_trip_page_shows_the_contribution_when_the_tariff_is_on(make_app, sheet_path):
    trips_workbook(sheet_path, [trip_row(id="T0001", origin="Figeac", destination="Cahors")])
    page = make_app(sheet_path, **{"tarif.enabled": True}).test_client().get("/trajets/T0001").get_data(as_text=True)
    assert "Participation conseillée" in page
    assert "tickets mobilité" in page and "\u00a0€" in page


def test_trip_page_shows_no_price_for_free_trips(make_app, sheet_path):
    trips_workbook(sheet_path, [trip_row(id="T0001", origin="Figeac", destination="Cahors")])
    page = make_app(sheet_path).test_client().get("/trajets/T0001").get_data(as_text=True)
    assert "Participation" not in page and "€" not in page


def test_the_three_ways_of_counting_an_indemnity():
    from comobi.tariff import Tariff

    assert Tariff(mode="km", per_km_eur=0.32).price(41.2) == 13.18  # TUS ceiling, every km
    assert Tariff(mode="forfait", flat_eur=6.0).price(41.2) == 6.0  # Atchoum's flat rate
    assert Tariff(mode="palier", base_eur=3.75, base_km=12, per_km_eur=0.32).price(41.2) == round(3.75 + 29.2 * 0.32, 2)


def test_an_unknown_mode_or_a_rate_above_the_ceiling_is_said_by_sheet_check(make_app):
    from comobi.checks import instance_warnings

    settings = make_app(**{"tarif.mode": "kilometre"}).config["COMOBI"]
    assert any("tarif.mode" in w for w in instance_warnings(settings))
    settings = make_app(**{"tarif.mode": "km", "tarif.per_km_eur": 0.40}).config["COMOBI"]
    assert any("plafond" in w for w in instance_warnings(settings))
    assert not any("tarif" in w for w in instance_warnings(make_app(**{"tarif.mode": "km"}).config["COMOBI"]))
