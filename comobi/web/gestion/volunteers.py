"""/gestion: the volunteer drivers, their phone intake, and those who can take a request."""
from __future__ import annotations

from flask import redirect, render_template, url_for

from comobi import volunteers
from comobi.availability import describe
from comobi.models import RideRequest
from comobi.schema import VOLUNTEERS
from comobi.storage import get_board
from comobi.volunteers import ACTIVE, Volunteer
from comobi.web.gestion import links
from comobi.web.gestion.blueprint import bp
from comobi.web.gestion.intake import intake, write_typed
from comobi.web.helpers import service_settings
from comobi.web.volunteer import volunteer_values
from comobi.web.volunteer_forms import PhoneVolunteerForm


@bp.context_processor
def volunteer_helpers():
    return {"volunteer_candidates": volunteer_candidates, "volunteer_links": volunteer_links,
            "availability_text": describe}


def volunteer_candidates(request: RideRequest) -> list[volunteers.VolunteerCandidate]:
    return volunteers.candidates(request, get_board().volunteers)


def volunteer_links(request: RideRequest, volunteer: Volunteer) -> dict[str, str]:
    """tel:, sms: and mailto: links asking a volunteer to take a passenger ('' when not reachable)."""
    texts = volunteer_messages(request, volunteer)
    return {
        "tel": links.tel_href(volunteer.phone) if volunteer.phone else "",
        "sms": links.sms_href(volunteer.phone, texts["sms"]) if volunteer.phone else "",
        "mail": links.mailto_href(volunteer.email, texts["subject"], texts["body"]) if volunteer.email else "",
    }


def volunteer_messages(request: RideRequest, volunteer: Volunteer) -> dict[str, str]:
    """The subject, e-mail body and SMS text asking a volunteer to take a passenger."""
    origin, destination, ride = links.ride_words(request)
    service = service_settings()["service"]
    hello = links.hello(volunteer.first_name)
    return {
        "subject": f"Transport solidaire : une personne a besoin d'être conduite {origin} → {destination}",
        "body": (f"{hello},\n\nUne personne a besoin d'être conduite {ride}"
                 f"{' (' + request.reason + ')' if request.reason else ''}.\n"
                 f"Seriez-vous disponible ? Répondez-moi par retour ou au {service['phone']}.\n\n"
                 f"Merci beaucoup,\n{service['name']}"),
        "sms": (f"{hello}, ici {service['name']}. Une personne a besoin d'être conduite {ride}. "
                f"Seriez-vous disponible ? Rappelez-moi au {service['phone']}. Merci !"),
    }


@bp.route("/benevoles")
def volunteer_list():
    board = get_board()
    shown = sorted(board.volunteers, key=lambda v: (v.status != ACTIVE, v.home.name, v.last_name, v.first_name))
    problems = [p for p in board.problems if p.tab == VOLUNTEERS.title]
    return render_template("gestion/volunteers.html", volunteers=shown, problems=problems)


@bp.route("/benevole-telephone", methods=["GET", "POST"])
@intake(PhoneVolunteerForm, "gestion/phone_volunteer.html")
def phone_volunteer(form: PhoneVolunteerForm):
    values = volunteer_values(form, status=ACTIVE)
    write_typed(form, VOLUNTEERS, values, "B", "Bénévole {id} enregistré(e), statut « actif ».")
    return redirect(url_for(".volunteer_list"))
