"""The cockpit is read-only: every role sees all of it; anonymous visitors are sent to log in."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("role_client", ["viewer_client", "analyst_client", "manager_client"])
def test_every_role_sees_the_whole_cockpit(request, role_client, store):
    client = request.getfixturevalue(role_client)
    html = client.get(reverse("dashboard")).content.decode()
    for name in ("big fire", "likely stockout", "big overstock", "souring", "running job"):
        assert name in html
    assert reverse("content-draft", kwargs={"draft_id": store["older draft"].pk}) in html


def test_the_cockpit_offers_no_form_to_change_anything(viewer_client, store):
    html = viewer_client.get(reverse("dashboard")).content.decode()
    main = html[html.index('<main id="main"') : html.index("</main>")]
    assert "<form" not in main


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
