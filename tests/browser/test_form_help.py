"""Forms for people who struggle with forms: labels, a summary of errors that takes the focus and
leads to each field, errors tied to their fields, the right keyboards and autofill."""
import pytest

from tests.browser.states import OFFER, REQUEST

FORMS = {"/proposer": "Proposer ce trajet", "/demander": "Envoyer ma demande"}

# What the browser may fill in and which keyboard a phone shows, field by field.
AUTOFILL = {
    "first_name": {"autocomplete": "given-name", "type": "text"},
    "last_name": {"autocomplete": "family-name", "type": "text"},
    "phone": {"autocomplete": "tel", "inputmode": "tel", "type": "tel"},
    "email": {"autocomplete": "email", "inputmode": "email", "type": "email"},
}

FIELD_ERRORS = """() => [...document.querySelectorAll('[aria-invalid=true], fieldset[aria-describedby]')].map(el => ({
  id: el.id, described: (el.getAttribute('aria-describedby') || '').split(' ').filter(Boolean)
    .map(id => document.getElementById(id))
    .map(message => message && {text: message.textContent.trim(), error: message.classList.contains('error')})
}))"""


def send_empty(open_page, path):
    page = open_page(360, 640)
    page.goto(path)
    page.get_by_role("button", name=FORMS[path]).click()
    page.wait_for_load_state()
    return page


@pytest.mark.parametrize("path", FORMS)
def test_the_error_summary_has_the_focus_and_each_link_leads_to_its_field(open_page, path):
    page = send_empty(open_page, path)
    assert page.evaluate("document.activeElement.id") == "erreurs"
    assert page.locator("#erreurs").get_attribute("role") == "alert"
    links = page.locator("#erreurs a")
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(targets) >= 4, targets
    for target in targets:
        page.locator(f"#erreurs a[href='{target}']").press("Enter")
        focused = page.evaluate("({id: document.activeElement.id, tag: document.activeElement.tagName})")
        assert focused == {"id": target[1:], "tag": "INPUT"}, (target, focused)


@pytest.mark.parametrize("path", FORMS)
def test_each_error_is_tied_to_its_field(open_page, path):
    page = send_empty(open_page, path)
    summary = page.locator("#erreurs a").count()
    tied = page.evaluate(FIELD_ERRORS)
    assert len(tied) == summary, tied  # every field in error is marked, none more
    for field in tied:
        assert field["described"] and all(field["described"]), field  # no dangling aria-describedby
        assert any(message["error"] and message["text"] for message in field["described"]), field


@pytest.mark.parametrize("path", FORMS)
def test_personal_fields_are_autofilled_with_the_right_keyboard(open_page, path):
    page = open_page(360, 640)
    page.goto(path)
    for field, wanted in AUTOFILL.items():
        found = {name: page.locator(f"#{field}").get_attribute(name) for name in wanted}
        found["type"] = page.locator(f"#{field}").evaluate("el => el.type")
        assert found == wanted, field


@pytest.mark.parametrize("path, filled", [("/proposer", OFFER), ("/demander", REQUEST)])
def test_nothing_typed_is_lost_when_the_form_comes_back_with_errors(open_page, path, filled):
    page = open_page(360, 640)
    page.goto(path)
    for field, value in filled.items():
        page.fill(f"#{field}", value)
    page.fill("#phone", "12")
    page.get_by_role("button", name=FORMS[path]).click()
    page.wait_for_load_state()
    assert page.locator("#erreurs").is_visible()
    kept = {field: page.locator(f"#{field}").input_value() for field in filled}
    assert kept == {**filled, "phone": "12"}
