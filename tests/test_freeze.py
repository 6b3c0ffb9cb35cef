"""flask freeze: a complete static site whose every link works from a sub-path and from disk."""
from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest

from comobi import create_app
from comobi.freeze import FreezeError, file_path, freeze_site, relative_link, root_prefix
from comobi.schema import REQUESTS, TRIPS
from tests import sitecheck
from tests.workbooks import in_days, read_tab, trip_row, trips_workbook

# One build time for every freeze: two sites frozen a minute apart are otherwise the same.
CONFIG = {"SECRET_KEY": "test", "TESTING": True, "sheet.backend": "local",
          "FREEZE_BUILT_AT": datetime(2026, 1, 5, 9, 0, tzinfo=UTC)}
SMALL = {**CONFIG, "scope.departements": [], "scope.epci": ["200023737"]}  # Grand Cahors: a quick freeze


def frozen(tmp_path, sheet, base=SMALL, **settings):
    app = create_app({**base, "sheet.path": str(sheet), **settings})
    site = tmp_path / "site"
    result = freeze_site(app, site)
    return app, site, result


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo instance, frozen once for the module: (sheet path, site folder, summary)."""
    folder = tmp_path_factory.mktemp("demo")
    _, site, result = frozen(folder, folder / "covoiturage.xlsx", base=CONFIG)
    return folder / "covoiturage.xlsx", site, result


def text_of(site) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in site.rglob("*") if p.suffix in (".html", ".json", ".js"))


def rows_of(sheet, tab):
    header, *rows = read_tab(sheet, tab.title)
    return [dict(zip(header, row)) for row in rows if any(row)]


def phone_forms(phone: str) -> list[str]:
    digits = re.sub(r"\D", "", phone)
    return [phone, digits, "+33" + digits[1:], " ".join(digits[i:i + 2] for i in range(0, 10, 2))]


# --- addresses and files (pure) ---------------------------------------------------------

@pytest.mark.parametrize("url, page, expected", [
    ("/", True, "index.html"),
    ("/trajets", True, "trajets/index.html"),
    ("/trajets/T0001", True, "trajets/T0001/index.html"),
    ("/trajets/page/2", True, "trajets/page/2/index.html"),
    ("/communes/saint-cere/imprimer", True, "communes/saint-cere/imprimer/index.html"),
    ("/trajets.json", False, "trajets.json"),
    ("/static/style.css", False, "static/style.css"),
    ("/trajets/T%C3%A9", True, "trajets/Té/index.html"),
])
def test_file_path(url, page, expected):
    assert file_path(url, page) == expected


def test_relative_links_between_files():
    assert relative_link("trajets/T1/index.html", "trajets/T2/index.html") == "../T2/index.html"
    assert relative_link("index.html", "trajets/index.html") == "trajets/index.html"
    assert relative_link("communes/x/imprimer/index.html", "static/print.css") == "../../../static/print.css"
    assert relative_link("index.html", "contact/index.html", "proposer") == "contact/index.html#proposer"
    assert relative_link("trajets/index.html", "trajets/A B/index.html") == "A%20B/index.html"
    assert root_prefix("index.html") == "" and root_prefix("trajets/T1/index.html") == "../../"


# --- the demo, frozen -------------------------------------------------------------------

def test_the_site_has_every_page(demo):
    sheet, site, result = demo
    listed = [r for r in rows_of(sheet, TRIPS) if r["Statut"] == "publié"]
    for name in ("index.html", "404.html", "trajets/index.html", "trajets.json", "brand.css", "recherche.js",
                 "static/style.css", "static/search.js", "static/print.css", "communes/index.html",
                 "contact/index.html", "mentions-legales/index.html", "donnees-personnelles/index.html",
                 "communes/cahors/index.html", "communes/cahors/imprimer/index.html"):
        assert (site / name).is_file(), name
    for row in listed:
        assert (site / "trajets" / row["ID"] / "index.html").is_file(), row["ID"]
    assert result["trips"] == len(listed)
    assert result["pages"] == len(list(site.rglob("*.html")))
    assert result["bytes"] > 0


def test_every_page_of_the_list_is_frozen(tmp_path):
    sheet = trips_workbook(tmp_path / "many.xlsx", [trip_row(id=f"T{n:03d}", **{"Heure retour": ""})
                                                    for n in range(45)])
    _, site, _ = frozen(tmp_path, sheet)
    assert (site / "trajets/page/2/index.html").is_file() and (site / "trajets/page/3/index.html").is_file()
    assert not (site / "trajets/page/4").exists()
    first = (site / "trajets/index.html").read_text()
    assert 'href="page/2/index.html"' in first and "?page=" not in text_of(site)
    second = (site / "trajets/page/2/index.html").read_text()
    assert 'href="../../index.html" rel="prev"' in second and 'href="../3/index.html" rel="next"' in second


def test_every_internal_link_resolves_from_disk(demo):
    _, site, _ = demo
    checked = broken = 0
    for page, link in sitecheck.links(site):
        if sitecheck.is_internal(link) and page != "404.html":
            checked += 1
            if sitecheck.resolve_on_disk(site, page, link) is None:
                broken += 1
                print("broken from disk:", page, link)
    assert checked > 1000 and broken == 0


def test_every_internal_link_resolves_when_served_from_a_sub_path(demo):
    _, site, _ = demo
    broken = [(page, link) for page, link in sitecheck.links(site)
              if sitecheck.is_internal(link) and sitecheck.resolve_on_host(site, page, link) is None]
    assert broken == []


def test_live_addresses_printed_on_flyers_work_on_the_static_host(demo):
    _, site, _ = demo
    root = sitecheck.HOST_ROOT
    for address in ("trajets/T0001", "trajets/T0001/", "trajets", "communes/cahors", "communes/cahors/imprimer",
                    "trajets.json", ""):
        assert sitecheck.host_file(site, root + address) is not None, address


def test_the_json_links_to_frozen_pages(demo):
    _, site, _ = demo
    data = json.loads((site / "trajets.json").read_text())
    assert data["nombre"] == len(data["trajets"]) > 0
    for trip in data["trajets"]:
        assert (site / trip["url"]).is_file()


def test_the_search_index_names_frozen_pages(demo):
    _, site, _ = demo
    text = (site / "recherche.js").read_text()
    index = json.loads(text.removeprefix("window.comobiSearchIndex = ").rstrip().rstrip(";"))
    assert index["communes"] and index["trajets"]
    assert index["reglages"] == {"detour": 1.8, "proche_km": 5.0}
    before, after = index["page_commune"]
    with_page = [slug for _, _, _, slug in index["communes"] if slug]
    assert with_page
    for slug in with_page:
        assert (site / f"{before}{slug}{after}").is_file()
    before, after = index["page_trajet"]
    for trip_id, start, end, *_ in index["trajets"]:
        assert (site / f"{before}{trip_id}{after}").is_file()
        assert index["communes"][start][3] and index["communes"][end][3]  # a trip's ends have a page


def test_the_search_index_grows_with_the_trips_not_with_communes_times_trips(tmp_path):
    """One entry per listed trip (return leg included), each commune once."""
    trips = [trip_row(id=f"T{n}", Départ="Cahors", Arrivée="Arcambal") for n in range(30)]
    trips += [trip_row(id="T1/2"), trip_row(id="X", Statut="archivé")]  # an unsafe ID: skipped (rows.SAFE_ID)
    _, site, _ = frozen(tmp_path, trips_workbook(tmp_path / "s.xlsx", trips))
    index = json.loads((site / "recherche.js").read_text().removeprefix("window.comobiSearchIndex = ").rstrip()
                       .rstrip(";"))
    assert [t[0] for t in index["trajets"]] == [f"T{n}" for n in range(30)]
    assert index["trajets"][0][3:] == [510, 720, 9, ""]  # 8h30, 12h, lundi + jeudi, no date
    assert index["jours"] == {"9": "lundi et jeudi"}
    names = [c[0] for c in index["communes"]]
    assert len(names) == len(set(names)) and "Cahors" in names and "Limogne-en-Quercy" not in names  # T1/2 skipped
    assert "pages" not in index  # every ID is an address (rows.SAFE_ID): no exceptions to list


def test_nothing_from_demandes_is_published(demo):
    sheet, site, _ = demo
    text = text_of(site)
    requests = rows_of(sheet, REQUESTS)
    trip_cells = " ".join(str(v) for row in rows_of(sheet, TRIPS) for v in row.values())
    assert requests
    for row in requests:
        for phone in phone_forms(row["Téléphone"]):
            assert phone not in text
        assert row["ID"] not in text
        assert f"{row['Prénom']} {row['Nom']}" not in text
        if row["Motif"] not in trip_cells:  # "Marché" is also a driver's remark
            assert row["Motif"] not in text


def test_no_contact_detail_of_a_driver_who_did_not_consent(demo):
    sheet, site, _ = demo
    text = text_of(site)
    trips = rows_of(sheet, TRIPS)
    private = [r for r in trips if r["Contact direct"] != "Oui"]
    assert private
    for row in private:
        for phone in phone_forms(row["Téléphone"]):
            assert phone not in text, row["ID"]
        assert row["E-mail"] not in text
    for row in trips:
        assert f"{row['Prénom']} {row['Nom']}" not in text  # alias only: "Josette L."


def test_a_sheet_with_a_non_consenting_driver_hides_the_phone_everywhere(tmp_path):
    sheet = trips_workbook(tmp_path / "s.xlsx", [
        trip_row(id="T1", **{"Contact direct": "Non", "Téléphone": "06 39 98 77 66", "E-mail": "cachee@example.org"}),
        trip_row(id="T2", **{"Contact direct": "Oui", "Téléphone": "06 39 98 11 22", "Prénom": "Ana"}),
    ])
    _, site, _ = frozen(tmp_path, sheet)
    text = text_of(site)
    for phone in phone_forms("06 39 98 77 66"):
        assert phone not in text
    assert "cachee@example.org" not in text
    # Even with consent, a number in a static file could be scraped: the service relays.
    consenting = (site / "trajets/T2/index.html").read_text()
    assert "06 39 98 11 22" not in text and "Ana" in consenting and "05 65 00 00 00" in consenting


def test_static_pages_hold_no_dead_form_and_no_inline_code(demo):
    _, site, _ = demo
    for page in site.rglob("*.html"):
        html = page.read_text()
        assert 'method="post"' not in html.lower(), page
        assert "<style" not in html and " style=" not in html, page
        for script in re.findall(r"<script[^>]*>", html):
            assert "src=" in script, page
        assert 'action="' not in html, page  # every form is driven by search.js, hidden without it
    home = (site / "index.html").read_text()
    # Shown from the start (no jump when search.js runs); without JavaScript noscript.css hides it.
    assert 'id="recherche-statique" data-root' in home
    assert '<noscript><link rel="stylesheet" href="static/noscript.css"></noscript>' in home
    assert ".static-search form.search { display: none; }" in (site / "static/noscript.css").read_text()
    assert 'href="communes/index.html"' in home
    assert 'data-index="recherche.js"' in home and '<script src="recherche.js"' not in home  # fetched on search
    assert '<script src="static/search.js" defer></script>' in home


def test_offer_and_request_lead_to_the_contact_page_without_a_live_site(demo):
    _, site, _ = demo
    home = (site / "index.html").read_text()
    assert 'href="contact/index.html#proposer">Proposer un trajet' in home
    assert 'href="contact/index.html#demander">Demander un trajet' in home
    contact = (site / "contact/index.html").read_text()
    assert 'id="proposer"' in contact and 'id="demander"' in contact and "05 65 00 00 00" in contact
    assert "en ligne</a>" not in contact  # nothing online to send it to


def test_offer_and_request_lead_to_the_live_site_when_there_is_one(tmp_path):
    sheet = trips_workbook(tmp_path / "s.xlsx", [trip_row(id="T1", **{"Contact direct": "Non"})])
    _, site, _ = frozen(tmp_path, sheet, **{"service.url": "https://covoit.example.fr/"})
    home = (site / "index.html").read_text()
    assert 'href="https://covoit.example.fr/proposer"' in home
    assert 'href="https://covoit.example.fr/demander"' in home
    trip = (site / "trajets/T1/index.html").read_text()
    assert 'href="https://covoit.example.fr/demander?depart=Limogne-en-Quercy&amp;arrivee=Cahors"' in trip


def test_offer_and_request_lead_to_external_forms_when_configured(tmp_path):
    sheet = trips_workbook(tmp_path / "s.xlsx", [trip_row(id="T1")])
    _, site, _ = frozen(tmp_path, sheet, **{"service.offer_form_url": "https://forms.example/offre",
                                            "service.request_form_url": "https://forms.example/demande"})
    home = (site / "index.html").read_text()
    assert 'href="https://forms.example/offre"' in home and 'href="https://forms.example/demande"' in home


def test_the_404_page_uses_absolute_links_when_the_address_is_known(tmp_path):
    sheet = trips_workbook(tmp_path / "s.xlsx", [trip_row(id="T1")])
    app = create_app({**SMALL, "sheet.path": str(sheet)})
    site = tmp_path / "site"
    freeze_site(app, site, base_url="https://territoire.github.io/covoiturage/")
    page = (site / "404.html").read_text()
    assert "Page introuvable" in page
    assert 'href="https://territoire.github.io/covoiturage/static/style.css"' in page
    assert 'href="https://territoire.github.io/covoiturage/index.html"' in page
    data = json.loads((site / "trajets.json").read_text())
    assert data["trajets"][0]["url"] == "https://territoire.github.io/covoiturage/trajets/T1/index.html"


def test_freezing_again_removes_trips_that_are_gone(tmp_path):
    sheet = tmp_path / "s.xlsx"
    trips_workbook(sheet, [trip_row(id="T1"), trip_row(id="T2", Date=in_days(3), Jours="")])
    app, site, _ = frozen(tmp_path, sheet)
    assert (site / "trajets/T2/index.html").is_file()
    trips_workbook(sheet, [trip_row(id="T1"), trip_row(id="T2", Statut="archivé")])
    freeze_site(app, site)
    assert not (site / "trajets/T2").exists() and (site / "trajets/T1/index.html").is_file()


def test_refuses_to_empty_a_folder_that_is_not_a_frozen_site(tmp_path):
    sheet = trips_workbook(tmp_path / "s.xlsx", [trip_row(id="T1")])
    app = create_app({**SMALL, "sheet.path": str(sheet)})
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "lettre.odt").write_text("garder")
    with pytest.raises(FreezeError, match="pas vide"):
        freeze_site(app, precious)
    assert (precious / "lettre.odt").read_text() == "garder"


def test_an_unreadable_sheet_is_a_clear_error(tmp_path):
    sheet = tmp_path / "s.xlsx"
    sheet.write_text("pas un classeur")
    app = create_app({**SMALL, "sheet.path": str(sheet)})
    with pytest.raises(FreezeError, match="tableur"):
        freeze_site(app, tmp_path / "site")


def test_the_command_prints_a_summary(tmp_path):
    sheet = trips_workbook(tmp_path / "s.xlsx", [trip_row(id="T1"), trip_row(id="T2")])
    app = create_app({**SMALL, "sheet.path": str(sheet)})
    result = app.test_cli_runner().invoke(args=["freeze", "--destination", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert re.search(r"\d+ pages, 2 trajets, \d+ communes, \d+ fichiers, \d+ Ko, en [\d.]+ s\.", result.output)
    assert (tmp_path / "out/trajets/T2/index.html").is_file()
    bad = app.test_cli_runner().invoke(args=["freeze", "--destination", str(tmp_path / "o2"), "--base-url", "x"])
    assert bad.exit_code != 0 and "https://" in bad.output


def test_the_live_app_is_unchanged_by_freezing(tmp_path):
    sheet = trips_workbook(tmp_path / "s.xlsx", [trip_row(id=f"T{n}") for n in range(25)])
    app = create_app({**SMALL, "sheet.path": str(sheet)})
    freeze_site(app, tmp_path / "site")
    client = app.test_client()
    home = client.get("/").get_data(as_text=True)
    assert 'action="/trajets"' in home and 'href="/proposer"' in home and "recherche-statique" not in home
    page = client.get("/trajets").get_data(as_text=True)
    assert 'href="/trajets?page=2"' in page
    assert client.get("/trajets/T1").status_code == 200


def test_a_trip_id_that_cannot_be_an_address_does_not_stop_the_freeze(tmp_path):
    sheet = trips_workbook(tmp_path / "s.xlsx", [trip_row(id="T1/2"), trip_row(id="T 3"), trip_row(id="été?#4"),
                                                 trip_row(id="T4")])
    app = create_app({**SMALL, "sheet.path": str(sheet)})
    result = app.test_cli_runner().invoke(args=["freeze", "--destination", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    site = tmp_path / "site"
    assert [p.name for p in (site / "trajets").iterdir() if p.is_dir()] == ["T4"]  # the others are skipped
    check = app.test_cli_runner().invoke(args=["sheet", "check"]).output
    assert "identifiant « T1/2 » refusé" in check and "identifiant « été?#4 » refusé" in check
    broken = [(page, link) for page, link in sitecheck.links(site) if sitecheck.is_internal(link)
              and (sitecheck.resolve_on_disk(site, page, link) is None or
                   sitecheck.resolve_on_host(site, page, link) is None) and page != "404.html"]
    assert broken == []


def files_of(site) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_several_workers_write_the_same_site_as_one(tmp_path, demo):
    sheet, site, _ = demo
    app = create_app({**CONFIG, "sheet.path": str(sheet)})
    result = freeze_site(app, tmp_path / "shared", workers=3)
    assert files_of(tmp_path / "shared") == files_of(site)
    assert result["pages"] == demo[2]["pages"]


def test_several_workers_remove_what_is_gone(tmp_path):
    sheet = trips_workbook(tmp_path / "s.xlsx", [trip_row(id="T1"), trip_row(id="T2")])
    app = create_app({**SMALL, "sheet.path": str(sheet)})
    freeze_site(app, tmp_path / "site", workers=2)
    trips_workbook(sheet, [trip_row(id="T1")])
    freeze_site(create_app({**SMALL, "sheet.path": str(sheet)}), tmp_path / "site", workers=2)
    assert (tmp_path / "site/trajets/T1/index.html").is_file()
    assert not (tmp_path / "site/trajets/T2").exists()


def test_a_busy_commune_links_to_the_search_of_the_frozen_site_or_the_live_one(tmp_path):
    sheet = trips_workbook(tmp_path / "s.xlsx", [trip_row(id=f"T{n}") for n in range(22)])
    _, site, _ = frozen(tmp_path, sheet)
    page = (site / "communes/cahors/index.html").read_text()
    assert 'href="../../trajets/index.html?arrivee=Cahors">Voir tous les trajets vers Cahors' in page
    _, site, _ = frozen(tmp_path / "live", sheet, **{"service.url": "https://covoiturage.example.fr"})
    page = (site / "communes/cahors/index.html").read_text()
    assert 'href="https://covoiturage.example.fr/trajets?arrivee=Cahors"' in page
