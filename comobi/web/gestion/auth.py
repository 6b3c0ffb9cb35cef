"""The password that closes /gestion: login, logout, a session that expires, a throttle.

The password comes from ``COMOBI_ADMIN_PASSWORD`` (environment) or, failing that, from the
hash ``admin.password_hash`` of the instance file; it is never stored in clear.
"""
from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections.abc import Callable

from flask import current_app, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm
from werkzeug.security import check_password_hash
from wtforms import PasswordField
from wtforms.validators import DataRequired

from comobi.web.gestion.blueprint import bp

SESSION_KEY = "gestion"
OPEN_ENDPOINTS = {"gestion.login", "gestion.logout"}
MAX_FAILURES = 5
FAILURE_WINDOW_S = 15 * 60


class LoginForm(FlaskForm):
    password = PasswordField("Mot de passe", [DataRequired("Tapez le mot de passe.")])


class LoginThrottle:
    """At most MAX_FAILURES failed logins per address in FAILURE_WINDOW_S; a success clears it."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def blocked(self, address: str) -> bool:
        with self._lock:
            return len(self._recent(address)) >= MAX_FAILURES

    def failed(self, address: str) -> None:
        with self._lock:
            self._failures[address] = self._recent(address) + [self._clock()]
            if len(self._failures) > 10_000:  # many addresses: forget the quiet ones
                self._failures = {a: f for a, f in self._failures.items() if self._recent(a)}

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._failures.pop(address, None)

    def _recent(self, address: str) -> list[float]:
        now = self._clock()
        return [t for t in self._failures.get(address, []) if now - t < FAILURE_WINDOW_S]


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
    if not isinstance(state, dict):
        return False
    hours = current_app.config["COMOBI"]["admin.session_hours"]
    age = time.time() - float(state.get("since", 0))
    return 0 <= age < hours * 3600 and hmac.compare_digest(str(state.get("key", "")), _fingerprint())


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
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    form = LoginForm()
    address = request.remote_addr or "?"
    throttle: LoginThrottle = current_app.extensions["comobi.login_throttle"]
    if form.is_submitted() and throttle.blocked(address):
        current_app.logger.warning("/gestion : trop d'essais de mot de passe depuis %s", address)
        return render_template("gestion/login.html", form=form, blocked=True), 429
    if not form.validate_on_submit():
        return render_template("gestion/login.html", form=form), 422 if form.errors else 200
    if not password_matches(form.password.data):
        throttle.failed(address)
        form.password.errors = ["Mot de passe incorrect."]
        return render_template("gestion/login.html", form=form), 401
    throttle.succeeded(address)
    session.clear()
    session[SESSION_KEY] = {"since": time.time(), "key": _fingerprint()}
    return redirect(_next_page())


@bp.route("/deconnexion", methods=["POST"])
def logout():
    session.pop(SESSION_KEY, None)
    return redirect(url_for("gestion.login", fin=1))


def _next_page() -> str:
    """Back to the page asked for before logging in; only pages of this area (no open redirect)."""
    wanted = request.args.get("suite", "")
    if wanted.startswith(bp.url_prefix + "/") and "\\" not in wanted:
        return wanted
    return url_for("gestion.requests")
