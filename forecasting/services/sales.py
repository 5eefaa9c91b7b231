from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from products.models import Product

from ..models import DailySales


@dataclass(frozen=True)
class SalesRow:
    product_id: int
    date: dt.date
    units: int
    revenue: Decimal
    on_promotion: bool = False


@transaction.atomic
def sales_upsert(*, merchant, rows: Iterable[SalesRow], batch_size: int = 5000) -> int:
    """Insert or replace daily sales in bulk; every product must belong to `merchant`.

    Either all rows are written or none (one transaction). Returns the number of rows.
    """
    rows = list(rows)
    product_ids = {row.product_id for row in rows}
    owned = set(
        Product.objects.filter(merchant=merchant, pk__in=product_ids).values_list("pk", flat=True)
    )
    foreign = product_ids - owned
    if foreign:
        raise ValidationError({"product": f"Unknown products: {sorted(foreign)[:10]}"})
    for row in rows:
        if row.units < 0:
            raise ValidationError({"units": "Units cannot be negative."})
    objects = [
        DailySales(
            merchant_id=merchant.pk,
            product_id=row.product_id,
            date=row.date,
            units=row.units,
            revenue=row.revenue,
            on_promotion=row.on_promotion,
        )
        for row in rows
    ]
    DailySales.objects.bulk_create(
        objects,
        batch_size=batch_size,
        update_conflicts=True,
        unique_fields=["product", "date"],
        update_fields=["units", "revenue", "on_promotion"],
    )
    return len(objects)
