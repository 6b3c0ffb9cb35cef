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

Every view is taken on the State's one page (tests/browser/reached.py), shared with the other
checks: the window resized (and zoomed with ``show``), the text enlarged and then put back.
"""
import json

import pytest

from tests.browser.reached import show
from tests.browser.states import PAGES
from tests.browser.support import MIN_TEXT_PX, layout, screenshot, small_targets, text_sizes

VIEWS = {
    "360": dict(width=360, height=640, scale=1, text=1),
    "zoom-200": dict(width=180, height=320, scale=2, text=1),
    "texte-200": dict(width=360, height=640, scale=1, text=2),
}
# Views checked one after the other on one page: the same screen, then larger text.
ON_ONE_PAGE = {"telephone": ["360", "texte-200"], "zoom-200": ["zoom-200"]}


def enlarge_text(page, factor) -> None:
    page.evaluate("factor => { const html = document.documentElement;"
                  " html.style.fontSize = parseFloat(getComputedStyle(html).fontSize) * factor + 'px'; }", factor)


def text_as_set(page) -> None:
    page.evaluate("document.documentElement.style.fontSize = ''")


@pytest.mark.parametrize("views", ON_ONE_PAGE, ids=str)
@pytest.mark.parametrize("state", PAGES, ids=str)
def test_page_is_comfortable_on_a_small_screen(reached, state, views):
    page = reached(state)
    problems = {}
    try:
        for view in ON_ONE_PAGE[views]:
            seen = VIEWS[view]
            show(page, seen["width"], seen["height"], seen["scale"])
            if seen["text"] != 1:
                enlarge_text(page, seen["text"])
            found = comfort_problems(page)
            screenshot(page, f"{state.name}-{view}")
            if found:
                problems[view] = found
    finally:
        text_as_set(page)
    assert not problems, json.dumps(problems, indent=2, ensure_ascii=False)


def comfort_problems(page) -> dict:
    fit, sizes = layout(page), text_sizes(page)
    problems = {
        "sideways scrolling": fit["scroll_width"] > fit["inner_width"] and fit,
        "outside the screen or cut": fit["problems"],
        "targets under 44 x 44 px": small_targets(page),
        "body text under 18 px": sizes["body"] < MIN_TEXT_PX and sizes["body"],
        "text under 18 px": sizes["small"],
    }
    return {name: found for name, found in problems.items() if found}
