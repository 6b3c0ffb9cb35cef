"""The brand colour (instance.toml, [branding] color) on text, links and buttons: readable, per axe.

The contrast arithmetic itself lives with the branding settings (a colour too pale is darkened
until readable on white and on the grey panels); here the browser checks the colours as drawn,
with axe-core's color-contrast rule (WCAG 1.4.3, 4.5:1 for text).
"""
import json
import tomllib
from contextlib import ExitStack

import pytest

from comobi.settings import SETTINGS
from tests.browser.live import live_app_on, serving
from tests.browser.states import PAGES
from tests.browser.support import ROOT, axe_violations

DEFAULT_COLOUR = next(setting.default for setting in SETTINGS if setting.key == "branding.color")
EXAMPLE_COLOUR = tomllib.loads((ROOT / "instance.example.toml").read_text(encoding="utf-8"))["branding"]["color"]
TOO_PALE = "#5fa8e0"  # a light blue: white on it, or it on white, is about 2.5:1

# Pages where the brand colour is on links, buttons, borders and headings' links.
BRANDED = [state for state in PAGES
           if state.name in {"accueil", "trajets", "trajet-contact-direct", "proposer-erreurs", "page-introuvable"}]


@pytest.fixture
def site_in(tmp_path):
    """site_in(colour) -> the URL of the app drawn in that brand colour."""
    with ExitStack() as servers:

        def serve(colour):
            folder = tmp_path / colour.strip("#")
            folder.mkdir()
            return servers.enter_context(serving(live_app_on(folder, **{"branding.color": colour})))

        yield serve


def contrast_problems(open_page, url, forced_colour=None):
    """color-contrast violations per branded page; ``forced_colour`` replaces the app's brand colour as drawn."""
    found = {}
    for state in BRANDED:
        page = open_page(360, 640, url=url)
        state.reach(page)
        if forced_colour:
            page.add_style_tag(content=f":root {{ --brand: {forced_colour} !important; }}")
        found[state.name] = axe_violations(page, rules=["color-contrast"])
    return {name: violations for name, violations in found.items() if violations}


@pytest.mark.parametrize("colour", sorted({DEFAULT_COLOUR, EXAMPLE_COLOUR}))
def test_the_default_brand_colour_is_readable(open_page, site_in, colour):
    problems = contrast_problems(open_page, site_in(colour))
    assert not problems, json.dumps(problems, indent=2, ensure_ascii=False)


def test_a_pale_brand_colour_is_darkened_until_readable(open_page, site_in):
    problems = contrast_problems(open_page, site_in(TOO_PALE))
    assert not problems, json.dumps(problems, indent=2, ensure_ascii=False)


def test_a_pale_brand_colour_drawn_as_it_is_would_be_caught(open_page, base_url):
    problems = contrast_problems(open_page, base_url, forced_colour=TOO_PALE)
    assert set(problems) == {state.name for state in BRANDED}
    failing = {node["target"][0] for violations in problems.values() for v in violations for node in v["nodes"]}
    assert any("button" in target for target in failing), failing
    assert any(target.startswith("a") or " > a" in target for target in failing), failing
