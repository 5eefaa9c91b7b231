"""Any member may export (viewers too, as they may read the pages); strangers may not."""

import pytest
from django.urls import reverse

NAMES = [
    "product-export-csv",
    "product-export-xlsx",
    "sales-export-csv",
    "sales-export-xlsx",
    "review-export-csv",
    "review-export-xlsx",
    "forecast-export-csv",
    "forecast-export-xlsx",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_a_viewer_may_export(viewer_client, name):
    response = viewer_client.get(reverse(name))
    assert response.status_code == 200
    assert response.streaming


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_an_anonymous_visitor_is_sent_to_the_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_exports_only_answer_get(viewer_client, name):
    assert viewer_client.post(reverse(name)).status_code == 405
