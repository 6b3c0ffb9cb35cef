"""The suggested contribution a passenger gives the driver: pure arithmetic, no I/O.

Road distance is estimated from the straight line × ``road_factor``. The price depends on
``mode``: ``palier`` (default) is a flat ``base_eur`` up to ``base_km`` road km, then
``per_km_eur`` for each km beyond; ``km`` is ``per_km_eur`` for every km (the solidarity
transport ceiling is 0.32 EUR/km, counted from the volunteer's home: see comobi/rides.py);
``forfait`` is ``flat_eur`` per ride whatever the distance (Atchoum's way). Passengers
may pay in mobility tickets: as many as cover the price, rounded up.
"""
from __future__ import annotations

from dataclasses import dataclass

from comobi.models import Place
from comobi.places import distance_km


@dataclass(frozen=True)
class Estimate:
    road_km: float
    price_eur: float
    tickets: int

    @property
    def text(self) -> str:
        """'6,02 € (5 tickets mobilité)'."""
        plural = "s" if self.tickets > 1 else ""
        return f"{euros(self.price_eur)} ({self.tickets} ticket{plural} mobilité)"


MODES = ("palier", "km", "forfait")
TUS_CEILING_EUR_PER_KM = 0.32  # transport d'utilité sociale: the indemnity's legal ceiling


@dataclass(frozen=True)
class Tariff:
    """A flat base, then a price per extra km (or per km, or flat); tickets of a fixed value."""

    base_eur: float = 3.75
    base_km: float = 12.0
    per_km_eur: float = 0.32
    road_factor: float = 1.3
    ticket_eur: float = 1.25
    mode: str = "palier"
    flat_eur: float = 5.0

    @classmethod
    def from_settings(cls, settings: dict) -> Tariff:
        return cls(base_eur=settings["tarif.base_eur"], base_km=settings["tarif.base_km"],
                   per_km_eur=settings["tarif.per_km_eur"], road_factor=settings["tarif.road_factor"],
                   ticket_eur=settings["tarif.ticket_eur"], mode=settings.get("tarif.mode", "palier"),
                   flat_eur=settings.get("tarif.flat_eur", 5.0))

    def price(self, road_km: float) -> float:
        if self.mode == "km":
            return round(road_km * self.per_km_eur, 2)
        if self.mode == "forfait":
            return round(self.flat_eur, 2)
        extra = max(0.0, road_km - self.base_km)
        return round(self.base_eur + extra * self.per_km_eur, 2)

    def tickets(self, price_eur: float) -> int:
        """Tickets that cover the price; counted in cents so 3.75 / 1.25 is exactly 3."""
        cents, ticket_cents = round(price_eur * 100), round(self.ticket_eur * 100)
        if ticket_cents <= 0:
            return 0
        return -(-cents // ticket_cents)

    def road_km(self, straight_km: float) -> float:
        return straight_km * self.road_factor

    def estimate(self, straight_km: float) -> Estimate:
        road = self.road_km(straight_km)
        price = self.price(road)
        return Estimate(road_km=road, price_eur=price, tickets=self.tickets(price))

    def between(self, start: Place, end: Place) -> Estimate:
        return self.estimate(distance_km(start, end))


def enabled_tariff(settings: dict) -> Tariff | None:
    """The instance's tariff, or None when trips are free (``tarif.enabled`` false)."""
    return Tariff.from_settings(settings) if settings["tarif.enabled"] else None


def euros(amount: float) -> str:
    """French format: 9.51 -> '9,51 €', 1234.5 -> '1 234,50 €' (narrow no-break spaces)."""
    return f"{amount:,.2f}".replace(",", "\u202f").replace(".", ",") + "\u00a0€"


def number_fr(value: float, decimals: int = 0) -> str:
    """12345.6 -> '12 346' ; with decimals=1 -> '12 345,6'."""
    return f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")
