"""Reads over reviews. Every function takes the merchant explicitly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, Q, QuerySet

from ..models import Review


def review_list(
    *,
    merchant,
    rating: int | None = None,
    language: str = "",
    sku: str = "",
    search: str = "",
) -> QuerySet[Review]:
    reviews = Review.objects.filter(merchant=merchant).select_related("product")
    if rating is not None:
        reviews = reviews.filter(rating=rating)
    if language:
        reviews = reviews.filter(language=language)
    sku = sku.strip()
    if sku:
        reviews = reviews.filter(product__sku__icontains=sku)
    search = search.strip()
    if search:
        reviews = reviews.filter(Q(title__icontains=search) | Q(body__icontains=search))
    return reviews.order_by("-created_at", "-pk")


def product_reviews(*, product) -> QuerySet[Review]:
    return Review.objects.filter(merchant_id=product.merchant_id, product=product).order_by(
        "-created_at", "-pk"
    )


@dataclass(frozen=True)
class RatingSummary:
    average: float | None
    count: int


def rating_summary(*, merchant, since: dt.datetime, product=None) -> RatingSummary:
    """Average star rating of reviews written since `since` (unrated reviews not counted)."""
    reviews = Review.objects.filter(merchant=merchant, created_at__gte=since, rating__isnull=False)
    if product is not None:
        reviews = reviews.filter(product=product)
    row = reviews.aggregate(average=Avg("rating"), count=Count("pk"))
    average = row["average"]
    return RatingSummary(
        average=round(float(average), 2) if average is not None else None, count=row["count"]
    )
