"""The pages as served, Content Security Policy on (no bypass): nothing they need is refused.

The other browser tests bypass the CSP only to inject axe-core; here the browser enforces it,
and any refusal (a style attribute, an inline script, a resource from elsewhere) shows in the console.
"""
import pytest

from tests.browser.states import PAGES

CHECKED = ["accueil", "trajets-resultats", "trajet-numero-affiche", "commune", "commune-imprimer",
           "proposer-erreurs", "retrait", "page-introuvable", "gestion-demandes", "gestion-demande-telephone",
           "gestion-bilan"]
STATES = {state.name: state for state in PAGES}


def csp_messages(page) -> list[str]:
    """Console messages about the CSP, from now on."""
    found = []
    page.on("console",
            lambda message: found.append(message.text) if "Content Security Policy" in message.text else None)
    return found


@pytest.mark.parametrize("name", CHECKED)
def test_the_page_breaks_no_rule_of_its_content_security_policy(open_page, sites, name):
    state = STATES[name]
    page = open_page(360, 640, url=sites[state.site], bypass_csp=False)
    refused = csp_messages(page)
    responses = []
    page.on("response", lambda response: responses.append(response) if response.request.is_navigation_request()
            else None)
    state.reach(page)
    assert responses and all("content-security-policy" in r.headers for r in responses), \
        [(r.url, r.headers.get("content-security-policy")) for r in responses]
    assert refused == []


def test_a_refusal_would_be_seen(open_page, sites):
    page = open_page(360, 640, bypass_csp=False)
    refused = csp_messages(page)
    STATES["accueil"].reach(page)
    with pytest.raises(Exception):  # noqa: B017 - Playwright's error for a refused script has no type of its own
        page.add_script_tag(content="document.body.dataset.ran = 'yes'")
    page.wait_for_timeout(100)
    assert page.evaluate("document.body.dataset.ran") is None
    assert refused and "Content Security Policy" in refused[0], refused
