import datetime as dt
import zoneinfo
from collections import Counter
from decimal import Decimal

from django.db.models import Max, Min

from accounts.models import Merchant
from forecasting.models import DailySales
from products.models import Product, StockLevel, StockSnapshot
from reviews.models import Review
from reviews.services import language_detect

from .conftest import SMALL, TODAY


def test_the_demo_store_has_the_requested_number_of_products_with_unique_skus(small_demo):
    products = Product.objects.filter(merchant=small_demo.merchant)

    skus = list(products.values_list("sku", flat=True))
    assert len(skus) == SMALL["products"] == len(set(skus))
    assert len(set(products.values_list("category", flat=True))) == 8


def test_products_carry_real_attributes_and_sensible_prices(small_demo):
    for product in Product.objects.filter(merchant=small_demo.merchant):
        assert product.brand and product.title.startswith(product.brand)
        assert len(product.attributes) >= 3
        assert product.currency == "USD"
        assert Decimal("5") < product.price < Decimal("500")
        assert Decimal("0") < product.cost < product.price
        assert product.moq >= 1 and product.case_pack >= 1 and product.lead_time_days >= 7
    described = Product.objects.filter(merchant=small_demo.merchant).exclude(description="")
    assert 0 < described.count() < SMALL["products"]


def test_sales_cover_the_days_asked_for_and_end_yesterday(small_demo):
    sales = DailySales.objects.filter(merchant=small_demo.merchant)

    span = sales.aggregate(first=Min("date"), last=Max("date"))
    assert span["last"] == TODAY - dt.timedelta(days=1)
    assert span["first"] == TODAY - dt.timedelta(days=SMALL["days"])
    assert sales.filter(units=0).exists()  # intermittent sellers have empty days
    assert sales.filter(on_promotion=True).exists()


def test_revenue_is_units_times_price_with_the_promotion_discount(small_demo):
    sales = DailySales.objects.filter(merchant=small_demo.merchant, units__gt=0).select_related(
        "product"
    )
    for row in sales.filter(on_promotion=False):
        assert row.revenue == row.units * row.product.price
    for row in sales.filter(on_promotion=True):
        unit_price = row.revenue / row.units
        assert row.product.price * Decimal("0.69") <= unit_price < row.product.price


def test_every_product_has_a_stock_level_equal_to_its_latest_snapshot(small_demo):
    merchant = small_demo.merchant
    for product in Product.objects.filter(merchant=merchant):
        level = StockLevel.objects.get(product=product)
        latest = StockSnapshot.objects.filter(product=product).order_by("-date").first()
        assert latest.date == TODAY - dt.timedelta(days=1)
        assert (latest.on_hand, latest.inbound) == (level.on_hand, level.inbound)


def test_stock_history_only_rises_by_deliveries_out_of_inbound(small_demo):
    """on_hand[t] = on_hand[t-1] - units[t] + delivered[t], delivered >= 0 and <= inbound[t-1]."""
    merchant = small_demo.merchant
    units = {
        (product_id, date): value
        for product_id, date, value in DailySales.objects.filter(merchant=merchant).values_list(
            "product_id", "date", "units"
        )
    }
    deliveries = 0
    for product in Product.objects.filter(merchant=merchant):
        snapshots = list(StockSnapshot.objects.filter(product=product).order_by("date"))
        for before, after in zip(snapshots, snapshots[1:], strict=False):
            assert after.date - before.date == dt.timedelta(days=1)
            delivered = after.on_hand - before.on_hand + units.get((product.pk, after.date), 0)
            assert 0 <= delivered <= before.inbound
            deliveries += delivered > 0
    assert deliveries > 0


def test_reviews_are_bilingual_rated_and_uniquely_identified(small_demo):
    reviews = list(Review.objects.filter(merchant=small_demo.merchant))

    assert len(reviews) == SMALL["reviews"]
    languages = Counter(review.language for review in reviews)
    assert set(languages) == {"en", "zh"}
    assert min(languages.values()) > 0.35 * len(reviews)
    assert {review.rating for review in reviews} == {1, 2, 3, 4, 5}
    assert {review.source for review in reviews} == {"amazon", "shopify", "taobao"}
    ids = [(review.source, review.external_id) for review in reviews]
    assert len(set(ids)) == len(ids) and all(external_id for _, external_id in ids)
    assert all(review.author_name for review in reviews)


def test_review_language_matches_the_text(small_demo):
    for review in Review.objects.filter(merchant=small_demo.merchant):
        assert language_detect(f"{review.title} {review.body}") == review.language, review.body


def test_reviews_are_dated_within_the_history_and_never_in_the_future(small_demo):
    merchant = small_demo.merchant
    span = Review.objects.filter(merchant=merchant).aggregate(
        first=Min("created_at"), last=Max("created_at")
    )
    tz = zoneinfo.ZoneInfo(merchant.timezone)
    assert span["last"].astimezone(tz).date() <= TODAY - dt.timedelta(days=1)
    assert span["first"].astimezone(tz).date() >= TODAY - dt.timedelta(days=SMALL["days"])


def test_ratings_agree_with_the_tone_of_the_text(small_demo):
    reviews = Review.objects.filter(merchant=small_demo.merchant)
    praise = ("Love it!", "Five stars.", "非常满意！", "五星好评！")
    complaint = ("Terrible.", "Do not buy.", "太差了！", "千万别买！")

    assert all(r.rating == 5 for r in reviews if r.body.startswith(praise))
    assert all(r.rating == 1 for r in reviews if r.body.startswith(complaint))


def test_the_second_store_is_small_in_yuan_and_shares_nothing_with_the_demo(small_demo):
    second = Merchant.objects.get(slug="second-store")

    products = Product.objects.filter(merchant=second)
    assert products.count() == 12
    assert set(products.values_list("currency", flat=True)) == {"CNY"}
    assert DailySales.objects.filter(merchant=second).exists()
    assert Review.objects.filter(merchant=second).exists()
    assert not DailySales.objects.filter(merchant=second, product__merchant=small_demo.merchant)
    assert not Review.objects.filter(merchant=second, product__merchant=small_demo.merchant)
