"""Dates, numbers and money follow the merchant's store: its currency symbol, its time zone,
and the reader's language for dates; amounts are grouped with commas in both languages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from core.templatetags.portal import grouped, money
from tests.clients import member_add
from tests.factories import MerchantFactory, ProductFactory
from tests.portal_pages import client_for


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (Decimal("1234.5"), "USD", "$1,234.50"),
        (Decimal("1234.5"), "CNY", "¥1,234.50"),
        (Decimal("-80"), "CNY", "-¥80.00"),
        (Decimal("1234.5"), "JPY", "JP¥1,234"),
        (Decimal("1234.5"), "SEK", "1,234.50 SEK"),
        (None, "USD", "—"),
    ],
)
def test_money_shows_the_currency_of_the_amount_in_either_language(
    language, amount, currency, shown
):
    with translation.override(language):
        assert money(amount, currency) == shown


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_counts_are_grouped_with_commas_in_either_language(language):
    with translation.override(language):
        assert grouped(1234567) == "1,234,567"
        assert grouped(None) == "—"


@pytest.mark.parametrize(
    ("language", "shown"), [("en", "June 18, 2025"), ("zh-hans", "2025年6月18日")]
)
def test_dates_are_written_the_way_the_reader_s_language_writes_them(language, shown):
    with translation.override(language):
        rendered = Template('{{ day|date:"DATE_FORMAT" }}').render(
            Context({"day": dt.date(2025, 6, 18)})
        )
    assert rendered == shown


def _member_client(merchant, username, language):
    return client_for(member_add(merchant, "owner", username), language=language)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_cny_store_shows_yuan_and_a_usd_store_dollars(language):
    yuan_store = MerchantFactory(name="Second", slug="second", currency="CNY")
    dollar_store = MerchantFactory(name="Demo", slug="demo", currency="USD")
    yuan = ProductFactory(merchant=yuan_store, currency="CNY", price=Decimal("168.00"))
    dollar = ProductFactory(merchant=dollar_store, currency="USD", price=Decimal("24.90"))

    yuan_page = _member_client(yuan_store, "wang", language).get(
        reverse("product-detail", kwargs={"product_id": yuan.pk})
    )
    dollar_page = _member_client(dollar_store, "dana", language).get(
        reverse("product-detail", kwargs={"product_id": dollar.pk})
    )

    assert "¥168.00" in yuan_page.content.decode()
    assert "$" not in yuan_page.content.decode().split("<main", 1)[1].split("</main>")[0]
    assert "$24.90" in dollar_page.content.decode()
    assert "¥" not in dollar_page.content.decode().split("<main", 1)[1].split("</main>")[0]


@pytest.mark.django_db
def test_times_are_shown_in_the_store_s_time_zone(owner_client, merchant):
    merchant.timezone = "Asia/Shanghai"
    merchant.save(update_fields=["timezone"])
    html = owner_client.get(reverse("product-list")).content.decode()
    assert "Asia/Shanghai" in html  # the footer says which zone the times are in
    with translation.override("en"):
        rendered = Template(
            '{% load tz portal %}{% timezone merchant|merchant_tz %}{{ moment|date:"H:i" }}'
            "{% endtimezone %}"
        ).render(
            Context({"merchant": merchant, "moment": dt.datetime(2025, 6, 18, 2, 0, tzinfo=dt.UTC)})
        )
    assert rendered == "10:00"
