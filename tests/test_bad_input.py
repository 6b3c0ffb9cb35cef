"""Bad input gets a French 4xx, never a 500; dates a person could mean; one use per form display."""
from datetime import date

import pytest

from comobi import rows
from comobi.web import forms
from tests.gestion_support import app_with_password, log_in
from tests.test_forms import OFFER, REQUEST

ODD_VALUES = ["²", "٣𝟙", "\r\n", "a\x00b\x7f", "-1", "99999999999999999999", "31/12/9999", "01/01/0001",
              "29/02/2027", "25h61", "%0d%0a<script>", "x" * 5000, "ﬀİ", "../.."]
PUBLIC_FORMS = {
    "/proposer": OFFER,
    "/demander": REQUEST,
    "/retrait": {"reference": "T7K2QF", "phone": "06 39 98 50 99", "message": "merci"},
}


@pytest.fixture
def clerk(make_app):
    client = app_with_password(make_app).test_client()
    log_in(client)
    return client


def test_a_superscript_row_number_is_no_500(clerk):
    response = clerk.post("/gestion/demandes/D0001/suivi", data={"row": "²", "status": "nouvelle"})
    assert response.status_code < 500  # the row is found by its ID (tests/test_writeback.py)


@pytest.mark.parametrize("target", ["/gestion/\r\nSet-Cookie: x=1", "/gestion/%0d%0a", "/gestion/\x00", "\\\\evil"])
def test_a_line_end_in_the_login_s_next_page_is_a_400(make_app, target):
    client = app_with_password(make_app).test_client()
    for method in ("get", "post"):
        response = getattr(client, method)("/gestion/connexion", query_string={"suite": target},
                                           data={"password": "x"} if method == "post" else None)
        if "\r" in target or "\x00" in target or "\\" in target:
            assert response.status_code == 400
            assert "suite" in response.get_data(as_text=True) and "pas valide" in response.get_data(as_text=True)
        else:
            assert response.status_code < 500


def test_the_login_still_goes_back_to_the_page_asked_for(make_app):
    client = app_with_password(make_app).test_client()
    response = log_in(client, query_string={"suite": "/gestion/demandes/D0001?x=é"})
    assert response.status_code == 302 and "/gestion/demandes/D0001?x=" in response.headers["Location"]


@pytest.mark.parametrize("url", sorted(PUBLIC_FORMS))
def test_odd_values_in_every_public_field_never_give_a_500(make_app, url):
    # Every value goes through the checks; after the first accepted post the hourly limit
    # refuses the others before writing (writing odd text is tests/test_payloads.py's job).
    client = make_app(**{"security.form_rate_limit_per_hour": 1}).test_client()
    base = PUBLIC_FORMS[url]
    for field in list(base) + ["days", "seats", "preferred_contact", "started", "site_web"]:
        for value in ODD_VALUES:
            response = client.post(url, data={**base, field: value})
            assert response.status_code < 500, (url, field, value)
            assert "Traceback" not in response.get_data(as_text=True)


def test_odd_values_in_the_clerk_s_forms_never_give_a_500(clerk):
    # The fields parsed beyond the public forms' (a write per accepted post is slow: few values).
    targets = {"/gestion/demande-telephone": (REQUEST, ["date", "days", "arrival_time", "phone"]),
               "/gestion/trajet-telephone": (OFFER, ["seats", "outbound_time", "preferred_contact"]),
               "/gestion/demandes/D0001/suivi": ({"row": "2", "status": "nouvelle"},
                                                 ["row", "status", "proposed_trip"])}
    for url, (base, fields) in targets.items():
        for field in fields:
            for value in ["²", "٣𝟙", "\r\n", "99999999999999999999", "x" * 5000]:
                response = clerk.post(url, data={**base, field: value})
                assert response.status_code < 500, (url, field, value)


@pytest.mark.parametrize("typed", ["01/01/0001", "31/12/9999", "0001-01-01", "25/12/1999"])
def test_dates_no_one_means_get_a_french_message(client, typed):
    response = client.post("/demander", data={**REQUEST, "date": typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "indiquez une date entre le 01/01/" in page


def test_a_trip_date_is_this_year_to_three_years_ahead(monkeypatch):
    monkeypatch.setattr(forms, "today", lambda: date(2026, 12, 4))
    assert forms.trip_date("01/01/2026") == date(2026, 1, 1)
    assert forms.trip_date("31/12/2029") == date(2029, 12, 31)
    assert forms.trip_date("25/12") == date(2026, 12, 25)  # without a year: the next one
    assert forms.trip_date("02/01") == date(2027, 1, 2)
    for typed in ("31/12/2025", "01/01/2030"):
        with pytest.raises(ValueError, match="entre le 01/01/2026 et le 31/12/2029"):
            forms.trip_date(typed)


def test_every_date_is_written_with_a_four_digit_year():
    assert rows.date_text(date(1, 1, 1)) == "01/01/0001"
    assert rows.date_text(date(2027, 3, 9)) == "09/03/2027"
