"""What the clerk's phone forms share (a request, a trip, a volunteer typed during a call):
the form page, and at most one row written per display of it."""
from __future__ import annotations

from collections.abc import Callable

from flask import flash, render_template

from comobi.storage import get_board
from comobi.web import antibot


def form_page(template: str, form):
    """The form (again, with its errors: 422), stamped so that one display writes one row."""
    antibot.prepare(form)
    status = 422 if form.errors else 200
    return render_template(template, form=form, places=get_board().places.in_scope()), status


def write_typed(form, prefix: str, write: Callable[[dict[str, str]], str], said: Callable[[str], str]) -> str | None:
    """``antibot.write_once``, then ``said(row ID)`` flashed to the clerk when the row was written
    now (a resend of the same display writes nothing and says nothing); the row's ID."""
    row_id, written = antibot.write_once(form, prefix, write)
    if written:
        flash(said(row_id))
    return row_id
