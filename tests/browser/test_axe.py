"""WCAG 2.1 A and AA, as axe-core sees them in Chromium, on every page in every state.

Each state is checked on a phone's screen, then on a computer's (the window resized: the
page is laid out again, as when a browser window is widened), on the page the other checks
of the state share (tests/browser/reached.py).
"""
import json

import pytest

from tests.browser.reached import show
from tests.browser.states import PAGES
from tests.browser.support import axe_violations

VIEWPORTS = {"telephone": (360, 640), "ordinateur": (1280, 800)}


@pytest.mark.parametrize("state", PAGES, ids=str)
def test_no_wcag_violation(reached, state):
    page = reached(state)
    violations = {}
    for viewport, (width, height) in VIEWPORTS.items():
        show(page, width, height)
        found = axe_violations(page)
        if found:
            violations[viewport] = found
    assert not violations, json.dumps(violations, indent=2, ensure_ascii=False)
