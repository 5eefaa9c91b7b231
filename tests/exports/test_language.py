"""Headers and words are in the user's language, and Chinese text survives the round trip
through the CSV (with its byte-order mark) and the workbook."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import DailySalesFactory, ProductFactory

from .helpers import body, csv_rows, xlsx_rows

TITLE = "不锈钢保温杯 750毫升 · 银色"


@pytest.fixture
def chinese_store(merchant):
    merchant.currency = "CNY"
    merchant.save()
    product = ProductFactory(merchant=merchant, sku="保温杯-1", title=TITLE, category="水杯")
    DailySalesFactory(product=product, date=dt.date(2026, 1, 1), on_promotion=True)
    return product


@pytest.mark.django_db
def test_chinese_text_round_trips_through_csv_and_excel(viewer_client, chinese_store):
    raw = body(viewer_client.get(reverse("product-export-csv")))
    assert raw.startswith(b"\xef\xbb\xbf")  # what makes Excel read the file as UTF-8
    assert TITLE.encode("utf-8") in raw
    header, row = csv_rows(viewer_client.get(reverse("product-export-csv")))
    assert row[:3] == ["保温杯-1", TITLE, "水杯"]
    header, row = xlsx_rows(viewer_client.get(reverse("product-export-xlsx")))
    assert row[:3] == ("保温杯-1", TITLE, "水杯")


@pytest.mark.django_db
def test_headers_and_words_follow_the_users_language(viewer_client, chinese_store):
    chinese = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
    header, row = csv_rows(viewer_client.get(reverse("sales-export-csv"), **chinese))
    assert header[0] == "日期" and "销量" in header
    assert row[-1] == "是"  # "yes", written while the response streams
    header, *_rows = xlsx_rows(viewer_client.get(reverse("product-export-xlsx"), **chinese))
    assert "类目" in header and "标题" in header


@pytest.mark.django_db
def test_money_headers_name_the_merchants_currency(viewer_client, chinese_store):
    header, _row = csv_rows(viewer_client.get(reverse("sales-export-csv")))
    assert "Revenue (CNY)" in header
