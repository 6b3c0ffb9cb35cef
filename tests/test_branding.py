"""Branding from instance.toml: readable colour, logo and partners, legal pages, sheet check."""
from __future__ import annotations

import logging

import openpyxl
import pytest

from comobi.branding import contrast_ratio, darken_until_readable, readable_brand_colour
from comobi.checks import instance_warnings
from comobi.schema import TABS
from comobi.settings import load


@pytest.mark.parametrize("colour, expected", [
    ("#000000", 21.0), ("#ffffff", 1.0), ("#fff", 1.0), ("#767676", 4.54), ("#777777", 4.48), ("#005a8c", 7.39),
])
def test_contrast_ratio_against_white(colour, expected):
    assert contrast_ratio(colour) == pytest.approx(expected, abs=0.01)


def test_a_readable_colour_is_kept():
    assert readable_brand_colour("#005A8C") == ("#005a8c", "")


def test_a_pale_colour_is_darkened_and_reported():
    colour, warning = readable_brand_colour("#ffcc00")
    assert contrast_ratio(colour) >= 4.5
    assert colour != "#ffcc00" and "trop claire" in warning and "1.4:1" in warning
    assert darken_until_readable("#ffcc00") == colour


def test_a_colour_that_is_not_one_falls_back_to_the_default():
    colour, warning = readable_brand_colour("bleu")
    assert colour == "#005a8c" and "bleu" in warning


def test_the_pages_use_the_readable_colour_and_the_log_says_why(make_app, caplog):
    with caplog.at_level(logging.WARNING):
        app = make_app(**{"branding.color": "#ffff00"})
    assert "trop claire" in caplog.text
    css = app.test_client().get("/brand.css")
    assert css.mimetype == "text/css"
    colour = css.get_data(as_text=True).split("--brand: ")[1].split(";")[0]
    assert contrast_ratio(colour) >= 4.5


def test_no_inline_style_in_the_pages(client):
    html = client.get("/").get_data(as_text=True)
    assert "<style" not in html and " style=" not in html
    assert '<link rel="stylesheet" href="/brand.css?v=' in html


def test_logo_and_partners_from_the_instance(make_app):
    app = make_app(**{"branding.logo": "/static/logo.png", "branding.partners": [
        {"name": "Département du Lot", "logo": "https://lot.example/logo.png", "url": "https://lot.example"},
        {"name": "Mairie de Gramat", "url": "https://gramat.example"},
    ]})
    html = app.test_client().get("/").get_data(as_text=True)
    assert '<img src="/static/logo.png"' in html
    assert '<img src="https://lot.example/logo.png" alt="Département du Lot"' in html
    assert 'href="https://gramat.example"' in html and "Mairie de Gramat" in html


def test_legal_pages_are_linked_from_the_footer(make_app):
    client = make_app(**{"legal.controller": "CC du Causse", "legal.publisher": "Mme la Présidente",
                         "legal.host": "OVH, Roubaix", "service.email": "covoit@cc-causse.fr"}).test_client()
    home = client.get("/").get_data(as_text=True)
    assert 'href="/mentions-legales"' in home and 'href="/donnees-personnelles"' in home
    legal = client.get("/mentions-legales").get_data(as_text=True)
    assert "Mme la Présidente" in legal and "OVH, Roubaix" in legal
    privacy = client.get("/donnees-personnelles").get_data(as_text=True)
    for text in ("CC du Causse", "effacés", "covoit@cc-causse.fr", "05 65 00 00 00", "CNIL"):
        assert text in privacy


def test_instance_warnings(tmp_path):
    settings = load()
    settings.update({"branding.color": "#eeeeee", "service.url": "covoit.fr", "branding.logo": "/static/absent.png",
                     "branding.partners": [{"logo": "x.png"}], "service.phone": ""})
    text = "\n".join(instance_warnings(settings, tmp_path))
    for part in ("trop claire", "service.url", "absent.png", "partenaire n° 1", "service.phone", "legal.controller"):
        assert part in text
    (tmp_path / "logo.png").write_bytes(b"png")
    settings = load()
    settings.update({"branding.logo": "/static/logo.png", "legal.controller": "CC du Causse"})
    assert instance_warnings(settings, tmp_path) == []


def test_sheet_check_reports_the_settings(make_app):
    app = make_app(**{"branding.color": "#f0f0f0"})
    result = app.test_cli_runner().invoke(args=["sheet", "check"])
    assert "Attention" in result.output and "trop claire" in result.output
    assert "Tout est en ordre" not in result.output


def test_sheet_template_writes_every_tab(make_app, tmp_path):
    target = tmp_path / "modele.xlsx"
    runner = make_app().test_cli_runner()
    result = runner.invoke(args=["sheet", "template", str(target)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == [tab.title for tab in TABS]
    for tab in TABS:
        rows = list(book[tab.title].iter_rows(values_only=True))
        assert list(rows[0]) == tab.headers and len(rows) == 1
    again = runner.invoke(args=["sheet", "template", str(target)])
    assert again.exit_code != 0 and "existe déjà" in again.output
