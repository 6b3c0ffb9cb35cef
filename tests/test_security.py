"""Security headers, cookies, CSRF on every POST, bot checks and per-address limits."""
import re

import pytest

from comobi.web import antibot
from tests.test_forms import OFFER, REQUEST
from tests.workbooks import trip_row

REMOVAL = {"reference": "T7K2QF", "phone": "06 39 98 50 99"}
POSTS = {"/proposer": OFFER, "/demander": REQUEST, "/retrait": REMOVAL}
CONTACT_TRIP = trip_row(id="T1")


def test_every_response_carries_strict_headers(board_client):
    client = board_client([CONTACT_TRIP])
    for url in ("/", "/trajets", "/trajets.json", "/trajets/T1", "/proposer", "/retrait", "/nope",
                "/api/v1/status", "/brand.css", "/static/style.css"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp, url
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp and "base-uri 'self'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "camera=()" in headers["Permissions-Policy"]
        assert "Strict-Transport-Security" not in headers  # plain http: HSTS would be ignored anyway


def test_hsts_over_https_and_behind_a_proxy(make_app):
    client = make_app().test_client()
    assert "max-age=" in client.get("/", base_url="https://covoit.example").headers["Strict-Transport-Security"]
    proxied = make_app(**{"security.trusted_proxies": 1}).test_client()
    response = proxied.get("/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert "Strict-Transport-Security" in response.headers


def test_pages_have_no_inline_script_or_style(board_client):
    client = board_client([CONTACT_TRIP])
    for url in ("/", "/trajets", "/trajets/T1", "/proposer", "/demander", "/retrait", "/communes/cahors"):
        page = client.get(url).get_data(as_text=True)
        assert "<script" not in page and "<style" not in page and " style=" not in page, url
        assert 'href="/brand.css?v=' in page


def test_brand_stylesheet_only_takes_a_colour(make_app):
    client = make_app(**{"branding.color": "#123abc"}).test_client()
    response = client.get("/brand.css")
    assert response.mimetype == "text/css" and "--brand: #123abc;" in response.get_data(as_text=True)
    for injected in ("red;} body{display:none", "</style><script>"):
        css = make_app(**{"branding.color": injected}).test_client().get("/brand.css").get_data(as_text=True)
        assert css == ":root { --brand: #005a8c; }\n"


def test_session_cookie_is_secure_httponly_lax_in_production(make_app, tmp_path, monkeypatch):
    instance = tmp_path / "instance.toml"
    instance.write_text('[service]\nname = "Covoit"\n', encoding="utf-8")
    monkeypatch.setenv("COMOBI_INSTANCE", str(instance))
    app = make_app(WTF_CSRF_ENABLED=True, TESTING=False)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    cookie = app.test_client().get("/proposer", base_url="https://covoit.example").headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert not make_app(**{"security.secure_cookies": False}, TESTING=False).config["SESSION_COOKIE_SECURE"]


def test_the_demo_works_over_plain_http(make_app):
    """Without instance.toml (the demo, on one's own machine), the cookie must come back over http."""
    app = make_app(WTF_CSRF_ENABLED=True, TESTING=False)
    assert not app.config["SESSION_COOKIE_SECURE"]


@pytest.mark.parametrize("url", [*POSTS, "/trajets/T1/contact"])
def test_csrf_is_required_on_every_post(board_client, make_app, sheet_path, url):
    board_client([CONTACT_TRIP])
    client = make_app(sheet_path, WTF_CSRF_ENABLED=True).test_client()
    response = client.post(url, follow_redirects=True, data=POSTS.get(url, {}))
    assert response.status_code == 400 and "Rechargez la page" in response.get_data(as_text=True)
    page = client.get("/trajets/T1" if "contact" in url else url).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', page).group(1)
    assert client.post(url, follow_redirects=True, data={**POSTS.get(url, {}), "csrf_token": token}).status_code == 200


def test_honeypot_is_hidden_labelled_and_refuses_politely(make_app):
    client = make_app().test_client()
    page = client.get("/proposer").get_data(as_text=True)
    assert re.search(r'<div class="trap"><label for="site_web">Ne pas remplir</label> <input autocomplete="off" '
                     r'id="site_web" name="site_web" tabindex="-1"', page)
    for url, data in POSTS.items():
        response = client.post(url, follow_redirects=True, data={**data, "site_web": "http://spam.example"})
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and "Ne pas remplir" in page and "vérifiez vos réponses" in page, url
        assert 'value="http://spam.example"' not in page
        assert 'value="06 39 98' in page or 'value="0639980042"' in page  # the rest is kept
        assert "Merci" not in page


def test_a_form_sent_too_fast_comes_back_filled_and_passes_the_second_time(make_app, tmp_path, monkeypatch):
    client = make_app(**{"security.min_fill_seconds": 3}).test_client()
    clock = [1_000_000.0]
    monkeypatch.setattr(antibot, "now", lambda: clock[0])
    for url, data in POSTS.items():
        page = client.get(url).get_data(as_text=True)
        started = re.search(r'id="started" name="started" type="hidden" value="([^"]+)"', page).group(1)
        clock[0] += 1
        response = client.post(url, follow_redirects=True, data={**data, "started": started})
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and "très vite" in page, url
        assert f'value="{started}"' in page  # the same stamp: the time already spent counts
        clock[0] += 3
        assert client.post(url, follow_redirects=True, data={**data, "started": started}).status_code == 200, url
    forged = client.post("/proposer", follow_redirects=True, data={**OFFER, "started": "1000000"})
    assert forged.status_code == 422 and "très vite" in forged.get_data(as_text=True)


def test_form_posts_are_limited_per_address_and_nothing_is_lost(make_app, tmp_path):
    client = make_app(**{"security.form_rate_limit_per_hour": 2}).test_client()
    assert client.post("/proposer", follow_redirects=True, data=OFFER).status_code == 200
    assert client.post("/demander", follow_redirects=True, data=REQUEST).status_code == 200
    response = client.post("/proposer", follow_redirects=True, data={**OFFER, "first_name": "Troisième"})
    page = response.get_data(as_text=True)
    assert response.status_code == 429 and "Réessayez dans 60 minutes" in page and "05 65 00 00 00" in page
    assert 'value="Troisième"' in page
    other = client.post("/proposer", follow_redirects=True, data=OFFER, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert other.status_code == 200
    # invalid posts (a person correcting mistakes) do not count
    assert client.post("/proposer", follow_redirects=True, data={**OFFER, "phone": "12"}).status_code == 422


def test_contact_reveal_is_limited_per_address(board_client, make_app, sheet_path):
    board_client([CONTACT_TRIP, trip_row(id="T2", direct_contact="Non", phone="06 39 98 77 66")])
    client = make_app(sheet_path, **{"security.contact_rate_limit_per_hour": 2}).test_client()
    for _ in range(2):
        assert "06 39 98 00 01" in client.post("/trajets/T1/contact").get_data(as_text=True)
    response = client.post("/trajets/T1/contact")
    page = response.get_data(as_text=True)
    assert response.status_code == 429 and "06 39 98 00 01" not in page and "05 65 00 00 00" in page
    # no consent, no number, whatever is posted
    assert "06 39 98 77 66" not in client.post("/trajets/T2/contact").get_data(as_text=True)
    assert client.post("/trajets/NOPE/contact").status_code == 404
    shared = client.get("/trajets/T1/contact")  # the address left by the POST, reloaded: back to the button
    assert shared.status_code == 303 and shared.headers["Location"].endswith("/trajets/T1#contact")


def test_revealed_contact_is_not_cached(board_client):
    response = board_client([CONTACT_TRIP]).post("/trajets/T1/contact")
    assert response.headers["Cache-Control"] == "no-store" and response.headers["X-Robots-Tag"] == "noindex"


@pytest.mark.parametrize("field,value,message", [
    ("phone", "0612", "Numéro de téléphone invalide"),
    ("phone", "6" * 31, "30 caractères au plus"),
    ("email", "pas-un-mail", "Adresse e-mail invalide"),
    ("email", "a@b.fr" + "x" * 120, "120 caractères au plus"),
    ("first_name", "x" * 61, "60 caractères au plus"),
    ("origin", "x" * 101, "100 caractères au plus"),
    ("outbound_time", "8" * 31, "30 caractères au plus"),
    ("remarks", "x" * 1001, "1000 caractères au plus"),
    ("seats", "99", "Choisissez parmi les réponses proposées"),
    ("preferred_contact", "Pigeon", "Choisissez parmi les réponses proposées"),
])
def test_field_checks_speak_french(client, field, value, message):
    response = client.post("/proposer", follow_redirects=True, data={**OFFER, field: value})
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_removal_reference_is_checked(client):
    page = client.post("/retrait", follow_redirects=True, data={**REMOVAL, "reference": "T7 K2"}).get_data(as_text=True)
    assert "lettres et de chiffres" in page
