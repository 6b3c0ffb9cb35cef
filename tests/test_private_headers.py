"""Pages with someone's details (/gestion, private links) share one set of headers
(comobi.web.security.private_headers); public pages keep the public ones."""
from tests.gestion_support import app_with_password, log_in

PRIVATE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow", "Referrer-Policy": "no-referrer"}


def _private(response) -> bool:
    return all(response.headers.get(name) == value for name, value in PRIVATE.items())


def test_gestion_and_private_links_are_private_public_pages_are_not(make_app):
    client = app_with_password(make_app).test_client()
    assert _private(client.get("/gestion/connexion"))
    log_in(client)
    assert _private(client.get("/gestion/"))
    assert _private(client.get("/prive/trajet/" + "x" * 32))  # unknown token: still a private address
    assert _private(client.get("/prive/demande/" + "x" * 32))
    for url in ("/", "/lien-perdu", "/proposer"):
        response = client.get(url)
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin", url
        assert not _private(response), url
