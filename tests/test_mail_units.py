"""The parts of comobi/mail one by one: who gets what, tokens, the queue, SMTP failures in French."""
from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest

from comobi import notify
from comobi.mail import tokens
from comobi.mail.outbox import MAX_ATTEMPTS, Mail, MailOutbox, backoff
from comobi.mail.views import _hide_tokens
from comobi.models import EXPIRED, PAUSED, PUBLISHED, Place, Trip
from tests.smtp_support import SmtpServer, smtp, text_of  # noqa: F401 - fixture
from tests.test_forms import OFFER

CAHORS = Place("Cahors", "cahors", 44.4475, 1.4406)
FIGEAC = Place("Figeac", "figeac", 44.6086, 2.0317)
TODAY = date(2026, 6, 1)


def trip(**values) -> Trip:
    base = dict(id="T1", row=2, origin=CAHORS, destination=FIGEAC, email="a@example.fr", days=frozenset({0}),
                created="01/01/2026 10:00")
    return Trip(**{**base, **values})


# -- who gets what (comobi/notify.py) --------------------------------------------------
def test_a_reminder_is_due_after_confirm_days_once_per_confirmation():
    posted = date(2026, 1, 1)
    assert notify.reminders_due([trip()], posted + timedelta(days=89), 90) == []
    assert notify.reminders_due([trip()], posted + timedelta(days=90), 90) != []
    reminded = trip(reminded=posted + timedelta(days=90))
    assert notify.reminders_due([reminded], posted + timedelta(days=200), 90) == []
    confirmed = trip(reminded=posted + timedelta(days=90), confirmed=posted + timedelta(days=95))
    assert notify.reminders_due([confirmed], posted + timedelta(days=184), 90) == []
    assert notify.reminders_due([confirmed], posted + timedelta(days=185), 90) == [confirmed]
    assert notify.reminder_event(confirmed) != notify.reminder_event(trip())
    for quiet in (trip(email=""), trip(status=PAUSED), trip(created="")):
        assert notify.reminders_due([quiet], posted + timedelta(days=400), 90) == []


def test_a_trip_expires_grace_days_after_an_unanswered_reminder():
    reminded = date(2026, 4, 1)
    unanswered = trip(reminded=reminded)
    assert not notify.is_expired(unanswered, reminded + timedelta(days=29), 30)
    assert notify.is_expired(unanswered, reminded + timedelta(days=30), 30)
    assert not notify.is_expired(trip(reminded=reminded, confirmed=reminded), reminded + timedelta(days=60), 30)
    assert not notify.is_expired(trip(), date(2030, 1, 1), 30)  # never reminded: never hidden
    listed = [unanswered, trip(id="T2")]
    assert notify.mark_expired(listed, reminded + timedelta(days=30), 30) == [unanswered]
    assert unanswered.status == EXPIRED and listed[1].status == PUBLISHED


def test_digest_lists_recent_web_items_not_yet_listed():
    from comobi.models import RideRequest

    web = RideRequest(id="D1", row=2, origin=CAHORS, destination=FIGEAC, channel="web", created="31/05/2026 09:00")
    phone = RideRequest(id="D2", row=3, origin=CAHORS, destination=FIGEAC, channel="téléphone",
                        created="31/05/2026 09:00")
    old = RideRequest(id="D3", row=4, origin=CAHORS, destination=FIGEAC, channel="web", created="01/01/2026")
    new_trip = trip(created="30/05/2026 18:00")
    assert notify.digest_items([new_trip], [web, phone, old], TODAY, lambda e: False) == ([new_trip], [web])
    assert notify.digest_items([new_trip], [web], TODAY, lambda e: True) == ([], [])


# -- tokens ----------------------------------------------------------------------------
def test_row_tokens_are_long_random_and_only_their_hash_is_kept():
    token = tokens.new_token()
    assert len(token) * 6 >= 128 and token != tokens.new_token()
    stored = tokens.hashed(token)
    assert token not in stored and tokens.holds(stored, token)
    assert not tokens.holds(stored, token[:-1]) and not tokens.holds("", token) and not tokens.holds(stored, "")
    rows = [trip(id="T1", token=tokens.hashed("autre")), trip(id="T2", token=stored)]
    assert tokens.find(rows, token).id == "T2" and tokens.find(rows, "inconnu") is None


def test_answer_tokens_are_signed_and_expire():
    yes, no = tokens.answer_tokens("secret", "D1", "T1", TODAY)
    said = tokens.read_answer("secret", yes)
    assert (said.request_id, said.trip_id, said.yes) == ("D1", "T1", True)
    assert tokens.read_answer("secret", no).yes is False
    assert tokens.read_answer("autre secret", yes) is None and tokens.read_answer("secret", yes[:-3] + "abc") is None
    assert not said.expired(TODAY + timedelta(days=14), 14) and said.expired(TODAY + timedelta(days=15), 14)


def test_tokens_never_reach_the_access_log():
    record = logging.LogRecord("werkzeug", logging.INFO, "", 0, '%s - - "%s" %s', (
        "127.0.0.1", "GET /prive/trajet/s3cr3tT0k3n HTTP/1.1", "200"), None)
    _hide_tokens(record)
    assert "s3cr3tT0k3n" not in record.getMessage() and "/prive/trajet/" in record.getMessage()
    atoms = {"r": "GET /prive/reponse/s3cr3t.T0k3n HTTP/1.1", "U": "/prive/reponse/s3cr3t.T0k3n", "s": "200"}
    gunicorn = logging.LogRecord("gunicorn.access", logging.INFO, "", 0, '"%(r)s" %(s)s %(U)s', (atoms,), None)
    _hide_tokens(gunicorn)
    assert "s3cr3t" not in gunicorn.getMessage() and "/prive/reponse/" in gunicorn.getMessage()


# -- the queue ---------------------------------------------------------------------------
class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self):
        return self.now


def mail(n: int) -> Mail:
    return Mail(event=f"e{n}", to="x@example.fr", subject=f"s{n}", text="t", html="<p>t</p>")


def test_an_event_is_queued_once_and_delivered_oldest_first(tmp_path):
    box = MailOutbox(tmp_path, clock=Clock())
    assert box.put(mail(1)) and box.put(mail(2)) and not box.put(mail(1))
    seen = []

    def send_all(mails, on_sent, on_failed):
        for m in mails:
            seen.append(m.subject)
            on_sent(m)

    assert box.deliver(send_all) == 2 and seen == ["s1", "s2"]
    assert not box.put(mail(1)) and box.seen("e2") and box.waiting() == []


def test_failures_back_off_then_give_up_with_a_line_for_the_clerk(tmp_path):
    clock = Clock()
    box = MailOutbox(tmp_path, clock=clock)
    box.put(mail(1))
    calls = []

    def down(mails, on_sent, on_failed):
        calls.append(len(mails))
        for m in mails:
            on_failed(m, "serveur injoignable", True, True)

    box.deliver(down)
    (waiting,) = box.waiting()
    assert waiting.attempts == 1 and waiting.next_try == clock.now + backoff(1) == clock.now + 60
    assert box.deliver(down) == 0 and calls == [1]  # not due yet: nothing tried
    box.put(mail(2))
    box.deliver(down)  # the new one was due; the first, not due, keeps its count
    assert [m.attempts for m in box.waiting()] == [1, 1]
    assert backoff(2) == 120 and backoff(30) == 6 * 3600
    for _ in range(MAX_ATTEMPTS):
        clock.now += 7 * 3600
        box.deliver(down)
    assert box.waiting() == [] and [m.subject for m in box.given_up()] == ["s1", "s2"]
    assert not box.put(mail(1))  # given up is not retried by a new run


def test_a_refused_recipient_is_given_up_at_once(tmp_path):
    box = MailOutbox(tmp_path, clock=Clock())
    box.put(mail(1))
    box.deliver(lambda mails, ok, failed: [failed(m, "destinataire refusé (550)", False) for m in mails])
    assert box.waiting() == [] and box.given_up()[0].error == "destinataire refusé (550)"


# -- SMTP, for real ------------------------------------------------------------------------
def app_on(make_app, server: SmtpServer, tmp_path, **config):
    return make_app(**{**server.settings(), "mail.path": str(tmp_path / "mail"), **config})


def test_mail_test_sends_a_message_in_french_with_an_html_alternative(make_app, smtp, tmp_path):
    result = app_on(make_app, smtp, tmp_path).test_cli_runner().invoke(args=["mail", "test", "moi@example.fr"])
    assert result.exit_code == 0, result.output
    (message,) = smtp.messages
    assert message["To"] == "moi@example.fr" and "Essai" in message["Subject"]
    assert "05 65 00 00 00" in text_of(message)
    assert message.get_body(preferencelist=("html",)) is not None


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("setup, config, expected", [
    ("stopped", {}, "serveur injoignable"),
    ("plain", {"mail.security": "starttls"}, "chiffrement TLS refusé"),
    ("plain", {"mail.security": "ssl"}, "chiffrement TLS refusé"),
    ("auth", {"mail.username": "service"}, "identifiant (mail.username) ou mot de passe"),
    ("sender", {}, "adresse d'expédition (mail.sender) refusée"),
    ("plain", {"mail.host": "hote-inexistant.invalid"}, "introuvable"),
])
def test_mail_test_explains_failures_in_plain_french(make_app, tmp_path, monkeypatch, setup, config, expected):
    server = SmtpServer()
    if setup == "auth":
        server.password = "le bon"
        monkeypatch.setenv("COMOBI_SMTP_PASSWORD", "un mauvais")
    if setup == "sender":
        server.refuse_sender = "553 5.7.1 Sender not allowed"
    server.start()
    try:
        if setup == "stopped":
            server.stop()
        app = app_on(make_app, server, tmp_path, **config)
        result = app.test_cli_runner().invoke(args=["mail", "test", "moi@example.fr"])
    finally:
        server.stop()
    assert result.exit_code == 1 and expected in result.output, result.output
    assert "Traceback" not in result.output


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_login_with_the_right_password(make_app, tmp_path, monkeypatch):
    server = SmtpServer()
    server.password = "le bon"
    monkeypatch.setenv("COMOBI_SMTP_PASSWORD", "le bon")
    server.start()
    try:
        app = app_on(make_app, server, tmp_path, **{"mail.username": "service"})
        assert app.test_cli_runner().invoke(args=["mail", "test", "moi@example.fr"]).exit_code == 0
    finally:
        server.stop()
    assert len(server.messages) == 1


def test_4xx_waits_and_is_retried_5xx_is_given_up_and_shown_to_the_clerk(make_app, smtp, tmp_path):
    app = app_on(make_app, smtp, tmp_path, COMOBI_ADMIN_PASSWORD="x")
    client = app.test_client()
    smtp.refuse = "451 4.3.0 Try again later"
    client.post("/proposer", follow_redirects=True, data={**OFFER, "email": "paul@example.fr"})
    assert smtp.messages == [] and len(app.extensions["comobi.mail"].outbox.waiting()) == 2
    smtp.refuse = ""
    smtp.refuse_recipients = {"paul@example.fr": "550 5.1.1 No such user"}
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert "1 e-mail(s) envoyé(s)" in result.output and "E-mail abandonné" in result.output
    assert [m["To"] for m in smtp.messages] == ["referente@example.fr"]
    check = app.test_cli_runner().invoke(args=["sheet", "check"]).output
    assert "E-mail abandonné (confirmation, à paul@example.fr" in check


def test_without_a_host_nothing_is_sent_and_the_clerk_is_told(make_app, tmp_path):
    app = make_app(COMOBI_ADMIN_PASSWORD="x")
    client = app.test_client()
    client.post("/proposer", follow_redirects=True, data={**OFFER, "email": "paul@example.fr"})
    assert not (tmp_path / "mail").exists()
    runner = app.test_cli_runner()
    assert "aucun serveur d'envoi configuré" in runner.invoke(args=["sheet", "check"]).output
    for command in (["mail", "send"], ["notify"], ["mail", "test", "a@example.fr"]):
        result = runner.invoke(args=command)
        assert result.exit_code == 1 and "Aucun serveur d'envoi configuré" in result.output
    assert "Prévenez-moi" not in client.get("/trajets?depart=Bretenoux&arrivee=Cahors").get_data(as_text=True)
    unavailable = client.get("/alerte?depart=Bretenoux&arrivee=Cahors")
    assert unavailable.status_code == 404 and "n'envoie pas d'e-mails" in unavailable.get_data(as_text=True)
    client.post("/gestion/connexion", data={"password": "x"})
    assert "aucun serveur d&#39;envoi configuré" in client.get("/gestion/").get_data(as_text=True)


def test_tokens_never_reach_json_or_public_pages(make_app, smtp, tmp_path):
    app = app_on(make_app, smtp, tmp_path)
    client = app.test_client()
    client.post("/proposer", follow_redirects=True, data={**OFFER, "email": "paul@example.fr"})
    trip_id = app.extensions["comobi.storage"].board().trips[-1].id
    for url in ("/trajets.json", f"/trajets/{trip_id}", "/api/v1/driver_journeys?departureLat=44.4&departureLng=1.4"
                "&arrivalLat=44.5&arrivalLng=1.6&departureDate=1767225600"):
        assert "sha256:" not in client.get(url).get_data(as_text=True)


def test_while_the_server_is_down_pages_only_queue(make_app, tmp_path):
    server = SmtpServer().start()
    server.stop()
    app = app_on(make_app, server, tmp_path)
    mailer = app.extensions["comobi.mail"]
    tries = []
    real = mailer._send_all
    mailer._send_all = lambda *args: (tries.append(1), real(*args))
    client = app.test_client()
    for n in range(3):
        client.post("/proposer", follow_redirects=True, data={**OFFER, "email": f"p{n}@example.fr"})
    assert len(tries) == 1 and len(mailer.outbox.waiting()) == 6  # one attempt, then the pages just queue


def test_sheet_init_adds_the_mail_columns_and_an_old_sheet_keeps_working(make_app, tmp_path):
    from comobi.schema import PLACES, REQUESTS, TRIPS
    from tests.workbooks import trip_row, write_workbook

    old_headers = [h for h in TRIPS.headers if h not in ("Confirmé le", "Rappel envoyé le", "Jeton")]
    old_request_headers = [h for h in REQUESTS.headers if h != "Jeton"]
    path = write_workbook(tmp_path / "ancien.xlsx", {
        TRIPS.title: [old_headers, [trip_row(id="T1").get(h, "") for h in old_headers]],
        REQUESTS.title: [old_request_headers], PLACES.title: [PLACES.headers]})
    server = SmtpServer().start()
    try:
        app = make_app(path, **{**server.settings(), "mail.path": str(tmp_path / "mail")})
        client = app.test_client()
        assert "T1" in client.get("/trajets").get_data(as_text=True)
        client.post("/proposer", follow_redirects=True, data={**OFFER, "email": "paul@example.fr"})  # adds « Jeton » on the way
        assert len(server.to("paul@example.fr")) == 1
        result = app.test_cli_runner().invoke(args=["sheet", "init"])
    finally:
        server.stop()
    assert "Confirmé le" in result.output and "Rappel envoyé le" in result.output
    header = app.extensions["comobi.storage"].spreadsheet.read_tab("Trajets")[0]
    assert {"Confirmé le", "Rappel envoyé le", "Jeton"} <= set(header)


def test_tokens_never_reach_the_frozen_site(make_app, smtp, tmp_path):
    app = app_on(make_app, smtp, tmp_path)
    app.test_client().post("/proposer", follow_redirects=True, data={**OFFER, "email": "paul@example.fr"})
    token = text_of(smtp.to("paul@example.fr")[0]).split("/prive/trajet/")[1].split()[0]
    result = app.test_cli_runner().invoke(args=["freeze", "--destination", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    for path in (tmp_path / "site").rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", "replace")
            assert "sha256:" not in text and token not in text and "/prive/" not in text, path
