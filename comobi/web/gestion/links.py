"""One-click links to reach a driver: call, text, e-mail with a message already written."""
from __future__ import annotations

from urllib.parse import quote

from comobi.french_dates import long_date
from comobi.models import RideRequest, Trip
from comobi.parsing import format_days, format_time


def dial(phone: str) -> str:
    return "".join(c for c in phone if c.isdigit() or c == "+")


def tel_href(phone: str) -> str:
    return f"tel:{dial(phone)}"


def sms_href(phone: str, body: str) -> str:
    return f"sms:{dial(phone)}?body={quote(body)}"


def mailto_href(email: str, subject: str, body: str) -> str:
    return f"mailto:{quote(email, safe='@.+-_')}?subject={quote(subject)}&body={quote(body)}"


def when_text(request: RideRequest) -> str:
    if request.date:
        text = f"le {long_date(request.date)}"
    elif request.days:
        text = f"le {format_days(request.days)}"
    else:
        text = ""
    if request.arrival_time:
        text += f", pour arriver vers {format_time(request.arrival_time)}"
    return text.strip(", ")


def ride_words(request: RideRequest) -> tuple[str, str, str]:
    """(origin, destination, "de X à Y le ...") for a message about a request. The passenger
    is never named: the service puts people in touch once the driver agrees."""
    origin, destination = request.origin_text, request.destination_text
    when = when_text(request)
    return origin, destination, f"de {origin} à {destination}" + (f" {when}" if when else "")


def hello(first_name: str) -> str:
    return f"Bonjour {first_name}".strip()


def driver_messages(request: RideRequest, trip: Trip, service: dict) -> dict[str, str]:
    """The subject, e-mail body and SMS text asking a driver to take a passenger."""
    origin, destination, ride = ride_words(request)
    name, phone = service["service"]["name"], service["service"]["phone"]
    hello_driver = hello(trip.first_name)
    return {
        "subject": f"Covoiturage solidaire : une personne cherche un trajet {origin} → {destination}",
        "body": (f"{hello_driver},\n\nUne personne cherche un covoiturage {ride}. Votre trajet "
                 f"{trip.origin.name} → {trip.destination.name} (n° {trip.id}) passe tout près.\n"
                 f"Pourriez-vous l'emmener ? Répondez-moi par retour ou au {phone}.\n\n"
                 f"Merci beaucoup,\n{name}"),
        "sms": (f"{hello_driver}, ici {name}. Une personne cherche un trajet {ride}. Votre trajet n° {trip.id} "
                f"convient : pourriez-vous l'emmener ? Rappelez-moi au {phone}. Merci !"),
    }
