import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from products.models import Product, StockLevel, StockSnapshot
from products.services import product_create, stock_set, stock_snapshot_take
from products.tasks import stock_snapshots_all
from tests.factories import ProductFactory, StockLevelFactory

pytestmark = pytest.mark.django_db


def test_setting_stock_updates_the_current_level_and_the_days_snapshot(merchant):
    product = ProductFactory(merchant=merchant)
    day = dt.date(2026, 3, 1)
    stock_set(product=product, on_hand=40, inbound=10, as_of=day)
    stock_set(product=product, on_hand=35, inbound=10, as_of=day)
    level = StockLevel.objects.get(product=product)
    assert (level.on_hand, level.inbound, level.merchant_id) == (35, 10, merchant.pk)
    snapshots = StockSnapshot.objects.filter(product=product)
    assert [(s.date, s.on_hand) for s in snapshots] == [(day, 35)]


def test_negative_stock_is_refused_and_nothing_is_written(merchant):
    product = ProductFactory(merchant=merchant)
    with pytest.raises(ValueError):
        stock_set(product=product, on_hand=-1)
    assert not StockLevel.objects.filter(product=product).exists()


def test_the_daily_snapshot_carries_unchanged_levels_forward_once(merchant, other_merchant):
    StockLevelFactory(product__merchant=merchant, on_hand=7)
    StockLevelFactory(product__merchant=other_merchant, on_hand=9)
    day = dt.date(2026, 3, 2)
    assert stock_snapshot_take(merchant=merchant, as_of=day) == 1
    assert stock_snapshot_take(merchant=merchant, as_of=day) == 0
    assert list(StockSnapshot.objects.values_list("merchant__slug", "on_hand")) == [("alpha", 7)]


def test_the_beat_task_snapshots_every_active_merchant(merchant, other_merchant):
    StockLevelFactory(product__merchant=merchant)
    StockLevelFactory(product__merchant=other_merchant)
    other_merchant.is_active = False
    other_merchant.save()
    stock_snapshots_all.delay()
    assert list(StockSnapshot.objects.values_list("merchant__slug", flat=True)) == ["alpha"]


def test_a_sku_is_unique_per_merchant_only(merchant, other_merchant):
    product_create(merchant=merchant, sku="MUG-1", title="Mug", price="9.90")
    product_create(merchant=other_merchant, sku="MUG-1", title="Mug", price="9.90")
    with pytest.raises(ValidationError) as info:
        product_create(merchant=merchant, sku="MUG-1", title="Another mug", price="5")
    assert "__all__" in info.value.message_dict or "sku" in info.value.message_dict
    assert Product.objects.filter(merchant=merchant).count() == 1


def test_a_new_product_takes_the_merchants_currency(merchant):
    merchant.currency = "CNY"
    merchant.save()
    product = product_create(merchant=merchant, sku="T-1", title="Teapot", price="88")
    assert product.currency == "CNY"


def test_the_database_refuses_a_negative_price_even_without_validation(merchant):
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.create(merchant=merchant, sku="X", title="X", price=-1)
