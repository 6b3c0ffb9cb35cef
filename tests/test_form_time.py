"""No time limit on filling a form: a form opened hours ago is still accepted."""
import re
import time

from itsdangerous.timed import TimestampSigner

from tests.test_forms import OFFER


def test_a_form_opened_ten_hours_ago_is_still_accepted(make_app, monkeypatch):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    ten_hours_ago = int(time.time()) - 10 * 3600
    with monkeypatch.context() as earlier:
        earlier.setattr(TimestampSigner, "get_timestamp", lambda self: ten_hours_ago)
        page = client.get("/proposer").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/proposer", follow_redirects=True, data={**OFFER, "csrf_token": token})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert "votre trajet est enregistré" in response.get_data(as_text=True)
