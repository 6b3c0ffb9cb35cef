"""The password that closes /gestion: login, logout, sessions the server can end, a lock-out.

The password comes from ``COMOBI_ADMIN_PASSWORD`` (environment) or, failing that, from the
hash ``admin.password_hash`` of the instance file; it is never stored in clear.

A session is a random id in the signed cookie AND in the counters every worker shares
(``comobi.web.limits``): logging out deletes it there, so a copy of the cookie is refused
afterwards; it also ends when it expires (``admin.session_hours``) or the password changes.
Failed logins are counted by ``lockout``.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time

from flask import current_app, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm
from werkzeug.security import check_password_hash
from wtforms import PasswordField
from wtforms.validators import DataRequired

from comobi.web import limits, security
from comobi.web.gestion import lockout
from comobi.web.gestion.blueprint import bp

SESSION_KEY = "gestion"
OPEN_ENDPOINTS = {"gestion.login", "gestion.logout"}
CONTROL = re.compile(r"[\x00-\x1f\x7f\\\\]")  # line ends in a Location header, backslashes
BAD_TARGET = "L'adresse de retour (paramètre « suite ») n'est pas valide. Ouvrez simplement /gestion/."


class LoginForm(FlaskForm):
    password = PasswordField("Mot de passe", [DataRequired("Tapez le mot de passe.")])


def credential() -> str:
    """What the password is checked against: the plain env value or the hash, '' when none."""
    return current_app.config.get("COMOBI_ADMIN_PASSWORD") or current_app.config["COMOBI"]["admin.password_hash"]


def password_matches(given: str) -> bool:
    plain = current_app.config.get("COMOBI_ADMIN_PASSWORD")
    if plain:
        return hmac.compare_digest(given.encode(), plain.encode())
    hashed = current_app.config["COMOBI"]["admin.password_hash"]
    try:
        return bool(hashed) and check_password_hash(hashed, given)  # compares in constant time
    except (ValueError, TypeError):
        current_app.logger.error("admin.password_hash illisible : régénérez-le avec flask admin hash-password.")
        return False


def _fingerprint() -> str:
    """Ties a session to the current password: changing it signs everyone out."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, credential().encode(), hashlib.sha256).hexdigest()[:16]


def signed_in() -> bool:
    state = session.get(SESSION_KEY)
    if not isinstance(state, dict) or not isinstance(state.get("id"), str):
        return False
    try:
        age = time.time() - float(state.get("since", 0))
    except (TypeError, ValueError):
        return False
    return (0 <= age < _lifetime_s() and hmac.compare_digest(str(state.get("key", "")), _fingerprint())
            and limits.counters().session_open(state["id"]))


def _lifetime_s() -> int:
    return int(current_app.config["COMOBI"]["admin.session_hours"] * 3600)


@bp.before_request
def guard():
    """Closed without a password; otherwise nothing but the login page without a session."""
    if not credential():
        return render_template("gestion/closed.html"), 403
    if request.endpoint in OPEN_ENDPOINTS or signed_in():
        return None
    if SESSION_KEY in session:
        session.pop(SESSION_KEY)  # expired, or from before a password change
    if request.method == "GET" and not request.path.endswith(".csv"):
        return redirect(url_for("gestion.login", suite=request.full_path.rstrip("?")))
    message = "Connexion requise : ouvrez l'espace de gestion et donnez le mot de passe."
    return render_template("error.html", code=401, message=message), 401


@bp.after_request
def private(response):
    return security.private_headers(response)


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    if CONTROL.search(request.args.get("suite", "")):
        return render_template("error.html", code=400, message=BAD_TARGET), 400
    form = LoginForm()
    lockout.browser_id()
    if not form.validate_on_submit():
        return _login_page(form), 422 if form.errors else 200
    wait = lockout.attempt()
    if wait:
        return _login_page(form, blocked=lockout.blocked_message(wait)), 429
    if not password_matches(form.password.data):
        form.password.errors = ["Mot de passe incorrect."]
        return _login_page(form), 401
    response = redirect(_next_page())
    lockout.succeeded(response)  # before the session (and this browser's id in it) is renewed
    session.clear()
    session_id = secrets.token_urlsafe(18)
    limits.counters().open_session(session_id, _lifetime_s())
    session[SESSION_KEY] = {"id": session_id, "since": time.time(), "key": _fingerprint()}
    return response


@bp.route("/deconnexion", methods=["POST"])
def logout():
    state = session.pop(SESSION_KEY, None)
    if isinstance(state, dict) and isinstance(state.get("id"), str):
        limits.counters().close_session(state["id"])
    return redirect(url_for("gestion.login", fin=1))


def _login_page(form, blocked: str = ""):
    return render_template("gestion/login.html", form=form, blocked=blocked, suite=request.args.get("suite", ""))


def _next_page() -> str:
    """Back to the page asked for before logging in; only pages of this area (no open redirect)."""
    wanted = request.args.get("suite", "")
    if wanted.startswith(bp.url_prefix + "/") and "//" not in wanted:
        return wanted
    return url_for("gestion.requests")
