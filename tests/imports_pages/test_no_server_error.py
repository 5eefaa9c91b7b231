"""Odd query strings and tampered form posts get a page or a 4xx, never a 500."""

import pytest
from django.urls import reverse

from .factories import ImportBatchFactory

API = "/api/v1"


@pytest.fixture
def batch(merchant):
    return ImportBatchFactory(merchant=merchant)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [{"page": "abc"}, {"page": "-1"}, {"page": "99999"}, {"kind": "<script>"}, {"page": "1" * 40}],
)
def test_odd_query_strings_never_break_a_page(owner_client, batch, params):
    for url in (
        reverse("import-list"),
        reverse("import-new"),
        reverse("import-mapping-list"),
        reverse("import-detail", kwargs={"batch_id": batch.pk}),
        reverse("import-mapping", kwargs={"batch_id": batch.pk}),
    ):
        assert owner_client.get(url, params).status_code == 200, (url, params)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {},
        {"action": "nonsense"},
        {"action": "start", "map_sku": ["a", "b"], "mode": ["x", "y"]},
        {"action": "start", "map_sku": "x" * 100_000, "mode": "valid_rows"},
        {"action": "start", "save_mapping_as": "n" * 500, "mode": "valid_rows"},
        {"action": "start", "date_order": "YMD", "create_unknown_skus": "maybe"},
        {"action": "resniff", "delimiter": "\0", "encoding": "utf-8"},
        {"action": "resniff", "sheet": "s" * 500},
        {"action": "start", "map_order_number": "a\x00b", "mode": "valid_rows"},
    ],
)
def test_tampered_mapping_posts_are_answered_without_a_server_error(owner_client, batch, data):
    response = owner_client.post(reverse("import-mapping", kwargs={"batch_id": batch.pk}), data)
    assert response.status_code in (200, 302, 400), response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"mapping": {"sku": ["a", ["b"]]}},
        {"mapping": {str(i): "x" for i in range(2000)}},
        {"mapping": {"sku": None}, "options": []},
        {"mapping": {}, "options": {"create_unknown_skus": "yes"}},
        {"mapping": {}, "save_mapping_as": ["x"]},
        "just a string",
        None,
    ],
)
def test_tampered_configure_bodies_are_4xx(owner_api, batch, body):
    response = owner_api.post(f"{API}/imports/{batch.pk}/configure/", body, format="json")
    assert 400 <= response.status_code < 500, response.content


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"page": "abc"}, {"page_size": "-4"}, {"kind": "planets"}])
def test_odd_api_list_queries_are_answered_without_a_server_error(owner_api, batch, params):
    for url in (f"{API}/imports/", f"{API}/import-mappings/", f"{API}/imports/{batch.pk}/errors/"):
        assert owner_api.get(url, params).status_code < 500, (url, params)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [
        b"sku,on\x00hand\nDRK-BTL-750-SLV,1\n" + b"KIT-PAN-28-GRY,2\n" * 200,
        b"sku,on_hand\nDRK-BTL-750-SLV,1\x00\n" + b"KIT-PAN-28-GRY,2\n" * 200,
        b"sku,on_hand\n\xff\xfe\x00\x00,1\n",
        "sku,on_hand\n\u202eLTR,1\n".encode(),
    ],
    ids=["nul_in_header", "nul_in_cell", "utf32_bom_junk", "bidi_override"],
)
def test_control_characters_in_a_file_never_break_the_upload(owner_client, content):
    from .support import upload

    response = owner_client.post(
        reverse("import-new"), {"kind": "stock", "file": upload("odd.csv", content)}
    )
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert owner_client.get(response["Location"]).status_code == 200
