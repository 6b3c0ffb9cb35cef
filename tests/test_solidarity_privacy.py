"""Nothing from Bénévoles or Courses reaches the frozen site (freeze, then grep every file)."""
from __future__ import annotations

from comobi import create_app
from comobi.freeze import freeze_site
from comobi.schema import PLACES, REQUESTS, RIDES, TRIPS, VOLUNTEERS
from tests.solidarity_support import ride_row, volunteer_row
from tests.workbooks import trip_row, write_workbook

SMALL = {"SECRET_KEY": "test", "TESTING": True, "sheet.backend": "local", "scope.departements": [],
         "scope.epci": ["200023737"]}  # Grand Cahors: a quick freeze
SECRETS = ["Zéphirine", "Quercynoix", "06 39 98 71 23", "0639987123", "zephirine@example.org", "B7QX2K",
           "C9WWZ3", "Rue des Secrets", "Attendre devant la pharmacie"]


def test_the_frozen_site_holds_nothing_of_volunteers_or_rides(tmp_path):
    volunteer = volunteer_row(id="B7QX2K", first_name="Zéphirine", last_name="Quercynoix", phone="06 39 98 71 23",
                              email="zephirine@example.org", home="Cahors", remarks="Rue des Secrets")
    ride = ride_row(id="C9WWZ3", driver="B7QX2K", date="03/02/2026", notes="Attendre devant la pharmacie",
                    origin="Arcambal")
    sheet = write_workbook(tmp_path / "sheet.xlsx", {
        TRIPS.title: [TRIPS.headers] + [[trip_row(id="T1", Départ="Arcambal").get(h, "") for h in TRIPS.headers]],
        REQUESTS.title: [REQUESTS.headers], PLACES.title: [PLACES.headers],
        VOLUNTEERS.title: [VOLUNTEERS.headers, [volunteer.get(h, "") for h in VOLUNTEERS.headers]],
        RIDES.title: [RIDES.headers, [ride.get(h, "") for h in RIDES.headers]],
    })
    app = create_app({**SMALL, "sheet.path": str(sheet), "outbox.path": str(tmp_path / "outbox")})
    with app.app_context():
        board = app.extensions["comobi.storage"].board()
        assert [v.id for v in board.volunteers] == ["B7QX2K"] and [r.id for r in board.rides] == ["C9WWZ3"]
    site = tmp_path / "site"
    freeze_site(app, site)
    files = [p for p in site.rglob("*") if p.is_file()]
    assert any(p.name == "index.html" for p in files)
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="ignore")
        for secret in SECRETS:
            assert secret not in text, (secret, path)
        if path.suffix == ".html":  # no form on a static site: no link to /benevole either
            assert "benevole" not in text and "Devenir conducteur bénévole" not in text, path
