"""The public forms (driver, passenger, removal request), with French messages next to each field.

Every field has a length limit, so no one can post a novel into the sheet; every form
carries the bot checks of ``antibot.BotTrap``.
"""
from __future__ import annotations

import re
from datetime import date

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Optional, Regexp, StopValidation, ValidationError

from comobi import parsing
from comobi.french_dates import WEEKDAYS
from comobi.storage import get_places
from comobi.web.antibot import BotTrap

REQUIRED = "Ce champ est obligatoire."
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
REFERENCE = re.compile(r"^[A-Za-z0-9]{2,12}$")
TRIP_YEARS_AHEAD = 3
today = date.today  # replaced in tests


def trip_date(text: str) -> date:
    """A trip's date as a person would mean it: this year to a few years ahead ("25/12" is the next one)."""
    now = today()
    value = parsing.parse_date(text, today=now)
    first, last = date(now.year, 1, 1), date(now.year + TRIP_YEARS_AHEAD, 12, 31)
    if not first <= value <= last:
        raise ValueError(f"indiquez une date entre le {first:%d/%m/%Y} et le {last:%d/%m/%Y}.")
    return value


def _at_most(length: int):
    """A length limit that stops the other checks: no parsing or echoing of a huge value."""

    def check(form, field):
        _check_length(field.data, length)

    return check


def _check_length(text: str | None, length: int) -> None:
    """Before any parsing: a huge value gets a short message, not an echo of itself."""
    if text and len(text) > length:
        raise StopValidation(f"{length} caractères au plus.")


class PlaceField(StringField):
    """A commune typed freely, matched leniently; the form keeps the Place found."""

    place = None

    def pre_validate(self, form):
        self.place = None
        _check_length(self.data, 100)
        if self.data and self.data.strip():
            self.place = get_places().find(self.data)
            if self.place is None:
                raise ValidationError(f"Commune inconnue : « {self.data.strip()} ». Vérifiez l'orthographe.")


class ParsedField(StringField):
    """Text read with one of the lenient parsers ("8h30", "25/12/2026"); ``value`` holds the result."""

    def __init__(self, label=None, validators=None, parser=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.parser = parser
        self.value = None

    def pre_validate(self, form):
        self.value = None
        _check_length(self.data, 30)
        if self.data and self.data.strip():
            try:
                self.value = self.parser(self.data)
            except ValueError as error:
                raise ValidationError(str(error)) from error


class FrenchChoices:
    """WTForms says "Not a valid choice" in English when a post holds an unknown option."""

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError as error:
            raise ValidationError("Choisissez parmi les réponses proposées.") from error


class ChoiceField(FrenchChoices, SelectField):
    pass


class ChoiceButtons(FrenchChoices, RadioField):
    pass


class DaysField(FrenchChoices, SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def __init__(self, label=None, validators=None, **kwargs):
        choices = [SelectChoice(str(i), day.capitalize()) for i, day in enumerate(WEEKDAYS)]
        super().__init__(label, validators, choices=choices, **kwargs)

    @property
    def days(self) -> frozenset[int]:
        # Only real choices: anything else posted is reported by pre_validate, not a crash here.
        return frozenset(int(d) for d in self.data or () if d in {"0", "1", "2", "3", "4", "5", "6"})


def phone_check(form, field):
    if field.data and not parsing.phone_is_valid(field.data):
        raise ValidationError("Numéro de téléphone invalide (exemple : 06 12 34 56 78).")


def email_check(form, field):
    if field.data and not EMAIL.match(field.data.strip()):
        raise ValidationError("Adresse e-mail invalide (exemple : prenom.nom@exemple.fr).")


def _text(label, max_length=100, required=False, **kwargs):
    checks = [DataRequired(REQUIRED)] if required else [Optional()]
    return StringField(label, checks + [_at_most(max_length)], **kwargs)


def person_fields() -> tuple:
    """first_name, last_name, phone, email: who fills a public form (made in place, so that
    each form keeps its fields in the order they are declared)."""
    return (_text("Prénom", 60, required=True), _text("Nom", 60, required=True),
            StringField("Téléphone", [DataRequired(REQUIRED), _at_most(30), phone_check]),
            StringField("E-mail (facultatif)", [Optional(), _at_most(120), email_check]))


def route_fields(origin_detail: str, destination_detail: str, days: str) -> tuple:
    """origin, origin_detail, destination, destination_detail, days, date: a trip or a request."""
    return (PlaceField("Commune de départ", [DataRequired(REQUIRED)]), _text(origin_detail, 200),
            PlaceField("Commune d'arrivée", [DataRequired(REQUIRED)]), _text(destination_detail, 200),
            DaysField(days), ParsedField("Ou bien une date précise (trajet ponctuel)", [Optional()], parser=trip_date))


class WhenMixin:
    """A trip is regular (days of the week) or one-off (a date): one of the two is needed."""

    def check_when(self) -> bool:
        if self.days.days or self.date.value or self.date.errors:
            return True
        self.days.errors = list(self.days.errors) + ["Cochez au moins un jour, ou indiquez une date."]
        return False


class TripForm(WhenMixin, BotTrap, FlaskForm):
    origin, origin_detail, destination, destination_detail, days, date = route_fields(
        "Lieu de rendez-vous au départ (facultatif)", "Lieu d'arrivée précis (facultatif)",
        "Jours où vous faites ce trajet")
    outbound_time = ParsedField("Heure de départ", [DataRequired(REQUIRED)], parser=parsing.parse_time)
    return_time = ParsedField("Heure du retour (facultatif)", [Optional()], parser=parsing.parse_time)
    seats = ChoiceField("Places libres", choices=[SelectChoice(str(n)) for n in range(1, 9)], default="3")
    remarks = TextAreaField("Remarques (facultatif)", [Optional(), _at_most(1000)])
    first_name, last_name, phone, email = person_fields()
    preferred_contact = ChoiceButtons(
        "Comment préférez-vous être contacté ?",
        choices=[SelectChoice("Téléphone", "Par téléphone"), SelectChoice("SMS", "Par SMS"),
                 SelectChoice("E-mail", "Par e-mail")],
        default="Téléphone",
    )
    direct_contact = BooleanField("J'accepte que les passagers me contactent directement (mon prénom, "
                                  "l'initiale de mon nom et mon moyen de contact seront affichés)")
    data_consent = BooleanField("J'accepte que mes données soient enregistrées par le service pour organiser "
                                "le covoiturage",
                                [InputRequired("Votre accord est nécessaire pour publier le trajet.")])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        valid = self.check_when() and valid
        if self.preferred_contact.data == "E-mail" and not (self.email.data or "").strip():
            self.email.errors = list(self.email.errors) + ["Indiquez votre e-mail pour être contacté ainsi."]
            valid = False
        return valid


class RequestForm(WhenMixin, BotTrap, FlaskForm):
    origin, origin_detail, destination, destination_detail, days, date = route_fields(
        "Adresse ou lieu de départ (facultatif)", "Adresse ou lieu d'arrivée (facultatif)",
        "Jours où vous voulez faire ce trajet")
    arrival_time = ParsedField("Heure d'arrivée souhaitée (facultatif)", [Optional()], parser=parsing.parse_time)
    return_time = ParsedField("Heure du retour (facultatif)", [Optional()], parser=parsing.parse_time)
    reason = _text("Motif (facultatif : médecin, courses, travail...)", 200)
    first_name, last_name, phone, email = person_fields()
    data_consent = BooleanField("J'accepte que ma demande soit enregistrée et transmise aux conducteurs par le "
                                "service", [InputRequired("Votre accord est nécessaire pour traiter la demande.")])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return self.check_when() and valid


class RemovalForm(BotTrap, FlaskForm):
    reference = StringField("Numéro du trajet ou de la demande", [
        DataRequired(REQUIRED), _at_most(12),
        Regexp(REFERENCE, message="Ce numéro est fait de lettres et de chiffres, par exemple T7K2QF."),
    ])
    phone = StringField("Téléphone donné lors de l'inscription", [DataRequired(REQUIRED), _at_most(30), phone_check])
    message = TextAreaField("Message pour le service (facultatif)", [Optional(), _at_most(500)])
