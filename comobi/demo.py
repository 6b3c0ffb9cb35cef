"""Demo data: a plausible territory in the Lot, so the app shows something on first run.

Phone numbers are in the 06 39 98 range that ARCEP reserves for fiction.
"""
from __future__ import annotations

from datetime import date, timedelta

from comobi.parsing import normalise_key
from comobi.schema import PLACES, REQUESTS, RIDES, TABS, TRIPS, VOLUNTEERS
from comobi.storage.port import Spreadsheet

# first name, last name, from, to, days or +N (a one-off trip N days from today),
# outbound, return, seats, direct contact, preferred contact, meeting point, remarks
_TRIPS = [
    ("Josette", "Lafon", "Limogne-en-Quercy", "Cahors", "lundi, jeudi", "8h30", "12h", "3", "Oui", "Téléphone",
     "Place de la mairie", "Je vais au marché puis à la pharmacie."),
    ("Bernard", "Delpech", "Figeac", "Cahors", "du lundi au vendredi", "7h15", "17h30", "2", "Oui", "SMS",
     "Parking de la gare", ""),
    ("Monique", "Garrigues", "Gramat", "Figeac", "mardi", "9h", "11h30", "3", "Non", "Téléphone",
     "Devant l'église", "Rendez-vous médicaux bienvenus."),
    ("Jean-Pierre", "Vidal", "Souillac", "Gourdon", "mercredi", "14h", "17h", "2", "Oui", "E-mail", "", ""),
    ("Françoise", "Bouyssou", "Saint-Céré", "Figeac", "lun-ven", "7h45", "18h", "1", "Non", "Téléphone",
     "", "Trajet domicile-travail."),
    ("Alain", "Cassagnes", "Lalbenque", "Cahors", "L M J", "8h", "", "3", "Oui", "Téléphone",
     "Halle de Lalbenque", ""),
    ("Sylvie", "Roques", "Gourdon", "Cahors", "vendredi", "9h30", "16h", "3", "Oui", "SMS", "", "Marché couvert."),
    ("Michel", "Fabre", "Cajarc", "Figeac", "samedi", "9h", "12h", "2", "Non", "Téléphone", "", "Marché de Figeac."),
    ("Nicole", "Lacoste", "Gramat", "Rocamadour", "dimanche", "10h", "", "3", "Oui", "Téléphone", "", ""),
    ("Pierre", "Marty", "Castelnau-Montratier", "Cahors", "mardi, vendredi", "8h", "13h", "2", "Oui",
     "Téléphone", "", ""),
    ("Christiane", "Besse", "Labastide-Murat", "Cahors", "jeudi", "9h", "12h", "2", "Non", "Téléphone", "", ""),
    ("Gérard", "Soulié", "Prayssac", "Cahors", "du lundi au vendredi", "7h30", "17h", "3", "Oui", "SMS",
     "Parking du lac", ""),
    ("Danielle", "Couderc", "Puy-l'Évêque", "Prayssac", "mercredi", "10h", "11h30", "3", "Oui", "Téléphone", "", ""),
    ("Henri", "Lagarrigue", "Bretenoux", "Saint-Céré", "samedi", "9h30", "11h30", "2", "Non", "Téléphone", "",
     "Marché de Saint-Céré."),
    ("Martine", "Salgues", "Martel", "Souillac", "vendredi", "8h45", "12h", "3", "Oui", "Téléphone", "", ""),
    ("André", "Calmels", "Lacapelle-Marival", "Figeac", "lundi, mercredi", "8h", "17h", "2", "Oui", "SMS", "", ""),
    ("Yvette", "Rigal", "Cahors", "Toulouse", "+9", "7h", "19h", "3", "Oui", "E-mail", "Gare de Cahors",
     "Aller-retour dans la journée (CHU Purpan)."),
    ("Robert", "Pélissier", "Figeac", "Rodez", "+4", "8h", "", "2", "Non", "Téléphone", "", "Un seul trajet."),
    ("Simone", "Valette", "Gourdon", "Sarlat-la-Canéda", "+6", "9h", "15h", "3", "Oui", "Téléphone", "", ""),
    ("Claude", "Austruy", "Saint-Géry-Vers", "Cahors", "tous les jours", "8h15", "18h15", "1", "Oui", "SMS", "", ""),
    ("Odette", "Cayla", "Luzech", "Cahors", "mardi", "9h", "12h", "2", "Oui", "Téléphone", "", ""),
    ("Paul", "Delfour", "Gramat", "Cahors", "mercredi", "8h", "17h", "3", "Non", "Téléphone", "", ""),
    ("Jacqueline", "Ginestet", "Biars-sur-Cère", "Figeac", "jeudi", "13h30", "17h", "2", "Oui", "Téléphone", "", ""),
    ("Marcel", "Landes", "Montcuq-en-Quercy-Blanc", "Cahors", "samedi", "8h30", "12h", "3", "Oui", "Téléphone",
     "Place du marché", ""),
    ("Hélène", "Pouget", "Assier", "Figeac", "lundi", "9h", "11h", "2", "Non", "SMS", "", ""),
]

# first name, last name, from, to, date offset or days, arrival time, return, reason, channel, status
_REQUESTS = [
    ("Marguerite", "Bonnet", "Lalbenque", "Cahors", "jeudi", "9h", "12h", "Rendez-vous à l'hôpital", "téléphone",
     "nouvelle"),
    ("Louis", "Carrié", "Sauliac-sur-Célé", "Figeac", "+5", "10h", "", "Kinésithérapeute", "téléphone", "nouvelle"),
    ("Germaine", "Périé", "Gramat", "Figeac", "mardi", "9h30", "11h30", "Courses", "web", "en cours"),
    ("Raymond", "Cammas", "Martel", "Souillac", "vendredi", "9h", "", "Marché", "téléphone", "trouvée"),
    ("Lucienne", "Maury", "Concots", "Cahors", "+3", "8h45", "12h", "Préfecture", "web", "nouvelle"),
    ("Jeanne", "Teulières", "Aujols", "Cahors", "lundi", "9h", "12h30", "Dentiste", "téléphone", "nouvelle"),
    ("Emile", "Fournié", "Rocamadour", "Gourdon", "mercredi", "14h", "17h", "Visite familiale", "téléphone",
     "sans solution"),
]

# Volunteer drivers (tab Bénévoles): first name, last name, home, radius, availability as typed, status
_VOLUNTEERS = [
    ("Anne", "Delmas", "Lalbenque", "20", "mardi matin, jeudi 14h-18h", "actif"),
    ("Marc", "Pujol", "Escamps", "25", "du lundi au vendredi 9h-12h", "actif"),
    ("Rose", "Vidal", "Figeac", "15", "lun matin, mer après-midi", "actif"),
    ("Jean", "Cayla", "Gramat", "20", "sauf le week-end", "en pause"),
]
# The ride log (tab Courses) of request D0004 (Martel → Souillac, served by trip T0015's driver):
# days ago, km, indemnity (default tariff), tickets, status
_RIDES = [(12, "faite"), (5, "faite"), (-2, "prévue")]

_PLACES = [
    ("Centre hospitalier de Cahors, Hôpital de Cahors", "44.4440", "1.4398"),
    ("Gare de Figeac", "44.6051", "2.0386"),
    ("Gare de Cahors", "44.4491", "1.4344"),
    ("Labastide-Murat", "44.6469", "1.5672"),  # a commune déléguée of Cœur de Causse
]


def create_demo_workbook(spreadsheet: Spreadsheet, today: date | None = None) -> None:
    today = today or date.today()
    for tab in (TRIPS, REQUESTS, PLACES):
        spreadsheet.add_tab(tab.title, tab.headers)
    spreadsheet.append_rows(TRIPS.title, [_trip_row(i, t, today) for i, t in enumerate(_TRIPS, start=1)])
    spreadsheet.append_rows(REQUESTS.title, [_request_row(i, r, today) for i, r in enumerate(_REQUESTS, 1)])
    spreadsheet.append_rows(PLACES.title, [list(p) for p in _PLACES])
    _add_solidarity_demo(spreadsheet, today)


def _add_solidarity_demo(spreadsheet: Spreadsheet, today: date) -> None:
    spreadsheet.add_tab(VOLUNTEERS.title, VOLUNTEERS.headers)
    spreadsheet.append_rows(VOLUNTEERS.title, [
        [f"B{n:04d}", (today - timedelta(days=60)).strftime("%d/%m/%Y"), first, last, f"06 39 98 60 {n:02d}", "",
         home, radius, availability, "", status]
        for n, (first, last, home, radius, availability, status) in enumerate(_VOLUNTEERS, start=1)])
    spreadsheet.add_tab(RIDES.title, RIDES.headers)
    spreadsheet.append_rows(RIDES.title, [
        [f"C{n:04d}", "D0004", "T0015", (today - timedelta(days=ago)).strftime("%d/%m/%Y"), "9h", "Martel",
         "Souillac", "15,4", "4,84", "4", status, ""]
        for n, (ago, status) in enumerate(_RIDES, start=1)])


def create_template(spreadsheet: Spreadsheet) -> None:
    """An empty workbook with every tab and its headers: the clerk's starting point."""
    for tab in TABS:
        spreadsheet.add_tab(tab.title, tab.headers)


def _when(text: str, today: date) -> tuple[str, str]:
    """(days, date) cells: "+9" is a one-off trip nine days from today."""
    if text.startswith("+"):
        return "", (today + timedelta(days=int(text[1:]))).strftime("%d/%m/%Y")
    return text, ""


def _trip_row(number: int, trip: tuple, today: date) -> list[str]:
    first, last, origin, destination, when, out, back, seats, direct, contact, meeting, remarks = trip
    days, on = _when(when, today)
    registered = (today - timedelta(days=40 - number)).strftime("%d/%m/%Y")
    return [f"T{number:04d}", registered, first, last, f"06 39 98 {number // 100:02d} {number % 100:02d}",
            f"{normalise_key(first)}.{normalise_key(last)}@example.org", contact, direct, origin, meeting,
            destination, "", days, on, out, back, seats, remarks, "publié"]


def _request_row(number: int, request: tuple, today: date) -> list[str]:
    first, last, origin, destination, when, arrival, back, reason, channel, status = request
    days, on = _when(when, today)
    asked = (today - timedelta(days=10 - number)).strftime("%d/%m/%Y")
    return [f"D{number:04d}", asked, first, last, f"06 39 98 50 {number:02d}", "", origin, "", destination, "",
            on, days, arrival, back, reason, channel, status, "T0015" if status == "trouvée" else "", ""]
