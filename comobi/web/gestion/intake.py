"""What the clerk's phone forms share (a request, a trip, a volunteer typed during a call):
the form page, and at most one row written per display of it, confirmed by e-mail."""
from __future__ import annotations

import functools

from flask import flash, render_template

from comobi.mail import outreach
from comobi.mail.mailer import get_mailer
from comobi.schema import VOLUNTEERS, Tab
from comobi.storage import get_board
from comobi.web import antibot


def form_page(template: str, form):
    """The form (again, with its errors: 422), stamped so that one display writes one row."""
    antibot.prepare(form)
    status = 422 if form.errors else 200
    return render_template(template, form=form, places=get_board().places.in_scope()), status


def intake(form_class, template: str):
    """The view is called with the form once it is valid; until then, the form page."""
    def decorate(view):
        @functools.wraps(view)
        def shown_until_valid():
            form = form_class()
            if not form.validate_on_submit():
                return form_page(template, form)
            return view(form)
        return shown_until_valid
    return decorate


def write_typed(form, tab: Tab, values: dict[str, str], prefix: str, said: str) -> str | None:
    """Save the row typed by the clerk, at most once per display of the form (a resend writes
    nothing and says nothing), and confirm it to the person when she gave an e-mail;
    ``said`` (with ``{id}``) is flashed to the clerk. Returns the row's ID."""
    row_id, written = antibot.write_once(
        form, prefix, lambda fixed: outreach.submit(tab, {**values, **fixed}, prefix, typed_by_clerk=True).id)
    if written:
        flash(said.format(id=row_id) + _mailed(tab, values))
    return row_id


def _mailed(tab: Tab, values: dict[str, str]) -> str:
    if get_mailer().enabled and values.get("email") and tab.title != VOLUNTEERS.title:
        return f" Un e-mail de confirmation, avec le lien personnel, part à {values['email']}."
    return ""
