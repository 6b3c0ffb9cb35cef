import pytest

from comobi import create_app
from comobi.settings import EXAMPLE_FILE
from tests.shared_setup import SharedBytecode, copy_workbook, demo_workbook, share_url_builders
from tests.workbooks import trip_row, trips_workbook

share_url_builders()  # every app of the test process reuses the URL builders of the first


def _instance_copy(folder) -> str:
    """The example instance file with its "instance/..." paths moved into ``folder``."""
    text = EXAMPLE_FILE.read_text(encoding="utf-8")
    copy = folder / "instance-test.toml"
    copy.write_text(text.replace('"instance/', f'"{folder.as_posix()}/instance/'), encoding="utf-8")
    return str(copy)


@pytest.fixture(scope="session", autouse=True)
def session_instance_in_tmp(tmp_path_factory):
    """The same for apps made by module- or session-scoped fixtures (before any test's own)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COMOBI_INSTANCE", _instance_copy(tmp_path_factory.mktemp("instance")))
        yield


@pytest.fixture(autouse=True)
def instance_in_tmp(tmp_path_factory, monkeypatch):
    """Apps made without explicit paths keep their workbook, outbox and last read in a folder
    of their own, not in the project's instance/ (tests run side by side, `-n 2`): a copy of
    the example instance file (beside tmp_path, which some tests list)."""
    monkeypatch.setenv("COMOBI_INSTANCE", _instance_copy(tmp_path_factory.mktemp("instance")))


@pytest.fixture(scope="session")
def demo_workbook_file(tmp_path_factory):
    """The demo workbook, made once per session: copy it (tests must not write to it)."""
    return demo_workbook(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="session")
def compiled_templates():
    return SharedBytecode()


@pytest.fixture
def make_app(tmp_path, demo_workbook_file, compiled_templates):
    """An app on a workbook in a temporary folder; CSRF and bot checks off unless asked for."""

    def make(path=None, **config):
        config.setdefault("WTF_CSRF_ENABLED", False)
        config.setdefault("SECRET_KEY", "test")
        config.setdefault("TESTING", True)
        if path is None:
            path = tmp_path / "covoiturage.xlsx"
            if not path.exists():  # the demo workbook, as the app would make it
                copy_workbook(demo_workbook_file, path)
        config["sheet.path"] = str(path)
        config.setdefault("sheet.backend", "local")
        config.setdefault("outbox.path", str(tmp_path / "outbox"))
        config.setdefault("mail.path", str(tmp_path / "mail"))
        config.setdefault("sheet.snapshot_path", str(tmp_path / "derniere-lecture.json"))
        # The page that starts a refresh waits for it, as it did before refreshes ran in a
        # thread of their own: tests of the waiting budget set it themselves.
        config.setdefault("sheet.read_wait_seconds", 30.0)
        for key in ("security.min_fill_seconds", "security.form_rate_limit_per_hour",
                    "security.contact_rate_limit_per_hour"):
            config.setdefault(key, 0)  # bot checks are tested on their own (tests/test_security.py)
        app = create_app(config)
        app.jinja_env.bytecode_cache = compiled_templates
        _backoff_not_slept(app)
        return app

    return make


def _backoff_not_slept(app) -> None:
    """The Google client's back-off after a 429 is recorded, not slept (the Sheets stand-in's
    faults do not depend on time); tests of the back-off itself build their client."""
    http = getattr(app.extensions["comobi.storage"].spreadsheet, "http", None)
    if http is not None and hasattr(http, "sleep"):
        backoffs: list[float] = []
        http.sleep = backoffs.append


@pytest.fixture
def app(make_app):
    """The app on the demo workbook."""
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def sheet_path(tmp_path):
    return tmp_path / "sheet.xlsx"


@pytest.fixture
def board_client(make_app, sheet_path):
    """A client on a workbook holding the given trips: board_client([trip_row(...)])."""

    def make(trips, **kwargs):
        trips_workbook(sheet_path, trips, **kwargs)
        return make_app(sheet_path).test_client()

    return make


__all__ = ["trip_row"]


# Tests that take seconds on their own: `-m "not slow"` leaves them out while working.
SLOW_MODULES = {"test_standard_schemathesis.py", "test_first_start.py", "test_deploy_server.py",
                "test_bench_smoke.py", "test_deploy_publish.py"}
SLOW_TESTS = {"test_200_offers_with_one_request_in_three_failing",
              "test_thousand_page_views_in_one_period_read_each_tab_once",
              "test_50_simultaneous_submissions_through_a_live_server",
              "test_a_hundred_offers_at_once_over_four_workers_land_once_each_with_a_worker_killed",
              "test_twenty_offers_five_requests_five_follow_ups_through_http",
              "test_a_workbook_saved_by_libreoffice_keeps_its_values_after_the_apps_writes",
              "test_with_the_smtp_server_down_50_posts_succeed_and_every_mail_arrives_once"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = item.path
        if "browser" in path.parts[-3:-1]:
            item.add_marker(pytest.mark.browser)
        if path.name in SLOW_MODULES or item.originalname in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)
    # The slow ones first: pytest-xdist hands tests out in this order, and a long test handed
    # out last would keep one process busy while the other has nothing left to do.
    items[:] = [item for item in items if item.get_closest_marker("slow")] + \
               [item for item in items if not item.get_closest_marker("slow")]
