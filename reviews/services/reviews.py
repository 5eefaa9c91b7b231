from __future__ import annotations

import re

from django.db import transaction

from ..models import Review, ReviewLanguage
from .analysis import reviews_analysis_request

# A change to any of these makes the review's analysis outdated.
_ANALYSED_FIELDS = ("title", "body", "rating", "language")

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
    """Create a review for a product of `merchant`; fills `language` when not given.

    Its analysis is sent to the task queue when the transaction commits."""
    if product.merchant_id != merchant.pk:
        raise ValueError("The product belongs to another merchant.")
    review = Review(merchant=merchant, product=product, **fields)
    if not review.language:
        review.language = language_detect(f"{review.title} {review.body}")
    review.full_clean()
    review.save()
    reviews_analysis_request(merchant_id=merchant.pk, review_ids=[review.pk])
    return review


@transaction.atomic
def review_update(*, review: Review, **fields) -> Review:
    """Change a review's fields; a changed text, rating or language is analysed again (the
    old analysis stays visible, marked outdated, until the new one replaces it)."""
    before = {name: getattr(review, name) for name in _ANALYSED_FIELDS}
    for key, value in fields.items():
        setattr(review, key, value)
    if "body" in fields or "title" in fields:
        review.language = fields.get("language") or language_detect(f"{review.title} {review.body}")
    review.full_clean()
    review.save()
    if any(getattr(review, name) != value for name, value in before.items()):
        reviews_analysis_request(merchant_id=review.merchant_id, review_ids=[review.pk], stale=True)
    return review


def review_saved(*, review: Review, changed: bool) -> None:
    """For writes that bypass the services above (the admin's form): ask for the analysis of
    a review just created (`changed=False`) or edited (`changed=True`)."""
    reviews_analysis_request(merchant_id=review.merchant_id, review_ids=[review.pk], stale=changed)
