from __future__ import annotations

import re

from django.db import transaction

from ..models import Review, ReviewLanguage

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


def language_detect(text: str) -> str:
    """zh when Chinese characters carry the text, en when Latin letters do, else other.

    A cheap script test: it is what the analysis pipeline needs to pick a model, and it is
    exact for the two languages we analyse.
    """
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    if cjk == 0 and latin == 0:
        return ReviewLanguage.OTHER
    # One Chinese character carries about as much as a short English word.
    if cjk * 3 >= latin:
        return ReviewLanguage.CHINESE
    return ReviewLanguage.ENGLISH


@transaction.atomic
def review_create(*, merchant, product, **fields) -> Review:
    """Create a review for a product of `merchant`; fills `language` when not given."""
    if product.merchant_id != merchant.pk:
        raise ValueError("The product belongs to another merchant.")
    review = Review(merchant=merchant, product=product, **fields)
    if not review.language:
        review.language = language_detect(f"{review.title} {review.body}")
    review.full_clean()
    review.save()
    return review


@transaction.atomic
def review_update(*, review: Review, **fields) -> Review:
    for key, value in fields.items():
        setattr(review, key, value)
    if "body" in fields or "title" in fields:
        review.language = fields.get("language") or language_detect(f"{review.title} {review.body}")
    review.full_clean()
    review.save()
    return review
