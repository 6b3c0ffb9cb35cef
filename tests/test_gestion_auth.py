"""/gestion is closed to anyone without the password: every rule, pages and data."""
import re
import time

import pytest
from werkzeug.security import check_password_hash, generate_password_hash

from comobi.ratelimit import SharedCounters
from comobi.web.gestion.lockout import PER_BROWSER as MAX_FAILURES
from comobi.web.gestion.lockout import WINDOW_S as FAILURE_WINDOW_S
from comobi.web.limits import EXTENSION
from tests.gestion_support import PASSWORD, app_with_password, log_in

# Contact details of the demo workbook's people (06 39 98 ... numbers, e-mails @example.org).
CONTACT_DATA = re.compile(r"06 39 98|0639 ?98|@example\.org|Teulières|Lafon")


def gestion_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("gestion.")]


_SAMPLE_VALUES = {"<request_id>": "D0001", "<ride_id>": "C0001", "<driver_id>": "B0001", "<day>": "2026-02-03",
                  "<month>": "2026-02"}


def url_of(rule) -> str:
    url = rule.rule
    for placeholder, value in _SAMPLE_VALUES.items():
        url = url.replace(placeholder, value)
    return url


def test_the_blueprint_has_the_expected_rules(make_app):
    endpoints = {rule.endpoint for rule in gestion_rules(app_with_password(make_app))}
    assert {"gestion.login", "gestion.logout", "gestion.requests", "gestion.request_page", "gestion.follow_up",
            "gestion.phone_request", "gestion.phone_trip", "gestion.bilan", "gestion.bilan_csv"} <= endpoints
    assert all("<" not in url_of(rule) for rule in gestion_rules(app_with_password(make_app)))


def test_an_anonymous_visitor_gets_no_page_and_no_data_under_gestion(make_app):
    app = app_with_password(make_app)
    client = app.test_client()
    checked = 0
    for rule in gestion_rules(app):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url_of(rule), method=method, data={"status": "trouvée", "proposed_trip": "T0001"})
            body = response.get_data(as_text=True)
            assert not CONTACT_DATA.search(body), (rule.rule, method)
            checked += 1
            if rule.endpoint == "gestion.login":
                assert "Mot de passe" in body and response.status_code in (200, 422)
            elif response.status_code == 302:
                assert response.headers["Location"].startswith("/gestion/connexion"), rule.rule
            else:
                assert response.status_code == 401, (rule.rule, method, response.status_code)
    assert checked >= 10
    rows = app.extensions["comobi.storage"].board().requests
    assert all(r.status != "trouvée" or r.id != "D0001" for r in rows)  # nothing was written


def test_data_answers_401_not_a_redirect(make_app):
    response = app_with_password(make_app).test_client().get("/gestion/bilan.csv")
    assert response.status_code == 401
    assert "Mois;" not in response.get_data(as_text=True)


def test_without_a_password_the_area_says_so_and_stays_closed(make_app):
    app = make_app(COMOBI_ADMIN_PASSWORD="")
    client = app.test_client()
    for rule in gestion_rules(app):
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(url_of(rule), method=method, data={"password": ""})
            body = response.get_data(as_text=True)
            assert response.status_code == 403, rule.rule
            assert "Aucun mot de passe n'est configuré" in body
            assert not CONTACT_DATA.search(body)


def test_login_then_pages_then_logout(make_app):
    client = app_with_password(make_app).test_client()
    response = log_in(client)
    assert response.status_code == 302 and response.headers["Location"] == "/gestion/"
    page = client.get("/gestion/")
    assert page.status_code == 200 and "Demandes à traiter" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert client.post("/gestion/deconnexion").status_code == 302
    assert client.get("/gestion/").status_code == 302


def test_login_goes_back_to_the_page_asked_for_but_never_elsewhere(make_app):
    client = app_with_password(make_app).test_client()
    assert client.get("/gestion/bilan").headers["Location"] == "/gestion/connexion?suite=/gestion/bilan"
    assert log_in(client, query_string={"suite": "/gestion/bilan"}).headers["Location"] == "/gestion/bilan"
    client = app_with_password(make_app).test_client()
    assert log_in(client, query_string={"suite": "https://ailleurs.example/"}).headers["Location"] == "/gestion/"


def test_a_wrong_password_is_refused_in_french(make_app):
    client = app_with_password(make_app).test_client()
    response = log_in(client, "pas-le-bon")
    assert response.status_code == 401
    assert "Mot de passe incorrect" in response.get_data(as_text=True)
    assert client.get("/gestion/").status_code == 302


def test_failed_logins_are_throttled_per_address(make_app):
    client = app_with_password(make_app).test_client()
    for _ in range(MAX_FAILURES):
        assert log_in(client, "non").status_code == 401
    blocked = log_in(client)  # even the right password, for a while
    assert blocked.status_code == 429 and "Trop d'essais" in blocked.get_data(as_text=True)
    elsewhere = log_in(client, environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert elsewhere.status_code == 302


def test_failures_are_forgotten_after_their_window_and_on_success(make_app, tmp_path):
    app = app_with_password(make_app)
    now = [1_000_000.0]
    app.extensions[EXTENSION] = SharedCounters("", tmp_path / "clocked", clock=lambda: now[0])
    client = app.test_client()
    for _ in range(MAX_FAILURES):
        log_in(client, "non")
    assert log_in(client).status_code == 429
    now[0] += FAILURE_WINDOW_S
    assert log_in(client, "non").status_code == 401
    assert log_in(client).status_code == 302  # a success forgives this browser's failures
    client.post("/gestion/deconnexion")
    for _ in range(MAX_FAILURES - 1):
        assert log_in(client, "non").status_code == 401


def test_the_session_expires(make_app):
    client = app_with_password(make_app, **{"admin.session_hours": 8.0}).test_client()
    log_in(client)
    assert client.get("/gestion/").status_code == 200
    with client.session_transaction() as session:
        session["gestion"] = {**session["gestion"], "since": time.time() - 8 * 3600 - 1}
    assert client.get("/gestion/").status_code == 302


def test_changing_the_password_signs_everyone_out(make_app):
    app = app_with_password(make_app)
    client = app.test_client()
    log_in(client)
    app.config["COMOBI_ADMIN_PASSWORD"] = "un-autre-mot-de-passe"
    assert client.get("/gestion/").status_code == 302


def test_the_hash_from_the_instance_file_works_and_the_clear_password_is_nowhere(make_app):
    hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    app = make_app(COMOBI_ADMIN_PASSWORD="", **{"admin.password_hash": hashed})
    client = app.test_client()
    assert log_in(client, "faux").status_code == 401
    assert log_in(client).status_code == 302
    with client.session_transaction() as session:
        assert PASSWORD not in str(dict(session)) and hashed not in str(dict(session))


def test_an_unreadable_hash_refuses_without_an_error_page(make_app):
    app = make_app(COMOBI_ADMIN_PASSWORD="", **{"admin.password_hash": "pas-une-empreinte"})
    response = log_in(app.test_client())
    assert response.status_code == 401 and "Mot de passe incorrect" in response.get_data(as_text=True)


def test_login_form_needs_its_csrf_token(make_app):
    client = app_with_password(make_app, WTF_CSRF_ENABLED=True).test_client()
    assert log_in(client).status_code == 400
    page = client.get("/gestion/connexion").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/gestion/connexion", data={"password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def test_login_page_labels_its_field_and_summarises_errors(make_app):
    client = app_with_password(make_app).test_client()
    page = client.post("/gestion/connexion", data={"password": ""}).get_data(as_text=True)
    assert '<label for="password">Mot de passe</label>' in page
    assert 'href="#password"' in page and "Tapez le mot de passe" in page


def test_cli_prints_a_hash_to_paste_never_the_password(make_app):
    runner = make_app().test_cli_runner()
    result = runner.invoke(args=["admin", "hash-password"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if line.startswith("password_hash = "))
    hashed = line.split('"')[1]
    assert check_password_hash(hashed, PASSWORD)
    assert PASSWORD not in result.output


@pytest.mark.parametrize("typed", ["court\ncourt\n", f"{PASSWORD}\nautre-chose-12\n{PASSWORD}\n{PASSWORD}\n"])
def test_cli_refuses_short_passwords_and_asks_again_on_mismatch(make_app, typed):
    result = make_app().test_cli_runner().invoke(args=["admin", "hash-password"], input=typed)
    if typed.startswith("court"):
        assert result.exit_code != 0 and "trop court" in result.output
    else:
        assert result.exit_code == 0 and "password_hash = " in result.output
