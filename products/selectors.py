"""Reads over the catalog and stock. Every function takes the merchant explicitly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from .models import Product, StockLevel, StockSnapshot

# Public sort keys of the product list -> ORDER BY. A stable tie-breaker (pk) keeps pages
# from overlapping when many rows share a value.
PRODUCT_SORTS: dict[str, tuple] = {
    "sku": (F("sku").asc(),),
    "-sku": (F("sku").desc(),),
    "title": (F("title").asc(), F("sku").asc()),
    "-title": (F("title").desc(), F("sku").asc()),
    "price": (F("price").asc(), F("sku").asc()),
    "-price": (F("price").desc(), F("sku").asc()),
    "stock": (F("stock__on_hand").asc(nulls_first=True), F("sku").asc()),
    "-stock": (F("stock__on_hand").desc(nulls_last=True), F("sku").asc()),
    "updated": (F("updated_at").asc(), F("pk").asc()),
    "-updated": (F("updated_at").desc(), F("pk").desc()),
}
DEFAULT_PRODUCT_SORT = "sku"


def product_list(
    *,
    merchant,
    search: str = "",
    category: str = "",
    status: str = "",
    sort: str = DEFAULT_PRODUCT_SORT,
) -> QuerySet[Product]:
    """The merchant's products, filtered and sorted, with current stock joined in."""
    products = Product.objects.for_merchant(merchant).select_related("stock")
    search = search.strip()
    if search:
        products = products.filter(
            Q(sku__icontains=search) | Q(title__icontains=search) | Q(brand__icontains=search)
        )
    if category:
        products = products.filter(category=category)
    if status:
        products = products.filter(status=status)
    return products.order_by(*PRODUCT_SORTS.get(sort, PRODUCT_SORTS[DEFAULT_PRODUCT_SORT]))


def product_categories(*, merchant) -> list[str]:
    return list(
        Product.objects.for_merchant(merchant)
        .exclude(category="")
        .order_by("category")
        .values_list("category", flat=True)
        .distinct()
    )


def product_get(*, merchant, product_id: int) -> Product:
    """The merchant's product with its stock; another merchant's id is a 404."""
    return get_object_or_404(
        Product.objects.for_merchant(merchant).select_related("stock"), pk=product_id
    )


def stock_history(*, product: Product, start: dt.date, end: dt.date) -> list[StockSnapshot]:
    return list(
        StockSnapshot.objects.filter(
            merchant_id=product.merchant_id, product=product, date__range=(start, end)
        )
        .order_by("date")
        .only("date", "on_hand", "inbound")
    )


@dataclass(frozen=True)
class StockValue:
    value: Decimal
    units: int
    # Products with stock whose value used the selling price because no unit cost is recorded.
    priced_without_cost: int


def stock_value(*, merchant) -> StockValue:
    """Value of stock on hand at unit cost, falling back to the price where cost is unknown."""
    money = DecimalField(max_digits=20, decimal_places=2)
    row = StockLevel.objects.filter(merchant=merchant, on_hand__gt=0).aggregate(
        value=Coalesce(
            Sum(
                ExpressionWrapper(
                    F("on_hand") * Coalesce(F("product__cost"), F("product__price")),
                    output_field=money,
                )
            ),
            Value(Decimal("0")),
            output_field=money,
        ),
        units=Coalesce(Sum("on_hand"), Value(0)),
        priced_without_cost=Count("pk", filter=Q(product__cost__isnull=True)),
    )
    return StockValue(
        value=Decimal(row["value"]).quantize(Decimal("0.01")),
        units=row["units"],
        priced_without_cost=row["priced_without_cost"],
    )
