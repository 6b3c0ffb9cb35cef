"""The one limiter: counts shared by every worker (SQLite file), per client, never reset by a flood."""
import multiprocessing

import pytest

from comobi.ratelimit import SharedCounters, client_key
from comobi.ratelimit_store import SQLiteStorage
from comobi.settings import SettingsError
from tests.test_forms import OFFER

TRIP_WITH_CONTACT = "T0001"


def _hammer(path: str, times: int, results) -> None:
    storage = SQLiteStorage(f"sqlite:///{path}")
    results.extend([storage.incr("k", 3600) for _ in range(times)])


def test_counts_are_atomic_across_processes(tmp_path):
    path = tmp_path / "limits.sqlite3"
    SQLiteStorage(f"sqlite:///{path}")
    with multiprocessing.Manager() as manager:
        results = manager.list()
        workers = [multiprocessing.Process(target=_hammer, args=(str(path), 50, results)) for _ in range(4)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        assert sorted(results) == list(range(1, 201))  # every increment seen once, none lost


def test_a_window_ends_and_a_flood_of_addresses_resets_no_one(tmp_path):
    now = [1_000_000.0]
    counters = SharedCounters("", tmp_path, clock=lambda: now[0])
    for _ in range(3):
        assert counters.hit("form", 3, 3600, "192.0.2.1") == 0
    assert counters.hit("form", 3, 3600, "192.0.2.1") == 3600
    for n in range(10_001):
        counters.hit("form", 3, 3600, f"10.{n // 65536}.{n // 256 % 256}.{n % 256}")
    now[0] += 1800
    assert counters.hit("form", 3, 3600, "192.0.2.1") == 1800  # still counted after 10,001 others
    now[0] += 1800
    assert counters.hit("form", 3, 3600, "192.0.2.1") == 0


def test_the_counts_file_is_for_the_app_s_user_only(tmp_path):
    SharedCounters("", tmp_path).hit("form", 1, 60, "x")
    assert (tmp_path / "limites.sqlite3").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("address, key", [
    ("192.0.2.7", "192.0.2.7"),
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
    ("2001:db8:1:2:ffff:1:2:3", "2001:db8:1:2::/64"),
    ("::ffff:192.0.2.7", "192.0.2.7"),
    ("fe80::1%eth0", "fe80::/64"),
    ("pas une adresse", "pas une adresse"),
    (None, "?"),
])
def test_clients_are_counted_per_ipv4_address_and_per_ipv6_64(address, key):
    assert client_key(address) == key


def contact_app(make_app, **config):
    config.setdefault("security.contact_rate_limit_per_hour", 3)
    return make_app(**config)


def reveal(client, address, **headers):
    return client.post(f"/trajets/{TRIP_WITH_CONTACT}/contact", environ_base={"REMOTE_ADDR": address},
                       headers=headers).status_code


def test_rotating_addresses_inside_one_ipv6_64_is_one_client(make_app):
    client = contact_app(make_app).test_client()
    statuses = [reveal(client, f"2001:db8:7:7::{n:x}") for n in range(1, 7)]
    assert statuses == [200, 200, 200, 429, 429, 429]
    assert reveal(client, "2001:db8:7:8::1") == 200  # the neighbouring /64 is someone else


def test_forwarded_for_is_ignored_from_a_peer_that_is_not_a_proxy(make_app):
    client = contact_app(make_app, **{"security.trusted_proxies": 1}).test_client()
    statuses = [reveal(client, "203.0.113.9", **{"X-Forwarded-For": f"198.51.100.{n}"}) for n in range(6)]
    assert statuses == [200, 200, 200, 429, 429, 429]


def test_forwarded_for_is_believed_from_the_local_proxy_and_from_a_configured_one(make_app):
    app = contact_app(make_app, **{"security.trusted_proxies": 1, "security.proxy_addresses": ["10.1.0.0/16"]})
    client = app.test_client()
    local = [reveal(client, "127.0.0.1", **{"X-Forwarded-For": f"198.51.100.{n}"}) for n in range(5)]
    configured = [reveal(client, "10.1.2.3", **{"X-Forwarded-For": f"198.51.100.{n}"}) for n in range(5, 10)]
    assert local == configured == [200] * 5  # five different visitors behind the proxy
    assert [reveal(client, "127.0.0.1", **{"X-Forwarded-For": "198.51.100.1"}) for _ in range(3)] == [200, 200, 429]


def test_without_trusted_proxies_forwarded_headers_are_dropped_even_from_loopback(make_app):
    client = contact_app(make_app).test_client()
    statuses = [reveal(client, "127.0.0.1", **{"X-Forwarded-For": f"198.51.100.{n}"}) for n in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_reveals_are_capped_for_the_whole_list_across_addresses(make_app):
    client = contact_app(make_app, **{"security.contact_rate_limit_per_hour": 50,
                                      "security.contact_list_limit_per_hour": 4}).test_client()
    statuses = [reveal(client, f"198.51.100.{n}") for n in range(6)]
    assert statuses == [200, 200, 200, 200, 429, 429]
    page = client.post(f"/trajets/{TRIP_WITH_CONTACT}/contact", environ_base={"REMOTE_ADDR": "192.0.2.200"})
    assert "Beaucoup de numéros ont été affichés" in page.get_data(as_text=True)
    assert "06 39 98" not in page.get_data(as_text=True)


def test_two_workers_share_the_form_limit(make_app, tmp_path):
    """Two apps on the same instance folder are two workers of one server."""
    workers = [make_app(**{"security.form_rate_limit_per_hour": 3}).test_client() for _ in range(2)]
    statuses = [workers[n % 2].post("/proposer", data=OFFER).status_code for n in range(6)]
    assert statuses == [303, 303, 303, 429, 429, 429]


def test_the_api_limit_is_shared_and_per_client(make_app):
    workers = [make_app(**{"interop.rate_limit_per_minute": 2}).test_client() for _ in range(2)]
    url = "/api/v1/status"
    statuses = [workers[n % 2].get(url, environ_base={"REMOTE_ADDR": "2001:db8::1"}).status_code for n in range(3)]
    assert statuses[:2] != [429, 429] and statuses[2] == 429
    assert workers[0].get(url, environ_base={"REMOTE_ADDR": "2001:db8::1"}).headers["Retry-After"]
    assert workers[1].get(url, environ_base={"REMOTE_ADDR": "2001:db9::1"}).status_code != 429


@pytest.mark.parametrize("uri", ["redis://127.0.0.1:1/0", "nimportequoi://x"])
def test_an_unusable_storage_stops_the_start_with_a_french_message(make_app, uri):
    with pytest.raises(SettingsError, match="security.rate_limit_storage"):
        make_app(**{"security.rate_limit_storage": uri})


def test_a_memory_storage_works_for_one_process(make_app):
    client = make_app(**{"security.rate_limit_storage": "memory://",
                         "security.contact_rate_limit_per_hour": 1}).test_client()
    assert [reveal(client, "192.0.2.1") for _ in range(2)] == [200, 429]
