"""Seeding the solidarity tabs (Bénévoles, Courses) on either backend, through the app's adapter."""
from __future__ import annotations

from datetime import date, timedelta

from comobi.schema import REQUESTS, RIDES, VOLUNTEERS, Tab, find_tab_title
from tests.gestion_support import PASSWORD, log_in, request_row

_TABS = {tab.title: tab for tab in (REQUESTS, RIDES, VOLUNTEERS)}


def volunteer_row(**values) -> dict:
    row = {"ID": "", "Date d'inscription": "02/01/2026", "Prénom": "Anne", "Nom": "Delmas",
           "Téléphone": "06 39 98 70 01", "E-mail": "", "Commune": "Lalbenque", "Rayon (km)": "20",
           "Disponibilités": "mardi matin", "Remarques": "", "Statut": "actif"}
    fields = {c.field: c.header for c in VOLUNTEERS.columns}
    for key, value in values.items():
        row[fields.get(key, key)] = value
    return row


def ride_row(**values) -> dict:
    row = {"ID": "", "Demande": "", "Conducteur": "", "Date": "", "Heure": "", "Départ": "Concots",
           "Arrivée": "Cahors", "Km": "", "Indemnité": "", "Tickets": "", "Statut": "faite", "Notes": ""}
    fields = {c.field: c.header for c in RIDES.columns}
    for key, value in values.items():
        row[fields.get(key, key)] = value
    return row


def seed(app, title: str, records: list[dict]) -> None:
    """Append these records (headers -> cells) to a tab of the app's sheet, creating the tab."""
    tab: Tab = _TABS[title]
    storage = app.extensions["comobi.storage"]
    sheet = storage.spreadsheet
    if find_tab_title(sheet.tab_titles(), tab) is None:
        sheet.add_tab(tab.title, tab.headers)
    if records:
        sheet.append_rows(tab.title, [[r.get(h, "") for h in tab.headers] for r in records])
    storage.invalidate()


def gestion_client(app):
    client = app.test_client()
    log_in(client)
    return client


def next_weekday(weekday: int, today: date | None = None) -> date:
    today = today or date.today()
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def tuesday_request(**values) -> dict:
    """A request for next Tuesday, to arrive in Cahors at 10h, from Concots."""
    defaults = {"id": "D0001", "origin": "Concots", "destination": "Cahors", "days": "",
                "date": next_weekday(1).strftime("%d/%m/%Y"), "arrival_time": "10h", "return_time": "",
                "first_name": "Marcelle", "last_name": "Bouyssou", "phone": "06 39 98 50 07",
                "origin_detail": "3 rue de l'Église", "destination_detail": "Cabinet du Dr Sol, 12 bd Gambetta",
                "reason": "Médecin", "channel": "téléphone", "status": "nouvelle"}
    return request_row(**{**defaults, **values})


__all__ = ["PASSWORD", "seed", "volunteer_row", "ride_row", "gestion_client", "tuesday_request", "next_weekday"]
