"""Every portal page renders for a member and sends anonymous visitors to the login page."""

import pytest
from django.urls import reverse

from tests.factories import ProductFactory, UserFactory

PAGES = [
    "dashboard",
    "product-list",
    "product-detail",
    "review-list",
    "merchant-settings",
    "member-list",
    "password_change",
]


def _url(name, product):
    return reverse(name, kwargs={"product_id": product.pk} if name == "product-detail" else None)


@pytest.fixture
def product(merchant):
    return ProductFactory(merchant=merchant)


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_each_page_renders_for_a_viewer(viewer_client, product, name):
    response = viewer_client.get(_url(name, product))
    assert response.status_code == 200
    assert b"<html lang=" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_each_page_redirects_an_anonymous_visitor_to_the_login_page(client, product, name):
    url = _url(name, product)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["login", "password_reset", "password_reset_done", "password_reset_complete"]
)
def test_the_public_account_pages_render_for_anyone(client, name):
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.django_db
def test_a_user_without_a_merchant_is_told_so_instead_of_seeing_a_page(client):
    client.force_login(UserFactory(username="newcomer"))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 403
    assert b"not a member of a merchant" in response.content


@pytest.mark.django_db
def test_the_navigation_links_every_section(viewer_client):
    html = viewer_client.get(reverse("dashboard")).content.decode()
    assert "soon</span>" not in html
    for name in (
        "product-list",
        "review-list",
        "forecast-plan",
        "crisis-board",
        "import-list",
        "job-list",
        "content-overview",
    ):
        assert f'href="{reverse(name)}"' in html


@pytest.mark.django_db
def test_only_pages_with_charts_load_plotly(owner_client, product):
    assert b"plotly.min.js" in owner_client.get(reverse("dashboard")).content
    assert b"plotly.min.js" not in owner_client.get(reverse("product-list")).content
    assert b"plotly.min.js" not in owner_client.get(reverse("review-list")).content


@pytest.mark.django_db
def test_htmx_requests_carry_the_csrf_token(owner_client):
    html = owner_client.get(reverse("dashboard")).content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in html


@pytest.mark.django_db
def test_logout_is_a_post_form(owner_client):
    html = owner_client.get(reverse("dashboard")).content.decode()
    assert f'<form action="{reverse("logout")}" method="post">' in html
    assert owner_client.post(reverse("logout")).status_code == 302
    assert owner_client.get(reverse("dashboard")).status_code == 302
