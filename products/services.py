from __future__ import annotations

import datetime as dt

from django.db import transaction

from core.selectors import merchant_today

from .models import Product, StockLevel, StockSnapshot

PRODUCT_FIELDS = frozenset(Product.EDITABLE_FIELDS)


@transaction.atomic
def product_create(*, merchant, **fields) -> Product:
    """Create a product; validation errors (e.g. a duplicate SKU) raise ValidationError."""
    unknown = set(fields) - PRODUCT_FIELDS
    if unknown:
        raise ValueError(f"Unknown product fields: {sorted(unknown)}")
    fields.setdefault("currency", merchant.currency)
    product = Product(merchant=merchant, **fields)
    product.full_clean()
    product.save()
    return product


@transaction.atomic
def product_update(*, product: Product, **fields) -> Product:
    unknown = set(fields) - PRODUCT_FIELDS
    if unknown:
        raise ValueError(f"Unknown product fields: {sorted(unknown)}")
    for key, value in fields.items():
        setattr(product, key, value)
    product.full_clean()
    product.save()
    return product


@transaction.atomic
def stock_set(
    *, product: Product, on_hand: int, inbound: int = 0, as_of: dt.date | None = None
) -> StockLevel:
    """Set the current stock of a product and record it in that day's snapshot."""
    if on_hand < 0 or inbound < 0:
        raise ValueError("Stock quantities cannot be negative.")
    level, _ = StockLevel.objects.update_or_create(
        product=product,
        defaults={"merchant_id": product.merchant_id, "on_hand": on_hand, "inbound": inbound},
    )
    StockSnapshot.objects.update_or_create(
        product=product,
        date=as_of or merchant_today(merchant=product.merchant),
        defaults={"merchant_id": product.merchant_id, "on_hand": on_hand, "inbound": inbound},
    )
    return level


def stock_snapshot_take(*, merchant, as_of: dt.date | None = None) -> int:
    """Carry every current stock level into the day's snapshot (idempotent).

    Stock changes already write their snapshot; this fills the days with no change so the
    history has one row per product per day. Returns the number of snapshots written.
    """
    day = as_of or merchant_today(merchant=merchant)
    levels = StockLevel.objects.filter(merchant=merchant).exclude(
        product__stock_snapshots__date=day
    )
    rows = [
        StockSnapshot(
            merchant_id=merchant.pk,
            product_id=level.product_id,
            date=day,
            on_hand=level.on_hand,
            inbound=level.inbound,
        )
        for level in levels.iterator(chunk_size=2000)
    ]
    StockSnapshot.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return len(rows)
