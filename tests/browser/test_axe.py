"""WCAG 2.1 A and AA, as axe-core sees them in Chromium, on every page in every state."""
import json

import pytest

from tests.browser.states import PAGES
from tests.browser.support import axe_violations

VIEWPORTS = {"telephone": (360, 640), "ordinateur": (1280, 800)}


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=str)
@pytest.mark.parametrize("state", PAGES, ids=str)
def test_no_wcag_violation(open_page, state, viewport):
    page = open_page(*VIEWPORTS[viewport])
    state.reach(page)
    violations = axe_violations(page)
    assert not violations, json.dumps(violations, indent=2, ensure_ascii=False)
