"""The pages as served, Content Security Policy on (no bypass): nothing they need is refused.

The pages the other checks share (tests/browser/reached.py) are reached with the CSP enforced
(axe-core comes in through DevTools), and any refusal on the way (a style attribute, an inline
script, a resource from elsewhere) shows in the console.
"""
import pytest

from tests.browser.reached import csp_messages
from tests.browser.states import PAGES

CHECKED = ["accueil", "trajets-resultats", "trajet-numero-affiche", "commune", "commune-imprimer",
           "proposer-erreurs", "retrait", "page-introuvable", "gestion-demandes", "gestion-demande-telephone",
           "gestion-bilan"]
STATES = {state.name: state for state in PAGES}


@pytest.mark.parametrize("state", [STATES[name] for name in CHECKED], ids=str)
def test_the_page_breaks_no_rule_of_its_content_security_policy(reached, state):
    reached(state)
    responses = reached.navigations
    assert responses and all("content-security-policy" in r.headers for r in responses), \
        [(r.url, r.headers.get("content-security-policy")) for r in responses]
    assert reached.refused == []


def test_a_refusal_would_be_seen(open_page, sites):
    page = open_page(360, 640, bypass_csp=False)
    refused = csp_messages(page)
    STATES["accueil"].reach(page)
    with pytest.raises(Exception):  # noqa: B017 - Playwright's error for a refused script has no type of its own
        page.add_script_tag(content="document.body.dataset.ran = 'yes'")
    if not refused:  # events reach Python only while Playwright waits: none can be missed here
        page.wait_for_event("console", predicate=lambda message: "Content Security Policy" in message.text)
    assert page.evaluate("document.body.dataset.ran") is None
    assert refused and "Content Security Policy" in refused[0], refused
