"""The public forms, relaxed for a clerk typing while on the phone, and the follow-up form."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from comobi.models import REQUEST_STATUSES
from comobi.storage import get_board
from comobi.web.forms import RequestForm, TripForm, _text

NOTE_MAX = 1000


def _note_field(label: str) -> TextAreaField:
    return TextAreaField(label, [Optional(), Length(max=NOTE_MAX, message=f"{NOTE_MAX} caractères au plus.")])


def _oral_consent(what: str) -> BooleanField:
    return BooleanField(f"Accord donné oralement : la personne accepte que {what}",
                        [InputRequired("Demandez son accord à la personne, puis cochez la case.")])


class PhoneRequestForm(RequestForm):
    """A passenger's request taken by phone: last name optional, consent given orally, notes."""

    last_name = _text("Nom (facultatif)", 60)
    data_consent = _oral_consent("sa demande soit enregistrée et transmise aux conducteurs.")
    notes = _note_field("Notes (facultatif)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.phone.label.text = "Téléphone de la personne"
        self.days.label.text = "Ou bien les jours, si c'est régulier"


class PhoneTripForm(TripForm):
    """A driver's offer taken by phone: published at once, consent given orally."""

    last_name = _text("Nom (facultatif)", 60)
    data_consent = _oral_consent("ses données soient enregistrées pour organiser le covoiturage.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.days.label.text = "Jours où le conducteur fait ce trajet"
        self.phone.label.text = "Téléphone du conducteur"
        self.preferred_contact.label.text = "Comment préfère-t-il être contacté ?"
        self.direct_contact.label.text = ("Le conducteur accepte que les passagers le contactent directement "
                                          "(prénom, initiale du nom et moyen de contact affichés)")


class FollowUpForm(FlaskForm):
    """Status, proposed trip and a dated note for one request; ``row`` is the row shown,
    ``shown_status`` and ``shown_trip`` what the page showed (only a cell the clerk
    changed is written, and only if the sheet still holds what she saw)."""

    row = HiddenField()
    shown_status = HiddenField()
    shown_trip = HiddenField()
    status = SelectField("Statut", choices=[SelectChoice(s, s.capitalize()) for s in REQUEST_STATUSES])
    proposed_trip = StringField("Trajet proposé (numéro, facultatif)", [Optional(), Length(max=20)])
    note = _note_field("Ajouter une note (facultatif)")

    trip_id = ""  # the proposed trip's ID as the sheet spells it, once validated

    def validate_proposed_trip(self, field):
        wanted = (field.data or "").strip().upper()
        found = next((t for t in get_board().trips if t.id.upper() == wanted), None) if wanted else None
        if wanted and found is None:
            raise ValidationError(f"Aucun trajet « {field.data.strip()} » dans le tableur.")
        self.trip_id = found.id if found else ""

    @property
    def row_hint(self) -> int | None:
        text = self.row.data or ""
        return int(text) if text.isascii() and text.isdigit() else None  # "²" is a digit too

    def shown(self) -> dict[str, str] | None:
        """What the page showed, by field; None from a page that did not say (older forms)."""
        if not self.shown_status.raw_data and not self.shown_trip.raw_data:
            return None
        return {"status": self.shown_status.data or "", "proposed_trip": self.shown_trip.data or ""}
