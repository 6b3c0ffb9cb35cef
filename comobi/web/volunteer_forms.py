"""Forms of the volunteer drivers: public (/benevole) and typed by the clerk after a call."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from comobi.availability import parse_availability
from comobi.web.antibot import BotTrap
from comobi.web.forms import REQUIRED, ChoiceField, PlaceField, _at_most, _text, person_fields

RADII = ("5", "10", "15", "20", "30", "50")


def availability_check(form, field):
    try:
        field.slots = parse_availability(field.data)
    except ValueError as error:
        raise ValidationError(f"{error} Écrivez par exemple : « lundi matin, jeudi 14h-18h ».") from error


class VolunteerForm(BotTrap, FlaskForm):
    home = PlaceField("Votre commune", [DataRequired(REQUIRED)])
    radius_km = ChoiceField("Jusqu'à quelle distance de chez vous acceptez-vous d'aller chercher et de déposer ?",
                            choices=[SelectChoice(r, f"{r} km") for r in RADII], default="20")
    availability = StringField("Vos disponibilités", [DataRequired(REQUIRED), _at_most(200), availability_check])
    remarks = TextAreaField("Remarques (facultatif : véhicule, fauteuil roulant, animaux...)",
                            [Optional(), _at_most(1000)])
    first_name, last_name, phone, email = person_fields()
    data_consent = BooleanField("J'accepte que mes données soient enregistrées par le service pour organiser le "
                                "transport solidaire ; elles ne sont jamais publiées",
                                [InputRequired("Votre accord est nécessaire pour vous inscrire.")])


class PhoneVolunteerForm(VolunteerForm):
    """Taken by the clerk on the phone: last name optional, consent given orally, any radius."""

    last_name = _text("Nom (facultatif)", 60)
    data_consent = BooleanField("Accord donné oralement : la personne accepte que ses données soient enregistrées "
                                "pour organiser le transport solidaire",
                                [InputRequired("Demandez son accord à la personne, puis cochez la case.")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.home.label.text = "Commune du domicile"
        self.radius_km.label.text = "Rayon accepté autour du domicile"
        self.availability.label.text = "Disponibilités, comme la personne les dit"
        self.phone.label.text = "Téléphone du bénévole"
