"""Each State reached once for all the checks that look at it (axe, CSP, layout, screens).

``Reached(browser, sites)(state)`` gives the page of ``state``, reached in a fresh context
at 360 x 640, its Content Security Policy on, the first time it is asked for; later checks
of the same State get the same page (``refused`` and ``navigations`` say what the reaching
met). Only the last State's page is kept open: ``group_by_state`` orders the tests so that
those looking at one State follow each other. A check sets the view it needs with ``show``
and undoes what it changes in the page (see test_layout.py's larger text).
"""
from __future__ import annotations

import base64

import pytest

from tests.browser.states import State

FIRST_VIEW = {"width": 360, "height": 640}


class Reached:
    def __init__(self, browser, sites):
        self.browser = browser
        self.sites = sites
        self.state: State | None = None
        self.page = None
        self.context = None
        self.refused: list[str] = []  # the console's complaints about the CSP while the State was reached
        self.navigations: list = []  # the responses to the pages loaded on the way

    def __call__(self, state: State):
        if state != self.state:
            self.close()
            self.context = self.browser.new_context(viewport=FIRST_VIEW, device_scale_factor=1, locale="fr-FR",
                                                    base_url=self.sites[state.site])
            self.context.set_default_timeout(10_000)
            page = self.context.new_page()
            refused, navigations = csp_messages(page), []
            page.on("response", lambda response: navigations.append(response)
                    if response.request.is_navigation_request() else None)
            state.reach(page)  # an assertion failing here fails the check that asked first, and the next ones
            self.state, self.page = state, page
            self.refused, self.navigations = list(refused), list(navigations)
        return self.page

    def close(self) -> None:
        if self.context is not None:
            self.context.close()
        self.state = self.page = self.context = None


def csp_messages(page) -> list[str]:
    """Console messages about the Content Security Policy, from now on."""
    found: list[str] = []
    page.on("console",
            lambda message: found.append(message.text) if "Content Security Policy" in message.text else None)
    return found


def show(page, width: int, height: int, scale: int = 1) -> None:
    """Lay the page out again in a ``width`` x ``height`` CSS px window, ``scale`` device px per CSS px
    (2: the browser zoomed to 200 %, as a context made with device_scale_factor=2)."""
    if getattr(page, "_comobi_scaled", False):  # back to Playwright's own emulation (scale 1)
        _devtools(page).send("Emulation.clearDeviceMetricsOverride")
        page._comobi_scaled = False
        page.set_viewport_size({"width": width, "height": height + 1})  # Playwright sends changes only
    page.set_viewport_size({"width": width, "height": height})
    if scale != 1:
        _devtools(page).send("Emulation.setDeviceMetricsOverride",
                             {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": False})
        page._comobi_scaled = True
    shown = page.evaluate("[innerWidth, innerHeight, devicePixelRatio]")
    assert shown == [width, height, scale], shown


def full_page_png(page) -> bytes:
    """The whole page in device px (Playwright's full-page screenshot would reset a zoom set by ``show``)."""
    if not getattr(page, "_comobi_scaled", False):
        return page.screenshot(full_page=True)
    width, height = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    shot = _devtools(page).send("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
    return base64.b64decode(shot["data"])


def _devtools(page):
    if getattr(page, "_comobi_devtools", None) is None:
        page._comobi_devtools = page.context.new_cdp_session(page)
    return page._comobi_devtools


def group_by_state(items) -> None:
    """Tests taking a ``state`` parameter run next to the others on the same State (in order of
    first appearance), so that each State is reached once; other tests keep their place. With
    pytest-xdist's ``--dist loadgroup`` a State's tests also stay on one process."""
    groups: dict[object, list] = {}
    for item in items:
        callspec = getattr(item, "callspec", None)
        state = callspec.params.get("state") if callspec else None
        key = state.name if isinstance(state, State) else id(item)
        if isinstance(state, State):
            item.add_marker(pytest.mark.xdist_group(f"state-{state.name}"))
        groups.setdefault(key, []).append(item)
    items[:] = [item for group in groups.values() for item in group]
