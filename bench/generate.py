"""Realistic synthetic spreadsheets: what a clerk's Trajets tab looks like after a few years.

    python -m bench.generate --trips 10000 --out bench/out/trips-10k.xlsx

Communes come from the bundled list, scoped to a few départements; most trips go from a
village to one of the nearby towns, some to a village nearby, a few to Toulouse. Cells are
typed the way people type them: `8h30`, `08:30`, `7H45`; `lun-ven`, `L M J`, `du lundi
au vendredi`; `St-Céré`, `FIGEAC`, `Gramat (46500)`. There are return legs, one-off trips
(some already past), archived and pending rows, drivers who did not consent to direct
contact, and a few ride requests. The same seed and day give the same workbook.
"""
from __future__ import annotations

import argparse
import csv
import math
import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from bench.workbook import board_tabs, write_workbook
from comobi.places import COMMUNES_CSV

DEPARTEMENTS = ("46", "12", "82", "19")  # Lot, Aveyron, Tarn-et-Garonne, Corrèze
TOWNS = 20  # the most populous communes in scope are where people go

FIRST_NAMES = ("Josette", "Bernard", "Monique", "Jean-Pierre", "Françoise", "Alain", "Sylvie", "Michel",
               "Nicole", "Pierre", "Christiane", "Gérard", "Danielle", "Henri", "Martine", "André",
               "Yvette", "Claude", "Marie", "Jacques", "Odette", "Lucien", "Paulette", "Serge")
LAST_NAMES = ("Lafon", "Delpech", "Garrigues", "Vidal", "Bouyssou", "Cassagnes", "Roques", "Fabre",
              "Lacoste", "Marty", "Besse", "Soulié", "Couderc", "Lagarrigue", "Salgues", "Calmels",
              "Rigal", "Bessières", "Lavergne", "Cayla", "Delmas", "Pélissié")
DAYS = ("lun-ven", "L M J", "du lundi au vendredi", "lundi, jeudi", "mardi", "mercredi", "jeudi",
        "vendredi", "samedi", "Lundi et Mercredi", "tous les jours", "mardi, vendredi", "LMMJV",
        "lundi", "sauf le week-end", "du mardi au samedi")
REMARKS = ("", "", "", "Marché le matin.", "Rendez-vous médicaux bienvenus.", "Trajet domicile-travail.",
           "Je peux faire un petit détour.", "Pas d'animaux, merci.")
MEETING_POINTS = ("", "", "Place de la mairie", "Devant l'église", "Parking de la gare", "Arrêt de bus")


@dataclass(frozen=True)
class Commune:
    name: str
    departement: str
    postcode: str
    population: int
    latitude: float
    longitude: float


def load_communes(departements=DEPARTEMENTS) -> list[Commune]:
    """Communes of these départements from the bundled list (those with a point)."""
    wanted = set(departements)
    with COMMUNES_CSV.open(encoding="utf-8", newline="") as file:
        return [
            Commune(row["nom"], row["departement"], row["codes_postaux"].split("|")[0],
                    int(row["population"] or 0), float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(file)
            if row["departement"] in wanted and row["latitude"] and row["longitude"]
        ]


def generate(count: int, seed: int = 1, today: date | None = None,
             departements=DEPARTEMENTS) -> tuple[list[dict], list[dict]]:
    """`count` trips and about count/10 ride requests, as {header: cell} rows."""
    rng = random.Random(seed)
    today = today or date.today()
    communes = load_communes(departements)
    towns = sorted(communes, key=lambda c: -c.population)[:TOWNS]
    trips = [_trip(rng, communes, towns, today) for _ in range(count)]
    requests = [_request(rng, communes, towns, today) for _ in range(max(1, count // 10))]
    _number(rng, trips, "T")
    _number(rng, requests, "D")
    return trips, requests


def _number(rng: random.Random, records: list[dict], prefix: str) -> None:
    """IDs like the app's (T7K2QF). Every row has one: the app writes the missing ones at its
    first read, so a sheet in use has them all."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    ids: set[str] = set()
    while len(ids) < len(records):
        ids.add(prefix + "".join(rng.choices(alphabet, k=6)))
    for record, ident in zip(records, sorted(ids, key=lambda _: rng.random())):
        record["ID"] = ident


def _trip(rng: random.Random, communes, towns, today: date) -> dict:
    origin = rng.choice(communes)
    destination = _destination(rng, origin, communes, towns)
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    one_off = rng.random() < 0.15
    row = {
        "Date d'inscription": (today - timedelta(days=rng.randint(0, 1500))).strftime("%d/%m/%Y"),
        "Prénom": first,
        "Nom": last if rng.random() < 0.9 else "",
        "Téléphone": _phone(rng),
        "E-mail": f"{_ascii(first)}.{_ascii(last)}@example.fr" if rng.random() < 0.3 else "",
        "Contact préféré": rng.choice(("Téléphone", "Téléphone", "SMS", "E-mail", "")),
        "Contact direct": rng.choice(("Oui", "Oui", "oui", "Je consens", "Non", "")),
        "Départ": _typed_name(rng, origin),
        "Lieu de départ": rng.choice(MEETING_POINTS),
        "Arrivée": _typed_name(rng, destination),
        "Lieu d'arrivée": rng.choice(MEETING_POINTS),
        "Jours": "" if one_off else rng.choice(DAYS),
        "Date": _one_off_date(rng, today) if one_off else "",
        "Heure aller": _typed_time(rng, rng.randint(6, 11), rng.choice((0, 0, 15, 30, 45))),
        "Heure retour": (_typed_time(rng, rng.randint(12, 19), rng.choice((0, 0, 15, 30, 45)))
                         if rng.random() < 0.6 else ""),
        "Places": rng.choice(("1", "2", "3", "3", "4", "2 places", "")),
        "Remarques": rng.choice(REMARKS),
        "Statut": _status(rng),
    }
    return row


def _request(rng: random.Random, communes, towns, today: date) -> dict:
    origin = rng.choice(communes)
    return {
        "Date de la demande": (today - timedelta(days=rng.randint(0, 400))).strftime("%d/%m/%Y"),
        "Prénom": rng.choice(FIRST_NAMES),
        "Nom": rng.choice(LAST_NAMES),
        "Téléphone": _phone(rng),
        "Départ": _typed_name(rng, origin),
        "Arrivée": _typed_name(rng, _destination(rng, origin, communes, towns)),
        "Jours": rng.choice(("", "mardi", "lundi, jeudi")),
        "Heure d'arrivée souhaitée": _typed_time(rng, rng.randint(8, 11), 0),
        "Motif": rng.choice(("Médecin", "Courses", "Marché", "Administratif")),
        "Canal": rng.choice(("web", "téléphone", "téléphone")),
        "Statut": rng.choice(("nouvelle", "en cours", "trouvée", "sans solution")),
    }


def _destination(rng: random.Random, origin: Commune, communes, towns) -> Commune:
    draw = rng.random()
    if draw < 0.02:
        return Commune("Toulouse", "31", "31000", 500000, 43.6045, 1.4440)
    if draw < 0.75:  # a town nearby, the nearer the likelier
        ranked = sorted(towns, key=lambda t: _km(origin, t))[:5]
        choice = rng.choices(ranked, weights=(8, 4, 2, 1, 1))[0]
        if choice != origin:
            return choice
    near = [c for c in communes if 3 < _km(origin, c) < 30]
    return rng.choice(near or towns)


def _km(a: Commune, b: Commune) -> float:
    dlat = (a.latitude - b.latitude) * 111.2
    dlon = (a.longitude - b.longitude) * 111.2 * math.cos(math.radians(a.latitude))
    return math.hypot(dlat, dlon)


def _typed_name(rng: random.Random, commune: Commune) -> str:
    draw = rng.random()
    if draw < 0.75:
        return commune.name
    if draw < 0.82:
        return commune.name.upper()
    if draw < 0.9:
        return re.sub(r"\bSainte-", "Ste-", re.sub(r"\bSaint-", "St-", commune.name))
    if draw < 0.95:
        return f"{commune.name} ({commune.postcode})"
    return commune.name.lower()


def _typed_time(rng: random.Random, hour: int, minute: int) -> str:
    forms = [f"{hour}h{minute:02d}", f"{hour:02d}:{minute:02d}", f"{hour}H{minute:02d}",
             f"{hour}:{minute:02d}:00"]
    if minute == 0:
        forms += [f"{hour}h", f"{hour} h"]
    return rng.choice(forms)


def _one_off_date(rng: random.Random, today: date) -> str:
    day = today + timedelta(days=rng.randint(-60, 120))  # about a third already past
    return day.strftime(rng.choice(("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y")))


def _status(rng: random.Random) -> str:
    return rng.choices(("publié", "Publié", "", "en attente", "archivé", "Archivé"),
                       weights=(70, 5, 8, 5, 10, 2))[0]


def _phone(rng: random.Random) -> str:
    return f"06 39 98 {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"  # ARCEP's range for fiction


def _ascii(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower().replace("é", "e").replace("è", "e"))


def write(path: Path, count: int, seed: int = 1, today: date | None = None) -> Path:
    trips, requests = generate(count, seed, today)
    return write_workbook(path, board_tabs(trips, requests))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trips", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    path = write(args.out, args.trips, args.seed)
    print(f"{args.out}: {args.trips} trips, départements {', '.join(DEPARTEMENTS)}, "
          f"{path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
