"""Shared fixtures for the standard covoiturage tests: Lot communes, trips, a tiny app."""
from __future__ import annotations

from datetime import date, datetime, time

from flask import Flask

from comobi.interop import api
from comobi.interop.standard import PARIS
from comobi.models import ARCHIVED, PENDING, Board, Place, Trip
from comobi.settings import SETTINGS, flatten

LIMOGNE = Place("Limogne-en-Quercy", "limogne-en-quercy", 44.3964, 1.7703)
CAHORS = Place("Cahors", "cahors", 44.4475, 1.4406)
LALBENQUE = Place("Lalbenque", "lalbenque", 44.3394, 1.5469)
FIGEAC = Place("Figeac", "figeac", 44.6086, 2.0317)

# A fixed Monday morning, far enough ahead for one-off trips to be "future".
NOW = datetime(2030, 1, 7, 6, 0, tzinfo=PARIS)
MONDAY = NOW.date()
PHONE, EMAIL = "06 12 34 56 78", "jean.dupont@example.org"


def trip(id, origin, destination, **fields) -> Trip:
    defaults = dict(first_name="Jean", last_name="Dupont", phone=PHONE, email=EMAIL,
                    direct_contact=True, seats=3)
    return Trip(id=id, row=2, origin=origin, destination=destination, **{**defaults, **fields})


def lot_trips() -> list[Trip]:
    return [
        trip("T1", LIMOGNE, CAHORS, days=frozenset(range(5)), outbound_time=time(7, 45),
             return_time=time(17, 30), origin_detail="Place de la mairie",
             destination_detail="Gare SNCF"),
        trip("T2", FIGEAC, CAHORS, date=date(2030, 1, 9), outbound_time=time(9, 0),
             first_name="Marie", last_name="Durand"),
        trip("ARCH", LIMOGNE, CAHORS, days=frozenset(range(7)), outbound_time=time(8, 0),
             status=ARCHIVED),
        trip("PEND", LIMOGNE, CAHORS, days=frozenset(range(7)), outbound_time=time(8, 0),
             status=PENDING),
        trip("PAST", LIMOGNE, CAHORS, date=date(2030, 1, 6), outbound_time=time(8, 0)),
    ]


def make_app(trips=None, **settings) -> Flask:
    app = Flask(__name__)
    config = {s.key: s.default for s in SETTINGS}
    config.update({"service.domain": "covoiturage-lot.fr", "tarif.enabled": True,
                   "interop.rate_limit_per_minute": 0})
    config.update(flatten(settings))
    board = Board(trips=lot_trips() if trips is None else trips)
    app.config.update(COMOBI=config, TESTING=True)
    app.config[api.BOARD_PROVIDER] = lambda: board
    app.config[api.CLOCK] = lambda: NOW
    app.register_blueprint(api.blueprint)
    return app


def timestamp(day: date, hour: int, minute: int = 0) -> int:
    return int(datetime.combine(day, time(hour, minute), tzinfo=PARIS).timestamp())


def around(origin: Place, destination: Place, **params) -> dict:
    return {"departureLat": origin.latitude, "departureLng": origin.longitude,
            "arrivalLat": destination.latitude, "arrivalLng": destination.longitude, **params}
