"""Small screens and large text: no sideways scrolling, nothing cut, 18 px text, 44 px targets.

Three ways of seeing each page:
- ``360``: a common small phone, 360 x 640 CSS px.
- ``zoom-200``: that phone with the browser zoomed to 200 %. Zooming makes each CSS px two
  device px, so the page is laid out in a 180 x 320 CSS px viewport; device_scale_factor 2 keeps
  the screenshot at the phone's 360 device px. This is exactly what page zoom does to layout
  (media queries, percentages and vw all see 180 px), which a root font-size change would not.
- ``texte-200``: 360 x 640 with the text alone twice as big (the root font size doubled), as
  the "font size" settings of phones and browsers do: px-sized things keep their size.

Each page is checked for: no horizontal scrolling, nothing outside the screen or clipped by
its box, text at least 18 px, and targets at least 44 x 44 px (links inside a sentence are
exempt, as in WCAG 2.5.5; see tests/browser/support.py). Screenshots go to
test-artifacts/screenshots/<state>-<view>.png.
"""
import json

import pytest

from tests.browser.states import PAGES
from tests.browser.support import MIN_TEXT_PX, layout, screenshot, small_targets, text_sizes

VIEWS = {
    "360": dict(width=360, height=640, scale=1, text=1),
    "zoom-200": dict(width=180, height=320, scale=2, text=1),
    "texte-200": dict(width=360, height=640, scale=1, text=2),
}


def see(open_page, state, view):
    settings = VIEWS[view]
    page = open_page(settings["width"], settings["height"], settings["scale"])
    state.reach(page)
    if settings["text"] != 1:
        page.evaluate("factor => { const html = document.documentElement;"
                      " html.style.fontSize = parseFloat(getComputedStyle(html).fontSize) * factor + 'px'; }",
                      settings["text"])
    return page


@pytest.mark.parametrize("view", VIEWS, ids=str)
@pytest.mark.parametrize("state", PAGES, ids=str)
def test_page_is_comfortable_on_a_small_screen(open_page, state, view):
    page = see(open_page, state, view)
    screenshot(page, f"{state.name}-{view}")
    fit, sizes = layout(page), text_sizes(page)
    problems = {
        "sideways scrolling": fit["scroll_width"] > fit["inner_width"] and fit,
        "outside the screen or cut": fit["problems"],
        "targets under 44 x 44 px": small_targets(page),
        "body text under 18 px": sizes["body"] < MIN_TEXT_PX and sizes["body"],
        "text under 18 px": sizes["small"],
    }
    problems = {name: found for name, found in problems.items() if found}
    assert not problems, json.dumps(problems, indent=2, ensure_ascii=False)
