"""The service reaches out: through HTTP, a real SMTP server (aiosmtpd) and both storages."""
from __future__ import annotations

import html
import re
from collections import Counter
from datetime import date, timedelta

from tests.fault_backends import backend  # noqa: F401 - fixture
from tests.gestion_support import PASSWORD, log_in
from tests.smtp_support import html_of, link_to, smtp, text_of  # noqa: F401 - fixture
from tests.test_forms import OFFER, REQUEST

CLERK = "referente@example.fr"
DRIVER = "paul.marty@example.fr"


def mail_app(backend, smtp, tmp_path, **config):
    app = backend.make_app(**smtp.settings(),
                           **{"service.phone": "05 65 11 22 33", "mail.path": str(tmp_path / "mail")},
                           COMOBI_ADMIN_PASSWORD=PASSWORD, **config)
    return app


def offer(n: int = 0, email: str = DRIVER) -> dict:
    return {**OFFER, "email": email, "remarks": f"offre {n:03d}"}


def no_traceback(response) -> str:
    page = response.get_data(as_text=True)
    assert response.status_code < 500, page
    assert "Traceback" not in page and 'File "' not in page
    return html.unescape(page)


def trips(backend) -> list[dict]:
    return backend.records("Trajets")


def row_of(backend, tab: str, record_id: str) -> dict:
    return next(r for r in backend.records(tab) if r["ID"] == record_id)


def page_fields(page: str, action: str) -> dict[str, str]:
    """What a browser would post with the form whose hidden action is ``action``."""
    form = next(f for f in re.findall(r"<form.*?</form>", page, re.S) if f'value="{action}"' in f)
    fields = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = html.unescape(value.group(1)) if value else ""
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        fields[name] = html.unescape(value).strip()
    return fields


def reorder_behind_the_app(app, title: str) -> None:
    """The clerk sorts the tab upside down and types a row of her own at the top."""
    sheet = app.extensions["comobi.storage"].spreadsheet
    grid = sheet.read_tab(title)
    header, body = grid[0], grid[1:]
    width = len(header)
    typed = [""] * width
    typed[header.index("Prénom")] = "Ligne du référent"
    typed[header.index("ID")] = "TCLERK"
    new = [typed] + [row + [""] * (width - len(row)) for row in reversed(body)]
    sheet.append_rows(title, [[""] * width])
    sheet.update_cells(title, [(r + 2, c + 1, value) for r, row in enumerate(new) for c, value in enumerate(row)])


def test_an_offer_with_an_email_sends_one_clerk_alert_and_one_confirmation(backend, smtp, tmp_path):
    client = mail_app(backend, smtp, tmp_path).test_client()
    assert "Un e-mail de confirmation vient de partir" in no_traceback(client.post("/proposer", follow_redirects=True, data=offer()))
    trip_id = trips(backend)[0]["ID"]
    assert len(smtp.messages) == 2
    (alert,), (confirmation,) = smtp.to(CLERK), smtp.to(DRIVER)
    assert trip_id in alert["Subject"] and "Lalbenque" in text_of(alert) and "06 39 98 00 42" in text_of(alert)
    assert "/gestion" in text_of(alert)
    body = text_of(confirmation)
    assert "Lalbenque → Cahors" in body and trip_id in body and "/prive/trajet/" in body
    for message in (alert, confirmation):
        assert "05 65 11 22 33" in text_of(message) and "du lundi au vendredi" in text_of(message)  # footer
        assert "<a href=" in html_of(message) and message["From"].endswith("<covoiturage@example.fr>")
    token = link_to(confirmation, "/prive/trajet/").rsplit("/", 1)[1]
    assert len(token) >= 32 and token not in str(trips(backend))  # only its hash is in the sheet
    assert trips(backend)[0]["Jeton"].startswith("sha256:")


def test_a_request_with_an_email_gets_a_cancel_link(backend, smtp, tmp_path):
    client = mail_app(backend, smtp, tmp_path).test_client()
    no_traceback(client.post("/demander", follow_redirects=True, data={**REQUEST, "email": "jeanne@example.fr"}))
    request_id = backend.records("Demandes")[0]["ID"]
    assert request_id in smtp.to(CLERK)[0]["Subject"]
    cancel = link_to(smtp.to("jeanne@example.fr")[0], "/prive/demande/")
    assert "Annuler ma demande" in no_traceback(client.get(cancel))
    no_traceback(client.post(cancel, data={"action": "annuler"}, follow_redirects=True))
    assert row_of(backend, "Demandes", request_id)["Statut"] == "annulée"


def test_the_confirmation_link_pauses_exactly_its_row_after_the_rows_were_reordered(backend, smtp, tmp_path):
    app = mail_app(backend, smtp, tmp_path)
    client = app.test_client()
    for n, address in enumerate(["a@example.fr", DRIVER, "c@example.fr"]):
        no_traceback(client.post("/proposer", follow_redirects=True, data=offer(n, address)))
    page = link_to(smtp.to(DRIVER)[0], "/prive/trajet/")
    mine = next(r["ID"] for r in trips(backend) if r["E-mail"] == DRIVER)
    assert mine in no_traceback(client.get(page))
    reorder_behind_the_app(app, "Trajets")
    before = {r["ID"]: r for r in trips(backend)}
    no_traceback(client.post(page, data={"action": "pause"}, follow_redirects=True))
    after = {r["ID"]: r for r in trips(backend)}
    assert after[mine]["Statut"] == "en pause"
    changed = {(i, k) for i in after for k in after[i] if after[i][k] != before[i][k]}
    assert changed == {(mine, "Statut"), (mine, "Confirmé le")}
    assert mine not in client.get("/trajets").get_data(as_text=True)
    no_traceback(client.post(page, data={"action": "reprendre"}, follow_redirects=True))
    assert row_of(backend, "Trajets", mine)["Statut"] == "publié"


def test_the_driver_changes_only_what_the_page_changed(backend, smtp, tmp_path):
    app = mail_app(backend, smtp, tmp_path)
    client = app.test_client()
    no_traceback(client.post("/proposer", follow_redirects=True, data=offer()))
    page = link_to(smtp.to(DRIVER)[0], "/prive/trajet/")
    trip_id = trips(backend)[0]["ID"]
    form = {**page_fields(client.get(page).get_data(as_text=True), "modifier"), "m-seats": "1"}
    assert form["was-remarks"] == form["m-remarks"] == "offre 000"
    backend_before = row_of(backend, "Trajets", trip_id)
    # The clerk fixes the remarks meanwhile: the page did not change them, they stay hers.
    sheet = app.extensions["comobi.storage"].spreadsheet
    header = sheet.read_tab("Trajets")[0]
    sheet.update_cells("Trajets", [(2, header.index("Remarques") + 1, "corrigé par le référent")])
    no_traceback(client.post(page, data=form, follow_redirects=True))
    row = row_of(backend, "Trajets", trip_id)
    assert row["Places"] == "1" and row["Remarques"] == "corrigé par le référent"
    assert row["Jours"] == backend_before["Jours"] and row["Heure aller"] == backend_before["Heure aller"]
    bad = no_traceback(client.post(page, data={**form, "m-outbound_time": "25h"}))
    assert "illisible" in bad or "heure" in bad.lower()


def test_a_token_of_one_row_never_opens_another(backend, smtp, tmp_path):
    client = mail_app(backend, smtp, tmp_path).test_client()
    no_traceback(client.post("/proposer", follow_redirects=True, data=offer(1, "a@example.fr")))
    no_traceback(client.post("/proposer", follow_redirects=True, data=offer(2, "b@example.fr")))
    ids = {r["E-mail"]: r["ID"] for r in trips(backend)}
    page_a = link_to(smtp.to("a@example.fr")[0], "/prive/trajet/")
    shown = no_traceback(client.get(page_a))
    assert ids["a@example.fr"] in shown and ids["b@example.fr"] not in shown
    no_traceback(client.post(page_a, data={"action": "retirer"}))
    assert row_of(backend, "Trajets", ids["a@example.fr"])["Statut"] == "archivé"
    assert row_of(backend, "Trajets", ids["b@example.fr"])["Statut"] == "publié"
    for wrong in (page_a[:-1] + ("A" if page_a[-1] != "A" else "B"), "/prive/trajet/" + ids["b@example.fr"],
                  "/prive/demande/" + page_a.rsplit("/", 1)[1], "/prive/trajet/sha256:x"):
        response = client.get(wrong)
        assert response.status_code == 404 and "Ce lien n'est pas (ou plus) valable" in no_traceback(response)


def test_a_drivers_yes_marks_the_request_found(backend, smtp, tmp_path):
    app = mail_app(backend, smtp, tmp_path)
    client = app.test_client()
    no_traceback(client.post("/proposer", follow_redirects=True, data=offer()))
    no_traceback(client.post("/proposer", follow_redirects=True, data={**offer(2, "autre@example.fr"), "first_name": "Marc"}))
    no_traceback(client.post("/demander", follow_redirects=True, data={**REQUEST, "origin": "Lalbenque", "date": "", "days": ["0"]}))
    request_id = backend.records("Demandes")[0]["ID"]
    trip_id = next(r["ID"] for r in trips(backend) if r["E-mail"] == DRIVER)
    other_id = next(r["ID"] for r in trips(backend) if r["E-mail"] == "autre@example.fr")
    log_in(client)
    page = no_traceback(client.get(f"/gestion/demandes/{request_id}"))
    assert f"/gestion/demandes/{request_id}/demander/{trip_id}" in page
    for trip in (trip_id, other_id):
        no_traceback(client.post(f"/gestion/demandes/{request_id}/demander/{trip}", follow_redirects=True))
    question = [m for m in smtp.to(DRIVER) if "Pouvez-vous" in m["Subject"]][0]
    body = text_of(question)
    assert "Jeanne" in body and "Teulières" not in body and "06 39 98 50 99" not in body
    assert "Lalbenque" in body and "Cahors" in body and "05 65 11 22 33" in body
    yes = link_to(question, "/prive/reponse/")
    assert "Oui, je peux l'emmener" in no_traceback(client.get(yes))
    assert row_of(backend, "Demandes", request_id)["Statut"] == "nouvelle"  # opening the link changes nothing
    no_traceback(client.post(yes))
    row = row_of(backend, "Demandes", request_id)
    assert row["Statut"] == "trouvée" and row["Trajet proposé"] == trip_id
    assert "a répondu OUI" in row["Notes"] and "demandé par e-mail" in row["Notes"]
    told = [m for m in smtp.to(CLERK) if m["Subject"].startswith("Oui de")]
    assert len(told) == 1 and "06 39 98 50 99" in text_of(told[0])
    assert "déjà enregistrée" in no_traceback(client.post(yes))
    assert len([m for m in smtp.to(CLERK) if m["Subject"].startswith("Oui de")]) == 1
    late = [m for m in smtp.to("autre@example.fr") if "Pouvez-vous" in m["Subject"]][0]
    assert "quelqu'un a déjà été trouvé" in no_traceback(client.post(link_to(late, "/prive/reponse/")))
    assert row_of(backend, "Demandes", request_id)["Trajet proposé"] == trip_id
    shown = no_traceback(client.get(f"/gestion/demandes/{request_id}"))
    assert "a répondu OUI" in shown  # the clerk sees who was asked, when, and the answer


def test_answer_links_expire_and_forged_ones_are_refused(backend, smtp, tmp_path):
    app = mail_app(backend, smtp, tmp_path)
    client = app.test_client()
    no_traceback(client.post("/proposer", follow_redirects=True, data=offer()))
    no_traceback(client.post("/demander", follow_redirects=True, data={**REQUEST, "origin": "Lalbenque", "date": "", "days": ["0"]}))
    request_id, trip_id = backend.records("Demandes")[0]["ID"], trips(backend)[0]["ID"]
    log_in(client)
    client.post(f"/gestion/demandes/{request_id}/demander/{trip_id}")
    question = [m for m in smtp.to(DRIVER) if "Pouvez-vous" in m["Subject"]][0]
    no = re.findall(r"/prive/reponse/\S+", text_of(question))[1]
    forged = no_traceback(client.get(no[:-2] + "xy"))
    assert "Ce lien n'est pas (ou plus) valable" in forged
    app.extensions["comobi.today"] = lambda: date.today() + timedelta(days=15)
    expired = client.post(no)
    assert expired.status_code == 410 and "Ce lien a expiré" in no_traceback(expired)
    app.extensions["comobi.today"] = lambda: date.today() + timedelta(days=14)
    no_traceback(client.post(no))
    row = row_of(backend, "Demandes", request_id)
    assert row["Statut"] == "nouvelle" and "a répondu non" in row["Notes"]


def test_with_the_smtp_server_down_50_posts_succeed_and_every_mail_arrives_once(backend, smtp, tmp_path):
    app = mail_app(backend, smtp, tmp_path)
    client = app.test_client()
    smtp.stop()
    for n in range(50):
        page = no_traceback(client.post("/proposer", follow_redirects=True, data=offer(n, f"d{n:02d}@example.fr")))
        assert "Merci" in page
    assert smtp.messages == [] and len(trips(backend)) == 50
    runner = app.test_cli_runner()
    assert "en attente" in runner.invoke(args=["sheet", "check"]).output
    smtp.start()
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "100 e-mail(s) envoyé(s)" in result.output
    received = Counter((m["To"], m["Subject"]) for m in smtp.messages)
    assert len(received) == 100 and set(received.values()) == {1}
    remarks = [text_of(m).split("Remarques : ")[1].split("\n")[0] for m in smtp.to(CLERK)]
    assert remarks == [f"offre {n:03d}" for n in range(50)]  # oldest first
    runner.invoke(args=["mail", "send"])
    runner.invoke(args=["notify"])
    assert len(smtp.messages) == 100


def test_notify_reminds_once_then_hides_the_trip_after_the_grace_period(backend, smtp, tmp_path):
    app = mail_app(backend, smtp, tmp_path)
    client = app.test_client()
    no_traceback(client.post("/proposer", follow_redirects=True, data=offer()))
    no_traceback(client.post("/proposer", follow_redirects=True, data=offer(1, email="")))
    trip_id = next(r["ID"] for r in trips(backend) if r["E-mail"] == DRIVER)
    smtp.messages.clear()
    runner = app.test_cli_runner()
    later = date.today() + timedelta(days=90)
    app.extensions["comobi.today"] = lambda: later
    first = runner.invoke(args=["notify"])
    assert first.exit_code == 0, first.output
    assert "Rappels « toujours d'actualité ? » : 1." in first.output
    second = runner.invoke(args=["notify"])
    assert "Rappels « toujours d'actualité ? » : 0." in second.output
    (reminder,) = smtp.to(DRIVER)
    assert "toujours d'actualité" in reminder["Subject"]
    assert row_of(backend, "Trajets", trip_id)["Rappel envoyé le"] == later.strftime("%d/%m/%Y")
    storage = app.extensions["comobi.storage"]
    storage.today = lambda: later + timedelta(days=30)  # a new day: no cell changed, the board is built anew
    assert trip_id not in client.get("/trajets").get_data(as_text=True)
    check = runner.invoke(args=["sheet", "check"]).output
    assert f"Trajet {trip_id}" in check and "plus affiché" in check
    log_in(client)
    assert trip_id in client.get("/gestion/").get_data(as_text=True)
    confirm = link_to(reminder, "/prive/trajet/")
    assert "toujours d'actualité" in no_traceback(client.get(confirm))
    no_traceback(client.post(confirm.split("?")[0], data={"action": "confirmer"}))
    storage.invalidate()
    assert trip_id in client.get("/trajets").get_data(as_text=True)
    app.extensions["comobi.today"] = lambda: later + timedelta(days=30)
    assert "Rappels « toujours d'actualité ? » : 0." in runner.invoke(args=["notify"]).output


def test_an_alert_mails_each_new_trip_once_and_can_be_stopped(backend, smtp, tmp_path):
    app = mail_app(backend, smtp, tmp_path)
    client = app.test_client()
    search = no_traceback(client.get("/trajets?depart=Lalbenque&arrivee=Cahors"))
    assert "Prévenez-moi quand un trajet passe par là" in search
    form = no_traceback(client.get("/alerte?depart=Lalbenque&arrivee=Cahors"))
    assert "Lalbenque" in form
    no_traceback(client.post("/alerte", data={"depart": "Lalbenque", "arrivee": "Cahors",
                                               "email": "passager@example.fr"}))
    (row,) = backend.records("Demandes")
    assert row["Canal"] == "alerte" and row["Statut"] == "nouvelle"
    log_in(client)
    assert row["ID"] not in client.get("/gestion/").get_data(as_text=True)  # not an open request
    no_traceback(client.post("/proposer", follow_redirects=True, data=offer()))
    runner = app.test_cli_runner()
    assert "Alertes « un trajet passe par là » : 1." in runner.invoke(args=["notify"]).output
    assert "Alertes « un trajet passe par là » : 0." in runner.invoke(args=["notify"]).output
    alerts = [m for m in smtp.to("passager@example.fr") if "passe par là" in m["Subject"]]
    assert len(alerts) == 1
    body = text_of(alerts[0])
    assert "Paul M." in body and "Marty" not in body and "06 39 98 00 42" not in body
    stop = link_to(alerts[0], "/prive/demande/")
    no_traceback(client.post(stop, data={"action": "annuler"}))
    assert backend.records("Demandes")[0]["Statut"] == "annulée"
    no_traceback(client.post("/proposer", follow_redirects=True, data=offer(2, "x@example.fr")))
    assert "Alertes « un trajet passe par là » : 0." in runner.invoke(args=["notify"]).output


def test_lost_link_answers_the_same_whether_the_address_is_known(backend, smtp, tmp_path):
    client = mail_app(backend, smtp, tmp_path).test_client()
    no_traceback(client.post("/proposer", follow_redirects=True, data=offer()))
    old = link_to(smtp.to(DRIVER)[0], "/prive/trajet/")
    known = no_traceback(client.post("/lien-perdu", data={"email": DRIVER.upper()}))
    unknown = no_traceback(client.post("/lien-perdu", data={"email": "personne@example.fr"}))
    assert known == unknown
    (links_mail,) = [m for m in smtp.to(DRIVER) if "liens" in m["Subject"]]
    new = link_to(links_mail, "/prive/trajet/")
    assert new != old and client.get(old).status_code == 404 and client.get(new).status_code == 200
    assert smtp.to("personne@example.fr") == []


def test_digest_instead_of_one_mail_per_post(backend, smtp, tmp_path):
    app = mail_app(backend, smtp, tmp_path, **{"mail.digest": True})
    client = app.test_client()
    no_traceback(client.post("/proposer", follow_redirects=True, data=offer()))
    no_traceback(client.post("/demander", follow_redirects=True, data=REQUEST))
    assert smtp.to(CLERK) == []
    runner = app.test_cli_runner()
    runner.invoke(args=["notify"])
    runner.invoke(args=["notify"])
    (digest,) = smtp.to(CLERK)
    assert "1 demande(s), 1 trajet(s)" in digest["Subject"]


def test_a_link_to_a_row_still_waiting_for_the_sheet_says_so(backend, smtp, tmp_path):
    client = mail_app(backend, smtp, tmp_path).test_client()
    backend.faults.fail(503, times=None, only="write")
    no_traceback(client.post("/proposer", follow_redirects=True, data=offer()))
    page = link_to(smtp.to(DRIVER)[0], "/prive/trajet/")
    waiting = client.get(page)
    assert waiting.status_code == 503 and "Encore quelques minutes" in waiting.get_data(as_text=True)
    backend.recover()
    client.application.extensions["comobi.storage"].deliver(force=True)
    assert "Mon trajet" in no_traceback(client.get(page))


def test_the_private_page_works_with_csrf_on(backend, smtp, tmp_path):
    """What a real browser posts: the page's own forms, CSRF tokens included."""
    app = mail_app(backend, smtp, tmp_path, WTF_CSRF_ENABLED=True)
    app.test_client().post("/proposer", follow_redirects=True, data=offer())  # refused (no token): nothing written, nothing sent
    assert smtp.messages == []
    app.config["WTF_CSRF_ENABLED"] = False
    app.test_client().post("/proposer", follow_redirects=True, data=offer())
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    page = link_to(smtp.to(DRIVER)[0], "/prive/trajet/")
    trip_id = trips(backend)[0]["ID"]
    shown = client.get(page).get_data(as_text=True)
    edit = {**page_fields(shown, "modifier"), "m-seats": "4"}
    no_traceback(client.post(page, data=edit, follow_redirects=True))
    assert row_of(backend, "Trajets", trip_id)["Places"] == "4"
    pause = page_fields(client.get(page).get_data(as_text=True), "pause")
    no_traceback(client.post(page, data=pause, follow_redirects=True))
    assert row_of(backend, "Trajets", trip_id)["Statut"] == "en pause"
    assert client.post(page, data={"action": "reprendre"}).status_code == 400  # no token: refused


def test_a_volunteer_sign_up_alerts_the_clerk_and_gets_no_private_link(backend, smtp, tmp_path):
    from tests.test_volunteer_forms import SIGN_UP

    client = mail_app(backend, smtp, tmp_path).test_client()
    no_traceback(client.post("/benevole", data=SIGN_UP, follow_redirects=True))
    (row,) = backend.records("Bénévoles")
    assert not row.get("Jeton") and row["E-mail"] == "anne@example.org"
    (alert,) = smtp.to(CLERK)
    assert row["ID"] in alert["Subject"] and "Lalbenque" in text_of(alert) and "/gestion/benevoles" in text_of(alert)
    assert smtp.to("anne@example.org") == [] and "/prive/" not in text_of(alert)


def test_a_reminder_stuck_while_smtp_is_down_never_hides_the_trip(backend, smtp, tmp_path):
    app = mail_app(backend, smtp, tmp_path, **{"freshness.grace_days": 30})
    client = app.test_client()
    no_traceback(client.post("/proposer", follow_redirects=True, data=offer()))
    trip_id = trips(backend)[0]["ID"]
    runner = app.test_cli_runner()
    smtp.stop()
    later = date.today() + timedelta(days=90)
    app.extensions["comobi.today"] = lambda: later
    assert "Rappels « toujours d'actualité ? » : 1." in runner.invoke(args=["notify"]).output
    assert row_of(backend, "Trajets", trip_id)["Rappel envoyé le"] == ""  # queued, not sent
    storage = app.extensions["comobi.storage"]
    much_later = later + timedelta(days=60)  # past the grace period, the reminder still waiting
    app.extensions["comobi.today"] = lambda: much_later
    assert "Rappels « toujours d'actualité ? » : 0." in runner.invoke(args=["notify"]).output
    storage.today = lambda: much_later
    storage.invalidate()
    assert trip_id in client.get("/trajets").get_data(as_text=True)  # still listed: the driver was never asked
    smtp.start()
    assert "Rappels « toujours d'actualité ? » : 0." in runner.invoke(args=["notify"]).output  # sends the waiting one
    assert len([m for m in smtp.to(DRIVER) if "toujours d'actualité" in m["Subject"]]) == 1
    assert row_of(backend, "Trajets", trip_id)["Rappel envoyé le"] == much_later.strftime("%d/%m/%Y")
    storage.today = lambda: much_later + timedelta(days=30)
    storage.invalidate()
    assert trip_id not in client.get("/trajets").get_data(as_text=True)  # the grace period counted from the mail


def test_rows_the_clerk_types_get_the_confirmation_and_its_private_link_but_no_alert_to_her(backend, smtp,
                                                                                           tmp_path):
    from tests.test_gestion import PHONE_REQUEST

    app = mail_app(backend, smtp, tmp_path)
    client = app.test_client()
    log_in(client)
    trip = no_traceback(client.post("/gestion/trajet-telephone", follow_redirects=True,
                                    data={**offer(), "last_name": ""}))
    assert f"part à {DRIVER}" in trip
    request = no_traceback(client.post("/gestion/demande-telephone", follow_redirects=True,
                                       data={**PHONE_REQUEST, "email": "marguerite@example.fr"}))
    assert "part à marguerite@example.fr" in request
    no_traceback(client.post("/gestion/demande-telephone", follow_redirects=True, data=PHONE_REQUEST))  # no e-mail
    assert smtp.to(CLERK) == []
    (confirmation,) = smtp.to(DRIVER)
    assert "est enregistré" in confirmation["Subject"]
    page = no_traceback(client.get(link_to(confirmation, "/prive/trajet/")))
    assert trips(backend)[0]["ID"] in page
    (asked,) = smtp.to("marguerite@example.fr")
    assert "/prive/demande/" in text_of(asked)
    assert len(smtp.messages) == 2
