"""`/healthz` answers load balancers without a login, a merchant or a database query."""

import pytest


@pytest.mark.django_db
def test_healthz_answers_ok_as_json_without_login(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_only_answers_get(client):
    response = client.post("/healthz")

    assert response.status_code == 405
