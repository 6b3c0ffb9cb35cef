"""The spreadsheet's layout: tabs, their headers and the aliases other sheets use.

Columns are found by header, ignoring case, accents, spaces and punctuation, so the
clerk may reorder them, rename them the CoMobi / Google Form way, or add her own.
"""
from __future__ import annotations

from dataclasses import dataclass

from comobi.parsing import normalise_key


@dataclass(frozen=True)
class Column:
    field: str  # name used in the code
    header: str  # header the app writes
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tab:
    title: str
    columns: tuple[Column, ...]
    optional: bool = False  # a sheet without this tab is in order (solidarity transport unused)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def fields(self) -> list[str]:
        return [c.field for c in self.columns]


# Who a row is about (models.Person), in the three tabs of people: the same headers and aliases.
PERSON = (
    Column("first_name", "Prénom"),
    Column("last_name", "Nom"),
    Column("phone", "Téléphone", ("N° de téléphone", "Numéro de téléphone", "Tél", "Portable")),
    Column("email", "E-mail", ("Adresse e-mail", "Email", "Courriel", "Mail")),
)

TRIPS = Tab("Trajets", (
    Column("id", "ID"),
    Column("created", "Date d'inscription", ("Horodateur", "Date d'enregistrement")),
    *PERSON,
    Column("preferred_contact", "Contact préféré"),
    Column("direct_contact", "Contact direct", ("Consentement",)),
    Column("origin", "Départ", ("Commune de départ", "Ville de départ")),
    Column("origin_detail", "Lieu de départ", ("Lieu précis",)),
    Column("destination", "Arrivée", ("Commune d'arrivée", "Destination", "Ville d'arrivée")),
    Column("destination_detail", "Lieu d'arrivée"),
    Column("days", "Jours"),
    Column("date", "Date", ("Jour",)),
    Column("outbound_time", "Heure aller", ("heureDepart", "Heure de départ", "Heure")),
    Column("return_time", "Heure retour", ("heureRetour", "Heure de retour")),
    Column("seats", "Places", ("Nombre de places", "Places disponibles")),
    Column("remarks", "Remarques", ("Remarques éventuelles", "Commentaire", "Commentaires")),
    Column("status", "Statut"),
    Column("key", "Clé"),  # idempotency key of a web submission: never written twice
    # Mail (comobi/mail): the driver's last confirmation, the freshness reminder, the
    # private link's token (its SHA-256 hash only; the token itself is only ever mailed).
    Column("confirmed", "Confirmé le"),
    Column("reminded", "Rappel envoyé le"),
    Column("token", "Jeton"),
))

REQUESTS = Tab("Demandes", (
    Column("id", "ID"),
    Column("created", "Date de la demande", ("Horodateur",)),
    *PERSON,
    Column("origin", "Départ", ("Commune de départ",)),
    Column("origin_detail", "Lieu de départ"),
    Column("destination", "Arrivée", ("Commune d'arrivée", "Destination")),
    Column("destination_detail", "Lieu d'arrivée"),
    Column("date", "Date du trajet", ("Date",)),
    Column("days", "Jours"),
    Column("arrival_time", "Heure d'arrivée souhaitée", ("Heure d'arrivée", "Heure")),
    Column("return_time", "Heure retour", ("Heure de retour",)),
    Column("reason", "Motif"),
    Column("channel", "Canal"),
    Column("status", "Statut"),
    Column("proposed_trip", "Trajet proposé"),
    Column("notes", "Notes", ("Remarques",)),
    Column("key", "Clé"),  # idempotency key of a web submission: never written twice
    Column("token", "Jeton"),  # hash of the private link's token (comobi/mail/tokens.py)
))

PLACES = Tab("Lieux", (
    Column("names", "Noms", ("Nom", "Lieu")),
    Column("latitude", "Latitude", ("Lat",)),
    Column("longitude", "Longitude", ("Lon", "Lng")),
))

VOLUNTEERS = Tab("Bénévoles", (
    Column("id", "ID"),
    Column("created", "Date d'inscription", ("Horodateur",)),
    *PERSON,
    Column("home", "Commune", ("Domicile", "Commune du domicile")),
    Column("radius_km", "Rayon (km)", ("Rayon", "Distance max")),
    Column("availability", "Disponibilités", ("Disponibilité", "Dispo", "Dispos")),
    Column("remarks", "Remarques", ("Commentaire", "Commentaires")),
    Column("status", "Statut"),
    Column("key", "Clé"),  # idempotency key of a web submission: never written twice
), optional=True)

RIDES = Tab("Courses", (
    Column("id", "ID"),
    Column("request", "Demande"),
    Column("driver", "Conducteur", ("Bénévole", "Trajet")),
    Column("date", "Date"),
    Column("time", "Heure"),
    Column("origin", "Départ"),
    Column("destination", "Arrivée"),
    Column("km", "Km", ("Kilomètres", "Distance")),
    Column("indemnity", "Indemnité", ("Montant",)),
    Column("tickets", "Tickets"),
    Column("status", "Statut"),
    Column("notes", "Notes", ("Remarques",)),
    Column("key", "Clé"),
), optional=True)

TABS = (TRIPS, REQUESTS, PLACES, VOLUNTEERS, RIDES)


def find_tab_title(titles: list[str], tab: Tab) -> str | None:
    """The title of the sheet tab that stands for ``tab`` ("trajets " is "Trajets")."""
    wanted = normalise_key(tab.title)
    return next((t for t in titles if normalise_key(t) == wanted), None)


class HeaderMap:
    """Where each field sits in one tab's header row (0-based column indexes)."""

    def __init__(self, tab: Tab, header_row: list[str]):
        self.tab = tab
        self.width = len(header_row)
        self.columns: dict[str, int] = {}
        keys = [normalise_key(h) for h in header_row]
        # Exact headers win over aliases: "Date" is a trip's date, not a form timestamp.
        for names in ((c.header,) for c in tab.columns), (c.aliases for c in tab.columns):
            for column, candidates in zip(tab.columns, names):
                if column.field in self.columns:
                    continue
                for name in candidates:
                    index = _free_index(keys, normalise_key(name), self.columns.values())
                    if index is not None:
                        self.columns[column.field] = index
                        break

    @property
    def missing(self) -> list[Column]:
        return [c for c in self.tab.columns if c.field not in self.columns]

    def record(self, row: list[str]) -> dict[str, str]:
        """The row's values by field; cells beyond the row's end are blank."""
        return {
            field: (row[index].strip() if index < len(row) else "")
            for field, index in self.columns.items()
        }

    def row(self, values: dict[str, str]) -> list[str]:
        """A full row for appending: known fields in their columns, others blank."""
        cells = [""] * self.width
        for field, value in values.items():
            if field in self.columns:
                cells[self.columns[field]] = value
        return cells


def _free_index(keys: list[str], key: str, taken) -> int | None:
    taken = set(taken)
    return next((i for i, k in enumerate(keys) if k == key and i not in taken), None)


def is_blank(row: list[str]) -> bool:
    return not any(cell.strip() for cell in row)
