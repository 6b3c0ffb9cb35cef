"""Forged hosts never reach a link or another visitor; huge bodies are refused before being read."""
import socket
import threading

import pytest

from tests.gunicorn_server import gunicorn, instance_file
from tests.live_server import serving
from tests.workbooks import trip_row, trips_workbook

PUBLIC = "https://covoiturage.example.fr"


def trip_urls(response) -> list[str]:
    return [trip["url"] for trip in response.get_json()["trajets"]]


def test_an_unknown_host_is_refused_when_the_public_address_is_known(make_app):
    app = make_app(**{"service.url": PUBLIC + "/", "security.allowed_hosts": ["www.covoiturage.example.fr"]})
    client = app.test_client()
    refused = client.get("/trajets", headers={"Host": "evil.example"})
    assert refused.status_code == 400 and "Adresse inconnue" in refused.get_data(as_text=True)
    for host in ("covoiturage.example.fr", "COVOITURAGE.example.fr:443", "www.covoiturage.example.fr", "localhost:5000",
                 "127.0.0.1:8000", "[::1]:8000"):
        assert client.get("/trajets", headers={"Host": host}).status_code == 200, host
    assert client.get("/trajets", headers={"Host": "covoiturage.example.fr.evil.example"}).status_code == 400


def test_absolute_links_come_from_the_public_address(make_app):
    client = make_app(**{"service.url": PUBLIC}).test_client()
    urls = trip_urls(client.get("/trajets.json", headers={"Host": "localhost"}))
    assert urls and all(url.startswith(PUBLIC + "/trajets/") for url in urls)


def test_a_forwarded_host_from_a_visitor_is_ignored(make_app):
    client = make_app(**{"security.trusted_proxies": 1}).test_client()
    forged = {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"}
    urls = trip_urls(client.get("/trajets.json", headers=forged, environ_base={"REMOTE_ADDR": "203.0.113.4"}))
    assert urls and all(url.startswith("http://localhost/") for url in urls)


def test_a_page_kept_in_memory_for_one_host_is_never_served_to_another(make_app):
    client = make_app().test_client()  # no service.url: any host is answered, each with its own links
    poisoned = trip_urls(client.get("/trajets.json", headers={"Host": "evil.example"}))
    assert poisoned[0].startswith("http://evil.example/")
    for _ in range(2):
        urls = trip_urls(client.get("/trajets.json", headers={"Host": "covoiturage.example.fr"}))
        assert all(url.startswith("http://covoiturage.example.fr/") for url in urls)


def test_a_large_form_gets_a_french_413(make_app):
    client = make_app().test_client()
    response = client.post("/proposer", data={"remarks": "x" * 100_000})
    assert response.status_code == 413 and "Envoi trop volumineux" in response.get_data(as_text=True)


def send_huge_body(port: int, path: str, headers: str, chunk: bytes, chunked: bool) -> tuple[str, int]:
    """Send a body of up to 600 MB, stopping as soon as the server answers; (status line, bytes sent)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(headers.encode())
    sent, answered, total = 0, threading.Event(), 600 * 1024 * 1024

    def push():
        nonlocal sent
        try:
            while sent < total and not answered.is_set():
                piece = b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk
                sock.sendall(piece)
                sent += len(chunk)
        except OSError:
            pass  # the server closed the connection: that is the point

    pusher = threading.Thread(target=push, daemon=True)
    pusher.start()
    status = sock.makefile("rb").readline().decode()
    answered.set()
    pusher.join(timeout=30)
    sock.close()
    return status, sent


@pytest.mark.parametrize("path", ["/proposer", "/gestion/connexion"])
def test_a_600_mb_body_is_refused_without_being_read(make_app, path):
    app = make_app(COMOBI_ADMIN_PASSWORD="secret")
    with serving(app) as url:
        port = int(url.rsplit(":", 1)[1])
        headers = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                   f"Content-Length: {600 * 1024 * 1024}\r\n\r\n")
        status, sent = send_huge_body(port, path, headers, b"a" * 65536, chunked=False)
    assert " 413 " in status
    assert sent < 100 * 1024 * 1024


def test_a_streamed_body_without_length_is_cut_at_the_limit_under_gunicorn(tmp_path):
    sheet = trips_workbook(tmp_path / "classeur.xlsx", [trip_row(id="T0001")])
    instance = instance_file(tmp_path, {"sheet": {"path": str(sheet)}, "outbox": {"path": str(tmp_path / "outbox")},
                                        "security": {"secure_cookies": False}})
    with gunicorn(instance, workers=1) as port:
        headers = ("POST /proposer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n")
        status, sent = send_huge_body(port, "/proposer", headers, b"a" * 65536, chunked=True)
    assert " 413 " in status
    assert sent < 100 * 1024 * 1024
