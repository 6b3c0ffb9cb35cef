import pytest

from comobi import create_app
from tests.workbooks import trips_workbook, trip_row


@pytest.fixture
def make_app(tmp_path):
    """An app on a workbook in a temporary folder; CSRF and bot checks off unless asked for."""

    def make(path=None, **config):
        config.setdefault("WTF_CSRF_ENABLED", False)
        config.setdefault("SECRET_KEY", "test")
        config.setdefault("TESTING", True)
        config["sheet.path"] = str(path or tmp_path / "covoiturage.xlsx")
        config.setdefault("sheet.backend", "local")
        config.setdefault("outbox.path", str(tmp_path / "outbox"))
        config.setdefault("mail.path", str(tmp_path / "mail"))
        config.setdefault("sheet.snapshot_path", str(tmp_path / "derniere-lecture.json"))
        # The page that starts a refresh waits for it, as it did before refreshes ran in a
        # thread of their own: tests of the waiting budget set it themselves.
        config.setdefault("sheet.read_wait_seconds", 30.0)
        for key in ("security.min_fill_seconds", "security.form_rate_limit_per_hour",
                    "security.contact_rate_limit_per_hour"):
            config.setdefault(key, 0)  # bot checks are tested on their own (tests/test_abuse.py)
        return create_app(config)

    return make


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
