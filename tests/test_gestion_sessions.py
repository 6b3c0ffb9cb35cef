"""/gestion sessions end on the server; the login lock-out stops a guesser, not the clerk."""
import logging
from concurrent.futures import ThreadPoolExecutor
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from comobi.web.gestion.lockout import DEVICE_COOKIE, PER_ADDRESS, PER_BROWSER
from tests.gestion_support import app_with_password, log_in
from tests.live_server import serving

TOWN_HALL = {"REMOTE_ADDR": "192.0.2.50"}


def session_cookie(client, app):
    return client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value


def test_a_cookie_copied_before_logout_is_refused_after(make_app):
    app = app_with_password(make_app)
    clerk = app.test_client()
    log_in(clerk)
    copied = session_cookie(clerk, app)
    assert clerk.post("/gestion/deconnexion").status_code == 302
    thief = app.test_client()
    thief.set_cookie(app.config["SESSION_COOKIE_NAME"], copied)
    assert thief.get("/gestion/").status_code == 302  # to the login page, no data


def test_logout_on_one_worker_ends_the_session_on_the_others(make_app):
    workers = [app_with_password(make_app) for _ in range(2)]
    clerk = workers[0].test_client()
    log_in(clerk)
    copied = session_cookie(clerk, workers[0])
    other = workers[1].test_client()
    other.set_cookie(workers[1].config["SESSION_COOKIE_NAME"], copied)
    assert other.get("/gestion/").status_code == 200
    clerk.post("/gestion/deconnexion")
    assert other.get("/gestion/").status_code == 302


def test_a_session_without_a_server_side_id_is_refused(make_app):
    app = app_with_password(make_app)
    client = app.test_client()
    log_in(client)
    with client.session_transaction() as session:
        session["gestion"] = {**session["gestion"], "id": "forged-or-forgotten"}
    assert client.get("/gestion/").status_code == 302


def test_the_clerk_logs_in_while_another_browser_on_her_address_is_locked_out(make_app, caplog):
    app = app_with_password(make_app)
    guesser, clerk = app.test_client(), app.test_client()
    with caplog.at_level(logging.WARNING):
        for _ in range(PER_BROWSER):
            assert log_in(guesser, "faux", environ_base=TOWN_HALL).status_code == 401
    blocked = log_in(guesser, environ_base=TOWN_HALL)
    page = blocked.get_data(as_text=True)
    assert blocked.status_code == 429 and "Réessayez à partir de" in page and "minutes" in page
    assert any("connexion bloquée" in r.getMessage() and "192.0.2.50" in r.getMessage() for r in caplog.records)
    clerk.get("/gestion/connexion", environ_base=TOWN_HALL)
    assert log_in(clerk, environ_base=TOWN_HALL).status_code == 302


def test_a_guesser_dropping_cookies_locks_the_address_but_not_a_browser_known_there(make_app):
    app = app_with_password(make_app)
    clerk = app.test_client()
    assert log_in(clerk, environ_base=TOWN_HALL).status_code == 302
    assert clerk.get_cookie(DEVICE_COOKIE, path="/gestion") is not None
    clerk.post("/gestion/deconnexion")
    for _ in range(PER_ADDRESS):  # a fresh browser for every guess
        assert log_in(app.test_client(), "faux", environ_base=TOWN_HALL).status_code == 401
    assert log_in(app.test_client(), environ_base=TOWN_HALL).status_code == 429  # even the right password
    assert log_in(clerk, environ_base=TOWN_HALL).status_code == 302  # she has logged in here before


def test_a_known_browser_is_still_locked_after_its_own_failures(make_app):
    app = app_with_password(make_app)
    client = app.test_client()
    log_in(client)
    client.post("/gestion/deconnexion")
    for _ in range(PER_BROWSER):
        log_in(client, "faux")
    assert log_in(client).status_code == 429


def test_a_forged_device_cookie_gets_no_pass(make_app):
    app = app_with_password(make_app)
    for _ in range(PER_ADDRESS):
        log_in(app.test_client(), "faux", environ_base=TOWN_HALL)
    forger = app.test_client()
    forger.set_cookie(DEVICE_COOKIE, "abc.def.ghi", path="/gestion")
    assert log_in(forger, environ_base=TOWN_HALL).status_code == 429


def test_the_lock_out_holds_across_workers(make_app):
    apps = [app_with_password(make_app) for _ in range(2)]
    for n in range(PER_ADDRESS):  # a fresh browser each time, on either worker
        log_in(apps[n % 2].test_client(), "faux", environ_base=TOWN_HALL)
    assert log_in(apps[0].test_client(), environ_base=TOWN_HALL).status_code == 429
    assert log_in(apps[1].test_client(), environ_base=TOWN_HALL).status_code == 429


def test_guesses_sent_at_once_are_counted_before_they_are_checked(make_app, monkeypatch):
    """40 wrong passwords at the same moment: at most the address's allowance is checked."""
    from comobi.web.gestion import auth

    app = app_with_password(make_app)
    checked = []
    real = auth.password_matches
    monkeypatch.setattr(auth, "password_matches", lambda given: checked.append(given) or real(given))

    def guess(url):
        body = urlencode({"password": "faux"}).encode()
        try:
            return urlopen(Request(f"{url}/gestion/connexion", data=body), timeout=60).status
        except HTTPError as error:
            return error.code

    with serving(app) as url, ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(guess, [url] * 40))
    assert len(checked) == PER_ADDRESS and statuses.count(401) == PER_ADDRESS
    assert statuses.count(429) == 40 - PER_ADDRESS


def test_the_clerk_s_right_passwords_do_not_use_up_her_address(make_app):
    app = app_with_password(make_app)
    for _ in range(PER_ADDRESS + 3):  # fresh browsers that each log in and out
        client = app.test_client()
        assert log_in(client, environ_base=TOWN_HALL).status_code == 302
        client.post("/gestion/deconnexion")
    assert log_in(app.test_client(), "faux", environ_base=TOWN_HALL).status_code == 401
