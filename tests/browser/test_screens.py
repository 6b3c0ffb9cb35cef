"""What a person notices on a real screen: the number first, numbers in one piece, nothing
jumping after load, the clerk's pages compact, calls distinct from changes to the sheet."""
from __future__ import annotations

import pytest

from tests.browser.reached import show
from tests.browser.states import PAGES

BY_NAME = {state.name: state for state in PAGES}

# Lines a piece of text occupies: the distinct tops of its text's line boxes.
LINES = """element => {
  const range = document.createRange(); range.selectNodeContents(element);
  return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
}"""


def states(*names):
    return [BY_NAME[name] for name in names]


def seen(reached, state, width=360, height=800):
    """The State's page (shared with its other checks), laid out in a ``width`` x ``height`` window."""
    page = reached(state)
    show(page, width, height)
    return page


@pytest.mark.parametrize("state", states("accueil", "proposer", "demander", "trajet-contact-direct", "fige-accueil"),
                         ids=str)
def test_the_service_number_is_on_the_first_screen_of_a_phone(reached, state):
    page = seen(reached, state)
    page.evaluate("window.scrollTo(0, 0)")
    number = page.locator('a[href="tel:0565000000"]').first
    box = number.bounding_box()
    assert box and box["y"] + box["height"] <= 800, box


@pytest.mark.parametrize("state, selector", [
    (BY_NAME["accueil"], 'a[href^="tel:"]'),
    (BY_NAME["trajet-numero-affiche"], '.contact a[href^="tel:"]'),
    (BY_NAME["trajet-email-affiche"], '.contact a[href^="mailto:"] .email-part'),
    (BY_NAME["retrait"], 'a[href^="tel:"]'),
    (BY_NAME["commune-imprimer"], ".big-phone"),
    (BY_NAME["gestion-demandes"], '.reach a[href^="tel:"]'),
    (BY_NAME["gestion-demandes"], '.request a[href^="tel:"]'),
], ids=str)
def test_numbers_and_address_pieces_never_break_across_lines(reached, state, selector):
    page = seen(reached, state)
    found = page.locator(selector)
    assert found.count() > 0
    for index in range(found.count()):
        element = found.nth(index)
        assert element.evaluate(LINES) == 1, (element.inner_text(), state.name)


@pytest.mark.parametrize("path", ["./", "trajets/", "communes/cahors/"])
def test_the_frozen_pages_do_not_move_after_loading(open_page, sites, path):
    page = open_page(360, 800, url=sites["frozen"])
    page.goto(path, wait_until="networkidle")
    page.wait_for_function("document.readyState === 'complete'")
    shifts = page.evaluate("""() => new Promise(done => {
      const seen = [];
      new PerformanceObserver(list => seen.push(...list.getEntries()))
        .observe({type: 'layout-shift', buffered: true});
      requestAnimationFrame(() => requestAnimationFrame(() => done(seen.map(e => e.value))));
    })""")
    assert sum(shifts) < 0.01, shifts
    form = page.locator("#recherche-statique")
    assert form.count() == 0 or form.is_visible()


def test_without_javascript_the_frozen_search_form_stays_out_of_sight(browser, sites):
    context = browser.new_context(viewport={"width": 360, "height": 800}, java_script_enabled=False,
                                  base_url=sites["frozen"])
    try:
        page = context.new_page()
        page.goto("./")
        assert not page.locator("#recherche-statique").is_visible()
        assert page.locator(".by-commune a").is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("state", states("gestion-demandes"), ids=str)
def test_calling_a_driver_does_not_look_like_changing_the_sheet(reached, state):
    page = seen(reached, state)
    style = """e => { const s = getComputedStyle(e);
      return {background: s.backgroundColor, border: s.borderTopWidth, decoration: s.textDecorationLine}; }"""
    call = page.locator('.reach a[href^="tel:"]').first.evaluate(style)
    agreed = page.locator('.quick button[value="trouvée"]').first.evaluate(style)
    assert call["background"] in ("rgba(0, 0, 0, 0)", "transparent") and call["decoration"] == "underline"
    assert agreed["background"] not in ("rgba(0, 0, 0, 0)", "transparent") and agreed["border"] != "0px"


@pytest.mark.parametrize("state", states("gestion-demandes"), ids=str)
def test_the_clerk_s_list_is_compact_on_a_phone(reached, state):
    page = seen(reached, state)
    assert page.locator('nav[aria-label="Menu principal"]').count() == 0
    assert page.locator("footer.site").count() == 0
    heights = page.locator(".candidate").evaluate_all("list => list.map(e => e.getBoundingClientRect().height)")
    assert heights and max(heights) <= 600, heights  # 543 to 720 px before (calls drawn as buttons)


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("state", states("gestion-bilan"), ids=str)
def test_the_bilan_table_is_seen_whole_or_scrolls_in_its_box(reached, state, width):
    page = seen(reached, state, width=width, height=900)
    fit = page.locator("table").first.evaluate("""table => {
      const box = table.closest('.table-scroll'), r = table.getBoundingClientRect();
      return {right: r.right, inner: window.innerWidth, scrolls: box.scrollWidth > box.clientWidth,
              overflow: getComputedStyle(box).overflowX, pageScroll: document.documentElement.scrollWidth};
    }""")
    assert fit["pageScroll"] <= fit["inner"], fit
    if width == 1280:
        assert fit["right"] <= fit["inner"] and not fit["scrolls"], fit
    else:
        assert fit["right"] <= fit["inner"] or (fit["scrolls"] and fit["overflow"] == "auto"), fit
