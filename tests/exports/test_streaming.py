"""Exports stream: CSV as it is produced, workbooks from a temporary file; the rows are read in
chunks, never one query per row and never as one list."""

import pytest
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ProductFactory, StockLevelFactory
from tests.review_pages.factories import analysed_review

from .helpers import csv_rows


@pytest.mark.django_db
def test_csv_is_a_streaming_response_and_excel_a_file_response(viewer_client, merchant):
    ProductFactory(merchant=merchant)
    csv_response = viewer_client.get(reverse("product-export-csv"))
    assert isinstance(csv_response, StreamingHttpResponse)
    assert not isinstance(csv_response, FileResponse)
    xlsx_response = viewer_client.get(reverse("product-export-xlsx"))
    assert isinstance(xlsx_response, FileResponse)
    assert int(xlsx_response["Content-Length"]) > 0
    assert xlsx_response["Content-Disposition"].endswith('.xlsx"')


@pytest.mark.django_db
def test_the_rows_are_read_in_chunks_while_the_response_is_sent(
    viewer_client, merchant, monkeypatch
):
    from django.db.models.query import QuerySet

    for index in range(25):
        StockLevelFactory(product=ProductFactory(merchant=merchant, sku=f"S-{index:02d}"))
    chunk_sizes = []
    iterator = QuerySet.iterator

    def spy(self, chunk_size=None):
        chunk_sizes.append(chunk_size)
        return iterator(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    with CaptureQueriesContext(connection) as before:
        response = viewer_client.get(reverse("product-export-csv"))
    # The view only opens the iterator; the rows are read once the body is sent.
    assert not any('"products_stocklevel"' in query["sql"] for query in before.captured_queries)
    with CaptureQueriesContext(connection) as during:
        assert len(csv_rows(response)) == 26
    assert chunk_sizes == [2000]
    assert any('"products_stocklevel"' in query["sql"] for query in during.captured_queries)


@pytest.mark.django_db
def test_reviews_with_aspects_take_a_fixed_number_of_queries(viewer_client, merchant):
    product = ProductFactory(merchant=merchant)
    for days in range(30):
        analysed_review(product, days_ago=days + 1, aspects=(("quality", "negative"),))
    with CaptureQueriesContext(connection) as queries:
        rows = csv_rows(viewer_client.get(reverse("review-export-csv")))
    assert len(rows) == 31
    assert len(queries) <= 12  # session, user, membership, form choices, rows, aspects


@pytest.mark.django_db
def test_an_htmx_click_is_redirected_to_a_plain_download(viewer_client, merchant):
    url = reverse("product-export-csv") + "?q=kettle&sort=-price"
    response = viewer_client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == url
