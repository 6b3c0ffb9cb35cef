"""The forms of the private pages and of the alert."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from comobi import parsing
from comobi.web.antibot import BotTrap
from comobi.web.forms import REQUIRED, ParsedField, email_check, phone_check


class ActionForm(FlaskForm):
    """One button: pause, resume, withdraw, confirm, cancel, answer."""

    action = HiddenField()


class TripEditForm(FlaskForm):
    days = ParsedField("Jours", [Optional()], parser=parsing.parse_days)
    date = ParsedField("Date (trajet ponctuel)", [Optional()], parser=parsing.parse_date)
    outbound_time = ParsedField("Heure de départ", [DataRequired(REQUIRED)], parser=parsing.parse_time)
    return_time = ParsedField("Heure du retour (facultatif)", [Optional()], parser=parsing.parse_time)
    seats = ParsedField("Places libres", [DataRequired(REQUIRED)], parser=parsing.parse_seats)
    remarks = TextAreaField("Remarques (facultatif)", [Optional(), Length(max=1000, message="1000 caractères au plus.")])


class LostLinkForm(BotTrap, FlaskForm):
    email = StringField("Votre adresse e-mail", [DataRequired(REQUIRED), Length(max=120), email_check])


class AlertForm(BotTrap, FlaskForm):
    depart = HiddenField()
    arrivee = HiddenField()
    email = StringField("Votre adresse e-mail", [DataRequired(REQUIRED), Length(max=120), email_check])
    phone = StringField("Téléphone, si vous préférez être rappelé (facultatif)",
                        [Optional(), Length(max=30), phone_check])
