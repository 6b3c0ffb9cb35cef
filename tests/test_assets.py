import re


def test_pages_link_the_stylesheet_by_content_and_it_is_cached_for_a_year(client):
    page = client.get("/").get_data(as_text=True)
    [url] = re.findall(r'href="(/static/style\.css\?v=[0-9a-f]{12})"', page)
    response = client.get(url)
    assert response.status_code == 200
    assert response.cache_control.max_age == 31536000
    assert response.cache_control.immutable and response.cache_control.public


def test_an_unversioned_static_request_is_not_cached_for_a_year(client):
    response = client.get("/static/style.css")
    assert response.status_code == 200
    assert response.cache_control.max_age != 31536000
